package io.kflowd.decoder.tls;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

final class Payloads {

    static final long NANOS = 2_000_500L;

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

    static AppPayload of(byte[] data) {
        return new AppPayload(SocketRecord.App.TLS, SocketRecord.Protocol.TCP, true, SocketRecord.Role.CLIENT, NANOS,
                data, data.length, false, false);
    }

    static AppPayload truncated(byte[] data) {
        return new AppPayload(SocketRecord.App.TLS, SocketRecord.Protocol.TCP, true, SocketRecord.Role.CLIENT, NANOS,
                data, data.length + 1, true, false);
    }

    static AppPayload gap(byte[] data) {
        return new AppPayload(SocketRecord.App.TLS, SocketRecord.Protocol.TCP, true, SocketRecord.Role.CLIENT, NANOS,
                data, data.length, false, true);
    }
}
