package io.kflowd.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * kflowd's compact layout ({@code -o json-min}, spec 2.1): one line, {@code "Key": value}
 * with one space after the colon, members and array elements separated by {@code ", "}.
 * Not whitespace-free, but exactly what kflowd consumers have been reading. Stateless.
 */
final class CompactLayout implements PrettyPrinter {

    static final CompactLayout INSTANCE = new CompactLayout();

    private static final SerializedString SEPARATOR = new SerializedString(", ");
    private static final SerializedString COLON = new SerializedString(": ");

    private CompactLayout() {
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) {
        // One record per call; the sink frames records.
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        g.writeRaw('{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) {
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(COLON);
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(SEPARATOR);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        g.writeRaw('[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) {
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(SEPARATOR);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        g.writeRaw(']');
    }
}
