package io.kflowd.decoder.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The service properties the core selects decoders by, as bnd wrote them. */
class ComponentDescriptionTest {

    @Test
    void httpDecoder() throws IOException {
        try (InputStream in = HttpDecoder.class.getClassLoader()
                .getResourceAsStream("OSGI-INF/" + HttpDecoder.class.getName() + ".xml")) {
            assertNotNull(in, "no component description");
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<property name=\"kflowd.app\" type=\"String\" value=\"HTTP\"/>"), xml);
            assertTrue(xml.contains("<property name=\"kflowd.plugin.kind\" type=\"String\" value=\"decoder\"/>"), xml);
            assertTrue(xml.contains("<provide interface=\"io.kflowd.api.AppDecoder\"/>"), xml);
        }
    }
}
