package io.kflowd.enrich.checksums;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The enrichment PID {@code io.kflowd.enrich}: the launcher writes the switches of -v and -c;
 * the size cap is this bundle's. DS maps {@code checksum_max_bytes()} to the key
 * {@code checksum.max.bytes}.
 */
@ObjectClassDefinition(name = "kflowd enrichment",
        description = "Package versions (-v) and checksums (-c) of executables")
@interface ChecksumConfig {

    @AttributeDefinition(name = "Package versions (-v)", description = "ProcVersion and FileVersion keys")
    boolean versions() default false;

    @AttributeDefinition(name = "Checksums (-c)", description = "FileMD5 and FileSHA256 keys of files with an execute bit")
    boolean checksums() default false;

    @AttributeDefinition(name = "Largest file to hash",
            description = "Bytes; a larger file gets \"\" (counted as larger than the size cap), so one huge file cannot stall the output",
            min = "0")
    long checksum_max_bytes() default FileHasher.DEFAULT_MAX_BYTES;
}
