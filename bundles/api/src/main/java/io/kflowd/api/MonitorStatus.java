package io.kflowd.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code kflowd:status} shows about the core.
 *
 * @param version        the product version, e.g. {@code 0.1.0}
 * @param started        when monitoring was switched on
 * @param monitors       the monitors asked for ({@code file}, {@code socket})
 * @param kernelPrograms the eBPF programs attached now, by name; empty while none is
 * @param recordsEmitted records handed to the record bus, per monitor
 * @param recordsDropped records lost, by reason (kernel ring full, undeliverable, ...)
 * @param notes          conditions the operator should know about, one line each
 * @param applications   per application: capture ports, decoder and what it decoded
 */
public record MonitorStatus(
        String version,
        Instant started,
        List<String> monitors,
        List<String> kernelPrograms,
        Map<String, Long> recordsEmitted,
        Map<String, Long> recordsDropped,
        List<String> notes,
        List<Application> applications) {

    /**
     * One application of payload capture ({@code kflowd:decoders}).
     *
     * @param app        "DNS", "HTTP", "SYSLOG", "TLS"
     * @param ports      the capture entries, e.g. "udp/53,tcp/53", "off"
     * @param decoder    the bundle of the registered decoder with its version, "" for none
     * @param decoded    messages decoded
     * @param failed     messages that became an {@code _Exception} object
     * @param undecoded  messages exported without a decoder
     */
    public record Application(String app, String ports, String decoder, long decoded, long failed, long undecoded) {
    }

    public MonitorStatus {
        monitors = List.copyOf(monitors);
        kernelPrograms = List.copyOf(kernelPrograms);
        recordsEmitted = Map.copyOf(recordsEmitted);
        recordsDropped = Map.copyOf(recordsDropped);
        notes = List.copyOf(notes);
        applications = List.copyOf(applications);
    }
}
