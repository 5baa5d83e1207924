package io.kflowd.launcher.cli;

import java.util.List;
import java.util.Objects;

/**
 * A JSON key and what it means, with the keys that can appear inside its value (event names,
 * flag names, fields of decoded application messages).
 */
public record LegendEntry(String key, String description, List<LegendEntry> subkeys) {

    public LegendEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        subkeys = List.copyOf(subkeys);
    }

    static LegendEntry key(String key, String description) {
        return new LegendEntry(key, description, List.of());
    }

    static LegendEntry key(String key, String description, List<LegendEntry> subkeys) {
        return new LegendEntry(key, description, subkeys);
    }
}
