package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The layouts on structures filesystem records do not have yet (arrays, arrays of arrays,
 * arrays of objects; socket records will), against spec 2.3's own example.
 */
class PrettyLayoutTest {

    /** Spec 2.3's example, verbatim. */
    private static final String SPEC_EXAMPLE = """
            {
              "InfoSequenceNumber": 2,
              "SockRxFlags": {
                "SYN-ACK": 1,
                "ACK": 1
              },
              "SockAge": 0.057344028,
              "App": "DNS",
              "AppTxDns": [{
                "_Timestamp": 0.000001177,
                "Flags": ["RD"],
                "ResourceRecords": [
                  ["A", "kflow.co"]
                ]
              },
              {
                "_Timestamp": 0.000048627,
                "Flags": [],
                "ResourceRecords": []
              }]
            }""";

    private static final String SPEC_EXAMPLE_COMPACT = "{\"InfoSequenceNumber\": 2, "
            + "\"SockRxFlags\": {\"SYN-ACK\": 1, \"ACK\": 1}, \"SockAge\": 0.057344028, \"App\": \"DNS\", "
            + "\"AppTxDns\": [{\"_Timestamp\": 0.000001177, \"Flags\": [\"RD\"], "
            + "\"ResourceRecords\": [[\"A\", \"kflow.co\"]]}, "
            + "{\"_Timestamp\": 0.000048627, \"Flags\": [], \"ResourceRecords\": []}]}";

    private interface Content {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(PrettyPrinter layout, Content content) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setPrettyPrinter(layout);
            content.write(g);
        }
        return out.toString();
    }

    private static void specExample(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("InfoSequenceNumber", 2);
        g.writeObjectFieldStart("SockRxFlags");
        g.writeNumberField("SYN-ACK", 1);
        g.writeNumberField("ACK", 1);
        g.writeEndObject();
        g.writeFieldName("SockAge");
        g.writeNumber("0.057344028");
        g.writeStringField("App", "DNS");
        g.writeArrayFieldStart("AppTxDns");
        g.writeStartObject();
        g.writeFieldName("_Timestamp");
        g.writeNumber("0.000001177");
        g.writeArrayFieldStart("Flags");
        g.writeString("RD");
        g.writeEndArray();
        g.writeArrayFieldStart("ResourceRecords");
        g.writeStartArray();
        g.writeString("A");
        g.writeString("kflow.co");
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndObject();
        g.writeStartObject();
        g.writeFieldName("_Timestamp");
        g.writeNumber("0.000048627");
        g.writeArrayFieldStart("Flags");
        g.writeEndArray();
        g.writeArrayFieldStart("ResourceRecords");
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    @Test
    void compactLayoutOfTheSpecExample() throws IOException {
        assertEquals(SPEC_EXAMPLE_COMPACT, write(CompactLayout.INSTANCE, PrettyLayoutTest::specExample));
    }

    @Test
    void prettyLayoutOfTheSpecExample() throws IOException {
        assertEquals(SPEC_EXAMPLE, write(new PrettyLayout(), PrettyLayoutTest::specExample));
        assertEquals(SPEC_EXAMPLE, KflowdScanner.pretty(SPEC_EXAMPLE_COMPACT));
    }

    @Test
    void arraysOfArraysOneInnerArrayPerLine() throws IOException {
        Content content = g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("ResourceRecords");
            for (String[] rr : new String[][] {{"A", "1.2.3.4"}, {"AAAA", "::1"}, {"CNAME", "x.example"}}) {
                g.writeStartArray();
                for (String s : rr) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeNumberField("After", 1);
            g.writeEndObject();
        };
        String compact = write(CompactLayout.INSTANCE, content);
        String pretty = write(new PrettyLayout(), content);
        assertEquals("""
                {
                  "ResourceRecords": [
                    ["A", "1.2.3.4"],
                    ["AAAA", "::1"],
                    ["CNAME", "x.example"]
                  ],
                  "After": 1
                }""", pretty);
        assertEquals(KflowdScanner.pretty(compact), pretty);
    }

    @Test
    void emptyObjectIsWrittenInline() throws IOException {
        Content content = g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("SockTxFlags");
            g.writeEndObject();
            g.writeNumberField("SockTxDuration", 0);
            g.writeEndObject();
        };
        String compact = write(CompactLayout.INSTANCE, content);
        assertEquals("{\"SockTxFlags\": {}, \"SockTxDuration\": 0}", compact);
        // Our decision (PrettyLayout): "{}", where kflowd's scanner leaves a blank line.
        assertEquals("""
                {
                  "SockTxFlags": {},
                  "SockTxDuration": 0
                }""", write(new PrettyLayout(), content));
        assertEquals("{\n  \"SockTxFlags\": {\n    \n  },\n  \"SockTxDuration\": 0\n}", KflowdScanner.pretty(compact));
    }
}
