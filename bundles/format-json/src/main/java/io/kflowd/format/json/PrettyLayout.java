package io.kflowd.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * kflowd's pretty layout ({@code -o json}, spec 2.3). kflowd gets it by running a character
 * scanner over the compact text; this printer takes the same decisions from the
 * generator's structure events, so the output is byte for byte what the scanner makes of
 * the compact form: 2-space indent, one member per line, arrays of scalars inline, arrays
 * of arrays one inner array per line, arrays of objects hugging their brackets
 * ({@code [{ ... },\n  { ... }]}).
 *
 * <p>The scanner's state is mirrored: {@code indent}, the "array mode" flag (set by
 * {@code [}, cleared by {@code {}, {@code }} and {@code ]}) and whether the last thing
 * written was a {@code }}.
 *
 * <p>One deliberate difference: an empty object is written {@code {}}. The scanner
 * turns it into {@code {}, a line holding only indentation, and {@code }} — an artefact
 * with trailing blanks that no consumer depends on (JSON parsers ignore it). It occurs in
 * socket records (an empty {@code SockTxFlags}/{@code SockRxFlags}, an empty message
 * object), never in filesystem records, whose {@code FileEvents} is never empty.
 *
 * <p>Stateful: one instance per generator.
 */
final class PrettyLayout implements PrettyPrinter {

    /** Deep enough for every record kind; deeper levels are built on demand. */
    private static final int PRESET_LEVELS = 16;
    private static final SerializedString[] NEWLINE_INDENT = new SerializedString[PRESET_LEVELS];
    private static final SerializedString[] COMMA_NEWLINE_INDENT = new SerializedString[PRESET_LEVELS];
    private static final SerializedString COLON = new SerializedString(": ");
    private static final SerializedString INLINE_SEPARATOR = new SerializedString(", ");

    static {
        for (int level = 0; level < PRESET_LEVELS; level++) {
            String spaces = " ".repeat(2 * level);
            NEWLINE_INDENT[level] = new SerializedString("\n" + spaces);
            COMMA_NEWLINE_INDENT[level] = new SerializedString(",\n" + spaces);
        }
    }

    /** Indentation in spaces, as the scanner counts it (always even). */
    private int indent;
    private boolean arrayMode;
    private boolean lastWasEndObject;

    @Override
    public void writeRootValueSeparator(JsonGenerator g) {
        // One record per call; the sink frames records.
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        indent += 2;
        arrayMode = false;
        lastWasEndObject = false;
        g.writeRaw('{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        // The newline the scanner writes right after '{', delayed until we know the
        // object is not empty.
        g.writeRaw(newlineIndent());
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(COLON);
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        // Inside an object array mode is always off: every nested value that set it has
        // been closed by ']' or '}' before the next member.
        lastWasEndObject = false;
        g.writeRaw(indent / 2 < PRESET_LEVELS ? COMMA_NEWLINE_INDENT[indent / 2]
                : new SerializedString(",\n" + " ".repeat(indent)));
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        indent -= 2;
        arrayMode = false;
        lastWasEndObject = true;
        if (entries > 0) {
            g.writeRaw(newlineIndent());
        }
        g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        if (arrayMode) {
            // A nested array directly after '[' or ',' inside an inline array.
            indent += 2;
            g.writeRaw(newlineIndent());
        }
        arrayMode = true;
        lastWasEndObject = false;
        g.writeRaw('[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) {
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        lastWasEndObject = false;
        if (arrayMode) {
            g.writeRaw(INLINE_SEPARATOR);
        } else {
            // After a nested ']' or '}': the scanner breaks the line.
            g.writeRaw(indent / 2 < PRESET_LEVELS ? COMMA_NEWLINE_INDENT[indent / 2]
                    : new SerializedString(",\n" + " ".repeat(indent)));
        }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        if (!arrayMode && !lastWasEndObject) {
            indent -= 2;
            g.writeRaw(newlineIndent());
        }
        arrayMode = false;
        lastWasEndObject = false;
        g.writeRaw(']');
    }

    private SerializedString newlineIndent() {
        int level = indent / 2;
        return level < PRESET_LEVELS ? NEWLINE_INDENT[level] : new SerializedString("\n" + " ".repeat(indent));
    }
}
