package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.VarHandle;

/**
 * The few libc functions the ring reader and the print callback need, in jextract's shape:
 * one method per C function, handles linked lazily, errno captured where libc reports
 * errors through it (the caller passes the capture segment).
 */
final class LibC {

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;
    static final int EPOLL_CLOEXEC = 02000000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x001;
    static final int EPOLLET = 1 << 31;
    static final int SC_PAGESIZE = 30;
    static final int O_RDONLY = 0;
    static final int O_DIRECTORY = 0200000;
    static final int O_CLOEXEC = 02000000;

    /** struct epoll_event is packed on x86-64: u32 events, then a u64 at offset 4. */
    static final StructLayout EPOLL_EVENT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG.withByteAlignment(4).withName("data")).withByteAlignment(4);

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private final NativeFunction mmap;
    private final NativeFunction munmap;
    private final NativeFunction close;
    private final NativeFunction open;
    private final NativeFunction epollCreate1;
    private final NativeFunction epollCtl;
    private final NativeFunction epollWait;
    private final NativeFunction vsnprintf;
    private final NativeFunction sysconf;

    LibC() {
        SymbolLookup libc = Linker.nativeLinker().defaultLookup();
        String lib = "libc";
        mmap = new NativeFunction(libc, lib, "mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                CAPTURE_ERRNO);
        munmap = new NativeFunction(libc, lib, "munmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
        close = new NativeFunction(libc, lib, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        open = new NativeFunction(libc, lib, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                CAPTURE_ERRNO);
        epollCreate1 = new NativeFunction(libc, lib, "epoll_create1",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        epollCtl = new NativeFunction(libc, lib, "epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
        epollWait = new NativeFunction(libc, lib, "epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        // on x86-64 (and aarch64) a va_list parameter is passed as a pointer
        vsnprintf = new NativeFunction(libc, lib, "vsnprintf",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
        sysconf = new NativeFunction(libc, lib, "sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    MemorySegment mmap(MemorySegment callState, MemorySegment addr, long length, int prot, int flags, int fd,
            long offset) {
        try {
            return (MemorySegment) mmap.handle().invokeExact(callState, addr, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    int munmap(MemorySegment callState, MemorySegment addr, long length) {
        try {
            return (int) munmap.handle().invokeExact(callState, addr, length);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code open(path, flags)} without O_CREAT: fd or -1 with errno. */
    int open(MemorySegment callState, MemorySegment path, int flags) {
        try {
            return (int) open.handle().invokeExact(callState, path, flags);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    int close(int fd) {
        try {
            return (int) close.handle().invokeExact(fd);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    int epoll_create1(MemorySegment callState, int flags) {
        try {
            return (int) epollCreate1.handle().invokeExact(callState, flags);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    int epoll_ctl(MemorySegment callState, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) epollCtl.handle().invokeExact(callState, epfd, op, fd, event);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    int epoll_wait(MemorySegment callState, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) epollWait.handle().invokeExact(callState, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    int vsnprintf(MemorySegment buf, long size, MemorySegment format, MemorySegment vaList) {
        try {
            return (int) vsnprintf.handle().invokeExact(buf, size, format, vaList);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    long sysconf(int name) {
        try {
            return (long) sysconf.handle().invokeExact(name);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    long pageSize() {
        long size = sysconf(SC_PAGESIZE);
        return size > 0 ? size : 4096;
    }
}
