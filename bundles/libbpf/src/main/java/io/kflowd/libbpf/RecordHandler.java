package io.kflowd.libbpf;

import java.lang.foreign.MemorySegment;

/**
 * Receives ring-buffer records in place, without a copy and without an allocation per record.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * One record: {@code length} bytes at {@code offset} in {@code data}. {@code data} is the
     * read-only data area of the ring (writes throw), mapped twice, so a record is contiguous even where it
     * wraps; offsets are 8-byte aligned. The bytes are valid only during this call: the
     * producer reuses them once the batch ends, so copy what must be kept.
     *
     * <p>What the handler throws ends the batch and propagates; the record counts as consumed.
     */
    void onRecord(MemorySegment data, long offset, int length);
}
