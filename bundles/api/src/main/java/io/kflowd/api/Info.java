package io.kflowd.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The Info block of every record (spec 3.2).
 *
 * @param sequenceNumber records received from the kernel since start, the first is 1
 * @param timestamp      wall-clock time at which user space processed the record
 * @param monitor        {@link Monitor#FILESYSTEM} or {@link Monitor#SOCKET}
 * @param hostName       uname node name
 * @param hostIp         local IPv4 source address towards the default route, or ""
 * @param hostToken      the -T token, or null when none was given (then the key is omitted)
 * @param system         uname system name
 * @param kernel         uname release
 * @param version        {@code kflowd-v<version>}
 * @param uptimeNanos    wall-clock nanoseconds since monitoring was switched on
 */
public record Info(long sequenceNumber, Instant timestamp, Monitor monitor, String hostName, String hostIp,
        String hostToken, String system, String kernel, String version, long uptimeNanos) {

    public Info {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(hostIp, "hostIp");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(version, "version");
    }

    /** The value of {@code InfoMonitor}. */
    public enum Monitor {
        FILESYSTEM("filesystem"), SOCKET("socket");

        private final String key;

        Monitor(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
