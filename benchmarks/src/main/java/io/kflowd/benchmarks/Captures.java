package io.kflowd.benchmarks;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real captures (copied from the decoders' test resources) as decoder payloads. */
final class Captures {

    private Captures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/captures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AppPayload payload(SocketRecord.App app, SocketRecord.Protocol protocol, byte[] data) {
        return new AppPayload(app, protocol, false, SocketRecord.Role.SERVER, 1_234_567L, data, data.length, false,
                false);
    }

    static AppPayload payload(SocketRecord.App app, SocketRecord.Protocol protocol, String text) {
        return payload(app, protocol, text.getBytes(StandardCharsets.UTF_8));
    }
}
