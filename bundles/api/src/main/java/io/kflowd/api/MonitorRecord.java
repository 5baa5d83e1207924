package io.kflowd.api;

/**
 * One record: one aggregated activity, which becomes exactly one output message. Sealed:
 * formatters render every kind.
 */
public sealed interface MonitorRecord permits FileRecord, SocketRecord {

    /** The Info block: sequence number, time, host. */
    Info info();

    /** The Proc block: the acting process. */
    Proc proc();

    /** This record with another Proc block (enrichers fill {@code ProcVersion} this way). */
    MonitorRecord withProc(Proc proc);
}
