package io.kflowd.api;

/**
 * The running monitor as the core bundle offers it to the console and to tools.
 * One instance, registered by the core while it is active.
 */
public interface MonitorService {

    /**
     * Property of the marker service the core registers once its first attempt to load and
     * attach the kernel programs is over (attached, or failed with the reason in
     * {@link MonitorStatus}): the launcher says "running" only then, so that nothing a user
     * does after that line is missed.
     */
    String KERNEL_STARTED = "kflowd.kernel.started";

    /** A consistent snapshot of what the monitor is doing now. */
    MonitorStatus status();
}
