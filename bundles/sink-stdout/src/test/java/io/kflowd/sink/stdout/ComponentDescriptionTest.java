package io.kflowd.sink.stdout;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The component and metatype descriptions bnd generated (before the tests run). */
class ComponentDescriptionTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = StdoutSink.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sinkServiceConfiguredByTheOutputPid() throws IOException {
        String xml = resource("OSGI-INF/" + StdoutSink.class.getName() + ".xml");
        assertTrue(xml.contains("configuration-policy=\"require\""), xml);
        assertTrue(xml.contains("configuration-pid=\"io.kflowd.output\""), xml);
        assertTrue(xml.contains("<property name=\"kflowd.plugin.kind\" type=\"String\" value=\"sink\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"io.kflowd.api.RecordSink\"/>"), xml);
    }

    @Test
    void metatypeDescribesFormatAndStdout() throws IOException {
        String xml = resource("OSGI-INF/metatype/" + OutputConfig.class.getName() + ".xml");
        assertTrue(xml.contains("pid=\"io.kflowd.output\""), xml);
        assertTrue(xml.contains("id=\"format\""), xml);
        assertTrue(xml.contains("id=\"stdout\""), xml);
    }
}
