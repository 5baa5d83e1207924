package io.kflowd.api;

/**
 * Where formatted records go (stdout, UDP collectors, ...). A sink is a service with
 * {@link PluginKind#PROPERTY} = {@code sink}. The record bus calls {@link #deliver} from
 * its own thread, never from the ring reader; a sink that blocks delays only the bus, and
 * what the bus cannot deliver in time is counted, never hidden.
 */
public interface RecordSink {

    /**
     * Delivers one record. {@code text} is the formatter's output without framing.
     *
     * @return false when the record could not be delivered (counted by the bus)
     */
    boolean deliver(MonitorRecord record, String format, byte[] text);

    /**
     * The formatter's {@link RecordFormatter#header()} (e.g. a table's column titles), given
     * once before the first record of a format and again when the format changes. Text as
     * returned, already ending in its line feed; a sink that has no use for it ignores it.
     */
    default void header(String format, byte[] text) {
    }

    /** Writes out anything buffered; called when the bus has no more records for now. */
    default void flush() {
    }
}
