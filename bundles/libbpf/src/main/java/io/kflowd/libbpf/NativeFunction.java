package io.kflowd.libbpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * One C function, linked on first use. Creating a downcall handle is what costs at JVM
 * start (ARCHITECTURE.md section 4), so a program only pays for the functions it calls;
 * the JDK's linker caches the stubs per descriptor, so the same signature is cheap the
 * second time.
 */
final class NativeFunction {

    private final SymbolLookup lookup;
    private final String library;
    private final String name;
    private final FunctionDescriptor descriptor;
    private final Linker.Option[] options;
    private volatile MethodHandle handle;

    NativeFunction(SymbolLookup lookup, String library, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        this.lookup = lookup;
        this.library = library;
        this.name = name;
        this.descriptor = descriptor;
        this.options = options;
    }

    String name() {
        return name;
    }

    MethodHandle handle() {
        MethodHandle h = handle;
        if (h == null) {
            MemorySegment symbol = lookup.find(name).orElseThrow(() -> new LibBpfException(
                    name, library, "symbol not found", null));
            // a benign race: two threads may both link; either handle is as good
            h = Linker.nativeLinker().downcallHandle(symbol, descriptor, options);
            handle = h;
        }
        return h;
    }

    /** For invokeExact's checked Throwable: native calls throw nothing checked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
