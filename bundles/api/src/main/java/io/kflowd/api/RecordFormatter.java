package io.kflowd.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns records into text. A formatter is a service with the property {@link #FORMAT}
 * naming the {@code -o} value it serves ({@code json}, {@code json-min}, {@code table},
 * ...) and {@link PluginKind#PROPERTY} = {@code formatter}. It must accept every record
 * kind and write valid output for any content (hostile names, invalid UTF-8 already
 * made visible by the core).
 */
public interface RecordFormatter {

    /** Service property: the output format name this formatter serves. */
    String FORMAT = "kflowd.format";

    /**
     * Writes one record as text, without any framing (no trailing newline or separator):
     * the sink adds the framing its transport needs. Called from one thread at a time.
     */
    void format(MonitorRecord record, OutputStream out) throws IOException;

    /** Text written once before the first record on a stream, e.g. a table header; empty by default. */
    default String header() {
        return "";
    }
}
