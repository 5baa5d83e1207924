package io.kflowd.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** Felix's own diagnostics, routed into java.util.logging instead of stdout. */
final class FrameworkLog extends org.apache.felix.framework.Logger {

    private static final Logger LOG = Logger.getLogger("kflowd.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        Level julLevel = switch (level) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
        String where = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() + ": " : "";
        LOG.log(julLevel, where + msg, throwable);
    }
}
