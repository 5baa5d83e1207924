package io.kflowd.libbpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test BPF object the build compiles from src/test/bpf/ringbuf_test.bpf.c. */
final class TestElf {

    static final String RESOURCE = "/ringbuf_test.bpf.o";
    static final String OBJECT = "ringbuf_test";
    static final String PROGRAM = "rb_test_getppid";
    static final String REJECTED = "rejected_by_verifier";
    static final String EVENTS = "events";
    static final String COUNTERS = "counters";
    static final String PERCPU_HITS = "percpu_hits";
    static final int COUNTER_HITS = 0;
    static final int COUNTER_DROPS = 1;

    private TestElf() {
    }

    static byte[] bytes() {
        try (InputStream in = TestElf.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the build compiles it with clang");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
