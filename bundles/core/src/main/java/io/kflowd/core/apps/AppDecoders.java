package io.kflowd.core.apps;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The decoder services of the plugin folder, by application (whiteboard), and what they did.
 * A decoder may come and go at any moment (hot swap): a message is decoded by the decoder
 * registered when its record is exported, or, with none, kept as an undecoded message, so
 * `App` is never silently empty (issue 5).
 */
public final class AppDecoders {

    /** A registered decoder: the service and the bundle that provides it. */
    public record Registered(AppDecoder decoder, String bundle, String version) {
    }

    /** Per application: messages decoded, messages that became an _Exception, messages left undecoded. */
    public record Counts(long decoded, long failed, long undecoded) {
    }

    private final Map<SocketRecord.App, Registered> decoders = new ConcurrentHashMap<>();
    private final Map<SocketRecord.App, LongAdder[]> counts = new EnumMap<>(SocketRecord.App.class);

    public AppDecoders() {
        for (SocketRecord.App app : SocketRecord.App.values()) {
            counts.put(app, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
        }
    }

    /** The application a decoder declares in its {@code kflowd.app} property, or null. */
    public static SocketRecord.App appOf(Object property) {
        if (property == null) {
            return null;
        }
        try {
            return SocketRecord.App.valueOf(property.toString().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public void add(SocketRecord.App app, Registered decoder) {
        decoders.put(app, decoder);
    }

    /** Removes the decoder if it is the registered one (a newer version may have replaced it). */
    public void remove(SocketRecord.App app, AppDecoder decoder) {
        decoders.computeIfPresent(app, (a, current) -> current.decoder() == decoder ? null : current);
    }

    public Map<SocketRecord.App, Registered> registered() {
        return Map.copyOf(decoders);
    }

    public Counts counts(SocketRecord.App app) {
        LongAdder[] c = counts.get(app);
        return new Counts(c[0].sum(), c[1].sum(), c[2].sum());
    }

    /** The record with its captured messages decoded (or kept undecoded), tx and rx apart. */
    public SocketRecord attach(SocketRecord record, List<AppPayload> payloads, DecoderRunner runner) {
        if (payloads.isEmpty()) {
            return record;
        }
        SocketRecord.App app = payloads.getFirst().app();
        Registered registered = decoders.get(app);
        LongAdder[] c = counts.get(app);
        List<AppMessage> tx = new ArrayList<>();
        List<AppMessage> rx = new ArrayList<>();
        for (AppPayload payload : payloads) {
            List<AppMessage> decoded;
            if (registered == null) {
                decoded = List.of(undecoded(payload));
                c[2].increment();
            } else {
                long failedBefore = runner.failures();
                decoded = runner.decode(registered.decoder(), app.name() + " Message Decoder", payload);
                c[runner.failures() > failedBefore ? 1 : 0].increment();
            }
            (payload.transmitted() ? tx : rx).addAll(decoded);
        }
        return new SocketRecord(record.info(), record.proc(), record.protocol(), record.role(), record.state(),
                record.family(), record.localIp(), record.localPort(), record.remoteIp(), record.remotePort(),
                record.address(), record.tx(), record.rx(), record.ageNanos(), app, tx, rx);
    }

    /** A message no decoder was there for: its bytes as text (invalid UTF-8 as \xNN), marked. */
    static AppMessage undecoded(AppPayload payload) {
        return AppMessage.of(
                AppMessage.member("_Timestamp", AppMessage.seconds(payload.sinceStartNanos())),
                AppMessage.member("_Undecoded", AppMessage.string(io.kflowd.core.kernel.KernelStrings.decode(
                        java.lang.foreign.MemorySegment.ofArray(payload.data()), 0, payload.data().length, true))),
                AppMessage.member("_Length", AppMessage.number(payload.length())));
    }
}
