package io.kflowd.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java mirror of bpf/include/kflowd.h against the BTF of the built kflowd.bpf.o (as
 * bpftool dumps it): every struct has the same size, every member the same offset. A
 * header change that is not mirrored in KernelLayouts fails here.
 */
class KernelLayoutsTest {

    @Test
    void javaLayoutsMatchTheBtfOfTheBuiltObject() throws Exception {
        Path object = Files.createTempFile("kflowd", ".bpf.o");
        try (InputStream in = KernelLayoutsTest.class.getClassLoader().getResourceAsStream("io/kflowd/bpf/kflowd.bpf.o")) {
            assertNotNull(in, "kflowd.bpf.o is not on the test class path (kflowd-bpf dependency)");
            Files.copy(in, object, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process bpftool = new ProcessBuilder("bpftool", "-j", "btf", "dump", "file", object.toString())
                .redirectErrorStream(true).start();
        byte[] json = bpftool.getInputStream().readAllBytes();
        assertTrue(bpftool.waitFor(30, TimeUnit.SECONDS), "bpftool did not finish");
        assertEquals(0, bpftool.exitValue(), new String(json));
        Files.delete(object);

        Map<String, JsonNode> structs = new HashMap<>();
        for (JsonNode type : new ObjectMapper().readTree(json).path("types")) {
            if ("STRUCT".equals(type.path("kind").asText())) {
                structs.put(type.path("name").asText(), type);
            }
        }
        for (StructLayout layout : KernelLayouts.all()) {
            String name = layout.name().orElseThrow();
            JsonNode btf = structs.get(name);
            assertNotNull(btf, "struct " + name + " is not in the object's BTF (is it used by a program or map?)");
            assertEquals(btf.path("size").asLong(), layout.byteSize(), "size of struct " + name);
            List<String> javaMembers = layout.memberLayouts().stream().map(MemoryLayout::name).map(n -> n.orElseThrow()).toList();
            int index = 0;
            for (JsonNode member : btf.path("members")) {
                String memberName = member.path("name").asText();
                assertTrue(index < javaMembers.size(), name + "." + memberName + " is missing in KernelLayouts");
                assertEquals(memberName, javaMembers.get(index), "member " + index + " of " + name);
                assertEquals(member.path("bits_offset").asLong() / 8, KernelLayouts.offset(layout, memberName),
                        "offset of " + name + "." + memberName);
                index++;
            }
            assertEquals(javaMembers.size(), index, "members of " + name + " in Java but not in the header");
        }
    }
}
