package io.kflowd.libbpf;

import java.lang.foreign.MemorySegment;

/**
 * An attached program ({@code struct bpf_link}). {@link #close()} detaches it; the owning
 * {@link BpfObject} closes its links when it closes.
 */
public final class BpfLink implements AutoCloseable {

    private final LibBpf lib;
    private final String programName;
    private MemorySegment link;

    BpfLink(LibBpf lib, MemorySegment link, String programName) {
        this.lib = lib;
        this.link = link;
        this.programName = programName;
    }

    /** The program this link attached. */
    public String programName() {
        return programName;
    }

    /** Whether the link is still attached (not destroyed). */
    public synchronized boolean isAttached() {
        return link != null;
    }

    /** {@code bpf_link__destroy}: detaches and frees. Idempotent. */
    public synchronized void destroy() {
        if (link == null) {
            return;
        }
        MemorySegment l = link;
        link = null;
        int err = lib.bpf_link__destroy(l); // frees the link whatever it returns
        if (err < 0) {
            throw new LibBpfException("bpf_link__destroy", err, "program '" + programName + "'");
        }
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "BpfLink[" + programName + (isAttached() ? "" : ", destroyed") + "]";
    }
}
