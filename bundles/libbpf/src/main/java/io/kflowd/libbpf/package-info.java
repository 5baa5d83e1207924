/**
 * FFM (java.lang.foreign) bindings to libbpf.so.1 and an mmap reader for BPF ring buffers.
 * Plain Java, usable inside and outside OSGi: {@link io.kflowd.libbpf.LibBpf} holds the raw
 * bindings, {@link io.kflowd.libbpf.BpfObject}, {@link io.kflowd.libbpf.BpfLink} and
 * {@link io.kflowd.libbpf.BpfMap} wrap them, {@link io.kflowd.libbpf.RingReader} reads
 * records in place. Needs {@code --enable-native-access} for the module or ALL-UNNAMED.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.kflowd.libbpf;
