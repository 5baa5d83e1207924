package io.kflowd.decoder.http;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Payloads for the decoder: from stored captures or from text. */
final class Payloads {

    static final long NANOS = 1_250_000_000L;

    private Payloads() {
    }

    static byte[] capture(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/captures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AppPayload of(byte[] data, boolean transmitted) {
        return new AppPayload(SocketRecord.App.HTTP, SocketRecord.Protocol.TCP, transmitted,
                SocketRecord.Role.CLIENT, NANOS, data, data.length, false, false);
    }

    static AppPayload of(byte[] data) {
        return of(data, true);
    }

    static AppPayload text(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    static AppPayload truncated(byte[] data, int wireLength) {
        return new AppPayload(SocketRecord.App.HTTP, SocketRecord.Protocol.TCP, false, SocketRecord.Role.CLIENT,
                NANOS, data, wireLength, true, false);
    }

    static AppPayload gap(byte[] data) {
        return new AppPayload(SocketRecord.App.HTTP, SocketRecord.Protocol.TCP, false, SocketRecord.Role.CLIENT,
                NANOS, data, data.length, false, true);
    }
}
