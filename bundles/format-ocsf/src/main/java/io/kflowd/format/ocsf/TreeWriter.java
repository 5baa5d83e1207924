package io.kflowd.format.ocsf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.kflowd.api.AppMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Node} tree as one compact JSON object through Jackson's streaming
 * generator: every string escaped ({@link StrictEscapes}), unpaired surrogates replaced,
 * unsigned values as unsigned decimals, seconds values with nine decimals.
 */
final class TreeWriter {

    private final JsonFactory factory = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .characterEscapes(StrictEscapes.INSTANCE)
            .build();

    /** Writes {@code root}, unframed. The caller's stream is neither flushed nor closed. */
    void write(Node root, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeObject(g, root);
        }
    }

    private void writeObject(JsonGenerator g, Node node) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> member : node.members().entrySet()) {
            g.writeFieldName(wellFormed(member.getKey()));
            writeValue(g, member.getValue());
        }
        g.writeEndObject();
    }

    private void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case Node node -> writeObject(g, node);
            case String text -> g.writeString(wellFormed(text));
            case Integer number -> g.writeNumber(number.intValue());
            case Long number -> g.writeNumber(number.longValue());
            case Node.Unsigned number -> g.writeNumber(Long.toUnsignedString(number.value()));
            case Node.Seconds seconds -> g.writeNumber(seconds(seconds.nanos(), seconds.signed()));
            case Boolean flag -> g.writeBoolean(flag);
            case List<?> list -> {
                g.writeStartArray();
                for (Object element : list) {
                    writeValue(g, element);
                }
                g.writeEndArray();
            }
            case AppMessage message -> writeMembers(g, message.members());
            case AppMessage.Value app -> writeApp(g, app);
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass());
        }
    }

    private void writeMembers(JsonGenerator g, List<AppMessage.Member> members) throws IOException {
        g.writeStartObject();
        for (AppMessage.Member member : members) {
            g.writeFieldName(wellFormed(member.key()));
            writeApp(g, member.value());
        }
        g.writeEndObject();
    }

    private void writeApp(JsonGenerator g, AppMessage.Value value) throws IOException {
        switch (value) {
            case AppMessage.StringValue s -> g.writeString(wellFormed(s.text()));
            case AppMessage.NumberValue n -> g.writeNumber(n.value());
            case AppMessage.SecondsValue s -> g.writeNumber(seconds(s.nanos(), false));
            case AppMessage.BooleanValue b -> g.writeBoolean(b.value());
            case AppMessage.ArrayValue a -> {
                g.writeStartArray();
                for (AppMessage.Value element : a.values()) {
                    writeApp(g, element);
                }
                g.writeEndArray();
            }
            case AppMessage.ObjectValue o -> writeMembers(g, o.members());
        }
    }

    /**
     * kflowd's seconds value: nine decimals, the bare {@code 0} when zero; a negative value
     * is {@code 0} for durations and keeps its sign for changes.
     */
    static String seconds(long nanos, boolean signed) {
        if (nanos == 0 || nanos < 0 && !signed) {
            return "0";
        }
        String sign = nanos < 0 ? "-" : "";
        // Long.MIN_VALUE has no positive counterpart: its magnitude is read as unsigned.
        long magnitude = nanos < 0 ? -nanos : nanos;
        String whole = Long.toUnsignedString(Long.divideUnsigned(magnitude, 1_000_000_000L));
        String fraction = Long.toString(Long.remainderUnsigned(magnitude, 1_000_000_000L));
        return sign + whole + "." + "0".repeat(9 - fraction.length()) + fraction;
    }

    /** {@code value}, or a copy with every unpaired surrogate replaced by U+FFFD (UTF-8 cannot carry them). */
    static String wellFormed(String value) {
        int length = value.length();
        StringBuilder result = null;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                if (result != null) {
                    result.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (result == null) {
                    result = new StringBuilder(length).append(value, 0, i);
                }
                result.append('\uFFFD');
            } else if (result != null) {
                result.append(c);
            }
        }
        return result == null ? value : result.toString();
    }
}
