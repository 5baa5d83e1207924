package io.kflowd.launcher.cli;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

/** What payload capture does for one application: nothing ({@code APP=off}) or a list of entries. */
public sealed interface AppPorts {

    /** Most entries one application may have (kflowd's {@code APP_PORT_MAX}). */
    int MAX_ENTRIES = 8;

    /** The application is switched off. */
    record Off() implements AppPorts {
        @Override
        public String toString() {
            return "off";
        }
    }

    /** The application is captured on these entries, in the order given. */
    record Enabled(List<PortEntry> entries) implements AppPorts {
        public Enabled {
            entries = List.copyOf(entries);
            if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException("between 1 and " + MAX_ENTRIES + " entries expected: " + entries);
            }
            if (new HashSet<>(entries).size() != entries.size()) {
                throw new IllegalArgumentException("duplicate entry: " + entries);
            }
        }

        @Override
        public String toString() {
            return entries.stream().map(PortEntry::toString).collect(Collectors.joining(", "));
        }
    }

    static AppPorts off() {
        return new Off();
    }

    static AppPorts of(List<PortEntry> entries) {
        return new Enabled(entries);
    }

    static AppPorts of(PortEntry... entries) {
        return new Enabled(List.of(entries));
    }

    /** The capture entries; empty when off. */
    default List<PortEntry> entries() {
        return List.of();
    }

    default boolean isOff() {
        return this instanceof Off;
    }
}
