package io.kflowd.core.enrich;

/** The {@code Proc} value from the executable's basename and the thread's comm (spec 8.1). */
public final class ProcessNames {

    private ProcessNames() {
    }

    /**
     * The executable name when comm and executable name agree on the length of the
     * shorter one (also when either is empty), else {@code exe/comm} (e.g.
     * {@code python3.11/worker}). No names are cut: kflowd's 31-char limit and its
     * {@code ~} marker do not apply.
     */
    public static String procName(String exe, String comm) {
        if (exe.isEmpty()) {
            return comm;
        }
        if (comm.isEmpty()) {
            return exe;
        }
        int shorter = Math.min(exe.length(), comm.length());
        return exe.regionMatches(0, comm, 0, shorter) ? exe : exe + "/" + comm;
    }
}
