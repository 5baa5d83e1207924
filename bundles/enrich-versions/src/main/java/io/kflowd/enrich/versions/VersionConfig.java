package io.kflowd.enrich.versions;

/**
 * The enrichment PID {@code io.kflowd.enrich} as this bundle reads it (its metatype is
 * described by kflowd-enrich-checksums, which has the PID's one setting of its own).
 */
@interface VersionConfig {

    /** -v: read the package database ahead of the first record. */
    boolean versions() default false;
}
