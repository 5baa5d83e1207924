package io.kflowd.libbpf;

/** libbpf's {@code enum libbpf_print_level}, in its order. */
public enum PrintLevel {
    WARN, INFO, DEBUG;

    private static final PrintLevel[] VALUES = values();

    static PrintLevel of(int level) {
        return level >= 0 && level < VALUES.length ? VALUES[level] : DEBUG;
    }
}
