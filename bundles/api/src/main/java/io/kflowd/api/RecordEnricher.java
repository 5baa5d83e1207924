package io.kflowd.api;

import java.util.Map;

/**
 * Fills the enrichment keys of a record that the kernel side cannot know: package versions
 * ({@code -v}: {@code ProcVersion}, {@code FileVersion}, spec 8.3) or checksums ({@code -c}:
 * {@code FileMD5}, {@code FileSHA256}, spec 8.4). Registered as an OSGi service with
 * {@link #KIND} = {@link #VERSIONS} or {@link #CHECKSUMS} and {@link PluginKind#PROPERTY} =
 * {@code enricher}. The core uses an enricher only while its option is on.
 *
 * <p>The core decides which keys a record has (spec 3.3, 3.4 presence rules): it sets them
 * to {@code ""}, and the enricher replaces those values. A key that is {@code null} (absent)
 * stays absent; an enricher never adds a key.
 *
 * <p>Contract: {@link #enrich} runs off the ring reader, on the core's enrichment thread, one
 * record at a time, in record order. It may take time (reading a package database, hashing a
 * file) but must be bounded; the core bounds each record's time and, when it is exceeded,
 * interrupts the call and sends the record on without this enrichment. An interrupted or
 * abandoned call may still be running when the next one starts on another thread:
 * implementations are thread-safe. It never throws for bad input: a value that cannot be had
 * (file unreadable, gone, too large, no package) is {@code ""}, and the reason is counted in
 * {@link #counts()}.
 */
public interface RecordEnricher {

    /** Service property: what the enricher fills, {@link #VERSIONS} or {@link #CHECKSUMS}. */
    String KIND = "kflowd.enrich";
    /** {@code -v}: {@code ProcVersion} and {@code FileVersion}. */
    String VERSIONS = "versions";
    /** {@code -c}: {@code FileMD5} and {@code FileSHA256}. */
    String CHECKSUMS = "checksums";

    /**
     * The record with this enricher's keys filled: a copy (records are immutable), or the
     * record itself when there is nothing to fill.
     */
    MonitorRecord enrich(MonitorRecord record);

    /**
     * Why values stayed {@code ""}, reason to count since the start, e.g.
     * {@code "larger than the size cap" -> 2}; shown by {@code kflowd:status}.
     */
    default Map<String, Long> counts() {
        return Map.of();
    }
}
