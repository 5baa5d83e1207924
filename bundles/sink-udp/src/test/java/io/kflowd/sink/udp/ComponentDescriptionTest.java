package io.kflowd.sink.udp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The component and metatype descriptions bnd generated (before the tests run). */
class ComponentDescriptionTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = UdpSink.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void immediateComponentConfiguredByTheUdpPidRegisteringItsOwnService() throws IOException {
        String xml = resource("OSGI-INF/" + UdpSink.class.getName() + ".xml");
        assertTrue(xml.contains("configuration-policy=\"require\""), xml);
        assertTrue(xml.contains("configuration-pid=\"io.kflowd.sink.udp\""), xml);
        assertTrue(xml.contains("immediate=\"true\""), xml);
        // the RecordSink is registered by the component while it has collectors
        assertFalse(xml.contains("<provide"), xml);
    }

    @Test
    void metatypeDescribesCollectorsAndMaxDatagram() throws IOException {
        String xml = resource("OSGI-INF/metatype/" + UdpConfig.class.getName() + ".xml");
        assertTrue(xml.contains("pid=\"io.kflowd.sink.udp\""), xml);
        assertTrue(xml.contains("id=\"collectors\""), xml);
        assertTrue(xml.contains("id=\"max.datagram\""), xml);
        assertTrue(xml.contains("default=\"65000\""), xml);
    }
}
