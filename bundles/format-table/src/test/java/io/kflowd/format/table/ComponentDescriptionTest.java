package io.kflowd.format.table;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The service properties the bus selects the formatter by, and the width's metatype. */
class ComponentDescriptionTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = TableFormatter.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, "no " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void tableFormatter() throws IOException {
        String xml = resource("OSGI-INF/" + TableFormatter.class.getName() + ".xml");
        assertTrue(xml.contains("<property name=\"kflowd.format\" type=\"String\" value=\"table\"/>"), xml);
        assertTrue(xml.contains("<property name=\"kflowd.plugin.kind\" type=\"String\" value=\"formatter\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"io.kflowd.api.RecordFormatter\"/>"), xml);
        assertTrue(xml.contains("configuration-pid=\"io.kflowd.output\""), xml);
        assertTrue(xml.contains("configuration-policy=\"optional\""), xml);
        assertTrue(xml.contains("<property name=\"table.width\" type=\"Integer\" value=\"160\"/>"), xml);
    }

    @Test
    void widthMetatype() throws IOException {
        String xml = resource("OSGI-INF/metatype/" + TableConfig.class.getName() + ".xml");
        assertTrue(xml.contains("<AD id=\"table.width\" type=\"Integer\""), xml);
        assertTrue(xml.contains("min=\"80\" default=\"160\""), xml);
        assertTrue(xml.contains("<Designate pid=\"io.kflowd.output\">"), xml);
    }
}
