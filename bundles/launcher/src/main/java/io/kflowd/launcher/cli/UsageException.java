package io.kflowd.launcher.cli;

/**
 * A command line the user got wrong. Only thrown and caught inside this package: callers of
 * {@link CommandLineParser} get a {@link ParseResult.UsageError}, never an exception.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String reason) {
        // No stack trace: this is a message for the user, not a program error.
        super(reason, null, false, false);
    }
}
