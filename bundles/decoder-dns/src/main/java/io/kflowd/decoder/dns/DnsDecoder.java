package io.kflowd.decoder.dns;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.PluginKind;
import io.kflowd.api.SocketRecord;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The DNS decoder (spec 7.2, rendering in package-info): one {@link AppMessage} per DNS
 * message of a captured payload. UDP (and anything not TCP) is one message; TCP is a stream
 * of messages with a two-byte length prefix, each complete one decoded, a cut last one
 * decoded as far as captured. Stateless: every call gets its own {@link DnsMessageParser}.
 */
@Component(service = AppDecoder.class, property = {AppDecoder.APP + "=DNS", PluginKind.PROPERTY + "=decoder"})
public final class DnsDecoder implements AppDecoder {

    /** At most this many messages of one TCP payload; the last one says {@code _Truncated}. */
    static final int MAX_MESSAGES = 64;

    @Override
    public List<AppMessage> decode(AppPayload payload) {
        byte[] data = payload.data();
        if (data.length == 0) {
            return List.of();
        }
        AppMessage.Value timestamp = AppMessage.seconds(payload.sinceStartNanos());
        if (payload.protocol() != SocketRecord.Protocol.TCP) {
            return List.of(new DnsMessageParser(data, 0, data.length).parse(timestamp, payload.truncated()));
        }
        if (payload.gap()) {
            // The stream starts mid-message: its first bytes are no length prefix and there
            // is no reliable way to find the next one.
            return List.of(DnsMessageParser.framingOnly(timestamp, payload.truncated(),
                    "capture gap, stream starts mid-message at byte 0"));
        }
        List<AppMessage> messages = new ArrayList<>(2);
        int pos = 0;
        while (pos < data.length) {
            if (messages.size() == MAX_MESSAGES) {
                messages.set(MAX_MESSAGES - 1, DnsMessageParser.markTruncated(messages.get(MAX_MESSAGES - 1)));
                break;
            }
            if (data.length - pos < 2) {
                messages.add(DnsMessageParser.framingOnly(timestamp, true,
                        "TCP length prefix truncated at byte " + pos));
                break;
            }
            int length = (data[pos] & 0xff) << 8 | data[pos + 1] & 0xff;
            int start = pos + 2;
            int available = Math.min(length, data.length - start);
            boolean cut = available < length;
            // A cut message is the last one; whether it was cut by the capture limit or the
            // stream simply ended with it, the message is incomplete.
            messages.add(new DnsMessageParser(data, start, start + available)
                    .parse(timestamp, cut || payload.truncated() && start + length >= data.length));
            pos = start + length;
        }
        return messages;
    }
}
