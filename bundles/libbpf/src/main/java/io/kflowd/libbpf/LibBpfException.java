package io.kflowd.libbpf;

/**
 * A libbpf (or libc) call failed. The message names the call, the errno as text and
 * symbol, and what the call was about, e.g.
 * {@code bpf_object__load: Operation not permitted (EPERM) [object 'kflowd']}.
 * libbpf prints the details (verifier log, missing kernel features) through its print
 * callback, see {@link LibBpf#setPrint}.
 */
public class LibBpfException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * @param call    the C function that failed, e.g. {@code bpf_object__load}
     * @param errno   positive errno (a negative libbpf return value is accepted too)
     * @param subject what the call was about, e.g. {@code object 'kflowd', program 'x'}; may be empty
     */
    public LibBpfException(String call, int errno, String subject) {
        super(call + ": " + Errno.describe(errno) + bracket(subject));
        this.call = call;
        this.errno = Math.abs(errno);
    }

    /** A failure without an errno (e.g. a library or symbol that cannot be found). */
    public LibBpfException(String call, String subject, String detail, Throwable cause) {
        super(call + ": " + detail + bracket(subject), cause);
        this.call = call;
        this.errno = 0;
    }

    /** The C function that failed. */
    public String call() {
        return call;
    }

    /** The positive errno, or 0 when the failure has none. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code EPERM}, or {@code ""} when there is none. */
    public String errnoName() {
        return errno == 0 ? "" : Errno.name(errno);
    }

    private static String bracket(String subject) {
        return subject == null || subject.isEmpty() ? "" : " [" + subject + "]";
    }
}
