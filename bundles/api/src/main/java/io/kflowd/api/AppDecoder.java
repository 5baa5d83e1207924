package io.kflowd.api;

import java.util.List;

/**
 * A decoder of one application's captured payload (spec 7), registered as an OSGi service
 * with {@link #APP} = the {@link SocketRecord.App} name it serves ("DNS", "HTTP", "SYSLOG",
 * "TLS") and {@code kflowd.plugin.kind=decoder}. Formatters never see decoders: they render
 * the {@link AppMessage}s a decoder returns.
 *
 * <p>Contract: {@link #decode} is called by one thread at a time per record but may be
 * called concurrently for different records (implementations are stateless or
 * thread-safe). It must not block. The core bounds its time and the size of its result;
 * an exception, an overrun or a result too large becomes an {@code _Exception} object for
 * that message, and the record still goes out. Malformed input is normal (truncated
 * captures, hostile peers): return what could be decoded plus a marker member rather than
 * throwing where possible.
 */
public interface AppDecoder {

    /** Service property: the application served, e.g. "DNS". */
    String APP = "kflowd.app";

    /**
     * Decodes one captured message. A TCP message may hold several application messages
     * (pipelined HTTP requests, several length-prefixed DNS messages): one
     * {@link AppMessage} each, in order. Empty: nothing worth a message (e.g. a keep-alive
     * byte).
     */
    List<AppMessage> decode(AppPayload payload);
}
