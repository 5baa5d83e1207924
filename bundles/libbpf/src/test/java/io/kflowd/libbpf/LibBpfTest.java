package io.kflowd.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bindings and wrappers against the real libbpf.so.1, without loading into the kernel. */
class LibBpfTest {

    private final LibBpf lib = new LibBpf();

    record Message(PrintLevel level, String text) {
    }

    @AfterEach
    void restorePrint() {
        lib.setPrint(null);
        lib.setPrintDebug(false);
    }

    @Test
    void reportsItsVersion() {
        assertEquals(1, lib.libbpf_major_version());
        assertTrue(lib.libbpf_minor_version() >= 1);
        assertEquals("v" + lib.libbpf_major_version() + "." + lib.libbpf_minor_version(), lib.version());
        assertTrue(lib.libbpf_num_possible_cpus() >= Runtime.getRuntime().availableProcessors());
    }

    @Test
    void badElfImageIsAReadableError() {
        byte[] garbage = "this is not an ELF file, just some bytes".getBytes();
        LibBpfException e = assertThrows(LibBpfException.class, () -> BpfObject.open(lib, garbage, "garbage"));
        assertEquals("bpf_object__open_mem", e.call());
        assertTrue(e.getMessage().startsWith("bpf_object__open_mem: "), e.getMessage());
        assertTrue(e.getMessage().contains("[object 'garbage', " + garbage.length + " bytes]"), e.getMessage());
        assertTrue(e.errno() > 0, "an errno, not a crash: " + e.getMessage());

        byte[] truncated = java.util.Arrays.copyOf(TestElf.bytes(), 200);
        LibBpfException t = assertThrows(LibBpfException.class, () -> BpfObject.open(lib, truncated, null));
        assertTrue(t.getMessage().startsWith("bpf_object__open_mem: "), t.getMessage());

        LibBpfException empty = assertThrows(LibBpfException.class, () -> BpfObject.open(lib, new byte[0], "empty"));
        assertEquals("bpf_object__open_mem: Invalid argument (EINVAL) [object 'empty', 0 bytes]", empty.getMessage());
    }

    @Test
    void printCallbackDeliversFormattedMessages() {
        List<Message> messages = new CopyOnWriteArrayList<>();
        lib.setPrint((level, text) -> messages.add(new Message(level, text)));
        lib.setPrintDebug(true);

        try (BpfObject object = BpfObject.open(lib, TestElf.bytes(), "print_test")) {
            assertFalse(object.programNames().isEmpty());
        }

        assertFalse(messages.isEmpty(), "libbpf prints while it opens an object");
        assertTrue(messages.stream().allMatch(m -> m.text().startsWith("libbpf: ")), messages.toString());
        // the format was expanded: the object name came in through a %s
        assertTrue(messages.stream().anyMatch(m -> m.level() == PrintLevel.DEBUG && m.text().contains("print_test")),
                messages.toString());
        assertTrue(messages.stream().noneMatch(m -> m.text().endsWith("\n")), "trailing newline removed");
        assertTrue(messages.stream().noneMatch(m -> m.text().contains("%s")), "no unexpanded format");
    }

    @Test
    void debugMessagesAreDroppedUnlessAsked() {
        List<Message> messages = new CopyOnWriteArrayList<>();
        lib.setPrint((level, text) -> messages.add(new Message(level, text)));
        try (BpfObject object = BpfObject.open(lib, TestElf.bytes(), "quiet_test")) {
            assertFalse(object.programNames().isEmpty());
        }
        assertTrue(messages.stream().noneMatch(m -> m.level() == PrintLevel.DEBUG), messages.toString());
    }

    @Test
    void aThrowingPrintConsumerDoesNotCrash() {
        lib.setPrint((level, text) -> {
            throw new IllegalStateException("consumer failure");
        });
        lib.setPrintDebug(true);
        try (BpfObject object = BpfObject.open(lib, TestElf.bytes(), "throwing_consumer")) {
            assertEquals(List.of(TestElf.PROGRAM, TestElf.REJECTED), object.programNames());
        }
    }

    @Test
    void objectBeforeLoad() {
        try (BpfObject object = BpfObject.open(lib, MemorySegment.ofArray(TestElf.bytes()), TestElf.OBJECT)) {
            assertEquals(List.of(TestElf.PROGRAM, TestElf.REJECTED), object.programNames());

            MemorySegment rodata = object.rodata();
            assertEquals(4, rodata.byteSize(), "const volatile __u32 target_tgid");
            rodata.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 42);
            assertEquals(42, object.rodata().get(java.lang.foreign.ValueLayout.JAVA_INT, 0));

            assertEquals(16 * 1024, object.maxEntries(TestElf.EVENTS));
            object.setMaxEntries(TestElf.EVENTS, 64 * 1024);
            assertEquals(64 * 1024, object.maxEntries(TestElf.EVENTS));

            LibBpfException noMap = assertThrows(LibBpfException.class, () -> object.setMaxEntries("nope", 1));
            assertEquals("bpf_object__find_map_by_name: No such file or directory (ENOENT)"
                    + " [object 'ringbuf_test', map 'nope']", noMap.getMessage());
            LibBpfException noProg = assertThrows(LibBpfException.class, () -> object.setAutoload("nope", true));
            assertTrue(noProg.getMessage().contains("program 'nope'"), noProg.getMessage());

            assertThrows(IllegalStateException.class, () -> object.attach(TestElf.PROGRAM), "not loaded");
            assertThrows(IllegalStateException.class, () -> object.map(TestElf.COUNTERS), "not loaded");
        }
    }

    @Test
    void closedObjectRefusesUse() {
        BpfObject object = BpfObject.open(lib, TestElf.bytes(), TestElf.OBJECT);
        MemorySegment rodata = object.rodata();
        object.close();
        object.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> rodata.get(java.lang.foreign.ValueLayout.JAVA_INT, 0),
                "the image is freed with the object: no use after free");
        assertThrows(IllegalStateException.class, object::programNames);
        assertThrows(IllegalStateException.class, object::load);
    }

    @Test
    void errnoTexts() {
        assertEquals("bpf_object__load: Operation not permitted (EPERM) [object 'kflowd']",
                new LibBpfException("bpf_object__load", -1, "object 'kflowd'").getMessage());
        assertEquals("Permission denied (EACCES)", Errno.describe(13));
        assertEquals("BPF object format invalid (LIBBPF_ERRNO__FORMAT)", Errno.describe(-4001));
        assertEquals("Operation is not supported (ENOTSUPP)", Errno.describe(524));
        assertEquals("Unknown error 9999", Errno.describe(9999));
        assertEquals("EAGAIN", Errno.name(11));
    }
}
