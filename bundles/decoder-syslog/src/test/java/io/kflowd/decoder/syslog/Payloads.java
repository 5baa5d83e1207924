package io.kflowd.decoder.syslog;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

final class Payloads {

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

    static AppPayload of(SocketRecord.Protocol protocol, byte[] data) {
        return new AppPayload(SocketRecord.App.SYSLOG, protocol, false, SocketRecord.Role.SERVER, 1_000, data,
                data.length, false, false);
    }

    static AppPayload of(SocketRecord.Protocol protocol, String text) {
        return of(protocol, text.getBytes(StandardCharsets.UTF_8));
    }

    static AppPayload truncated(SocketRecord.Protocol protocol, byte[] data) {
        return new AppPayload(SocketRecord.App.SYSLOG, protocol, false, SocketRecord.Role.SERVER, 1_000, data,
                data.length + 100, true, false);
    }
}
