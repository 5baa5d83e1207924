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
 */
public record MonitorStatus(
        String version,
        Instant started,
        List<String> monitors,
        List<String> kernelPrograms,
        Map<String, Long> recordsEmitted,
        Map<String, Long> recordsDropped,
        List<String> notes) {

    public MonitorStatus {
        monitors = List.copyOf(monitors);
        kernelPrograms = List.copyOf(kernelPrograms);
        recordsEmitted = Map.copyOf(recordsEmitted);
        recordsDropped = Map.copyOf(recordsDropped);
        notes = List.copyOf(notes);
    }
}
