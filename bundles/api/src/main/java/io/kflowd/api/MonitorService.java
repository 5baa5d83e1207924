package io.kflowd.api;

/**
 * The running monitor as the core bundle offers it to the console and to tools.
 * One instance, registered by the core while it is active.
 */
public interface MonitorService {

    /** A consistent snapshot of what the monitor is doing now. */
    MonitorStatus status();
}
