package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The service properties the bus selects formatters by, as bnd wrote them into the
 * component descriptions (OSGI-INF is generated before the tests run).
 */
class ComponentDescriptionTest {

    private static String description(Class<?> component) throws IOException {
        try (InputStream in = component.getClassLoader()
                .getResourceAsStream("OSGI-INF/" + component.getName() + ".xml")) {
            assertNotNull(in, "no component description for " + component.getName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jsonFormatter() throws IOException {
        String xml = description(JsonFormatter.class);
        assertTrue(xml.contains("<property name=\"kflowd.format\" type=\"String\" value=\"json\"/>"), xml);
        assertTrue(xml.contains("<property name=\"kflowd.plugin.kind\" type=\"String\" value=\"formatter\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"io.kflowd.api.RecordFormatter\"/>"), xml);
    }

    @Test
    void jsonMinFormatter() throws IOException {
        String xml = description(JsonMinFormatter.class);
        assertTrue(xml.contains("<property name=\"kflowd.format\" type=\"String\" value=\"json-min\"/>"), xml);
        assertTrue(xml.contains("<property name=\"kflowd.plugin.kind\" type=\"String\" value=\"formatter\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"io.kflowd.api.RecordFormatter\"/>"), xml);
    }
}
