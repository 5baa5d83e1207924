package io.kflowd.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Diagnostics of the launcher, the framework and the bundles all go through
 * java.util.logging, one line per message, to stderr, or to syslog in daemon mode. stdout
 * stays reserved for records. Stack traces only with -V: an operator needs the reason,
 * a developer the trace.
 */
final class LogSetup {

    private LogSetup() {
    }

    static void toStderr(boolean verbose) {
        install(new PrintStream(new FileDescriptorStream(), true, StandardCharsets.UTF_8), verbose);
    }

    /** Daemon mode: each message becomes one syslog line through logger(1), tagged kflowd[pid]. */
    static void toSyslog(boolean verbose) throws IOException {
        Process logger = new ProcessBuilder("logger", "-t", "kflowd", "--id=" + ProcessHandle.current().pid())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        install(new PrintStream(logger.getOutputStream(), true, StandardCharsets.UTF_8), verbose);
    }

    /** One line per message, flushed at once: a diagnostic must not wait in a buffer. */
    private static void install(PrintStream destination, boolean verbose) {
        Handler handler = new StreamHandler(destination, new OneLineFormatter(verbose)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        handler.setLevel(verbose ? Level.FINE : Level.INFO);
        root.setLevel(verbose ? Level.FINE : Level.INFO);
        root.addHandler(handler);
    }

    /** Writes to file descriptor 2 directly, whatever System.err is later set to. */
    private static final class FileDescriptorStream extends OutputStream {
        private final OutputStream err = new java.io.FileOutputStream(java.io.FileDescriptor.err);

        @Override
        public void write(int b) throws IOException {
            err.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            err.write(b, off, len);
        }
    }

    static final class OneLineFormatter extends Formatter {
        private final boolean withTraces;

        OneLineFormatter(boolean withTraces) {
            this.withTraces = withTraces;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder("kflowd: ");
            Level level = record.getLevel();
            if (level.intValue() >= Level.SEVERE.intValue()) {
                line.append("error: ");
            } else if (level.intValue() >= Level.WARNING.intValue()) {
                line.append("warning: ");
            }
            line.append(formatMessage(record).replace('\n', ' '));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                line.append(": ").append(reason(thrown));
            }
            line.append('\n');
            if (thrown != null && withTraces) {
                java.io.StringWriter trace = new java.io.StringWriter();
                thrown.printStackTrace(new java.io.PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        /** The innermost message: framework exceptions wrap the useful one. */
        static String reason(Throwable thrown) {
            Throwable t = thrown;
            String message = t.getMessage();
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
                if (t.getMessage() != null) {
                    message = message == null ? t.getMessage() : message + ": " + t.getMessage();
                }
            }
            return message != null ? message.replace('\n', ' ') : thrown.getClass().getSimpleName();
        }
    }

}
