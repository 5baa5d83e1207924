package io.kflowd.log;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Forwards the OSGi log (SCR, FileInstall, plugins that use the Log Service) into
 * java.util.logging, where the launcher turns every message into one line on stderr or
 * syslog. Without it, SCR prints multi-line stack traces and FileInstall writes to stdout,
 * which is reserved for records.
 */
@Component(immediate = true)
public final class LogForwarder implements LogListener {

    private static final Logger LOG = Logger.getLogger("kflowd.osgi");

    private final LogReaderService reader;

    @Activate
    public LogForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        Level level = switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            // Bundle and service events arrive as INFO/DEBUG: detail for -V only.
            case INFO, DEBUG, TRACE -> Level.FINE;
        };
        if (!LOG.isLoggable(level)) {
            return;
        }
        String origin = entry.getBundle() != null && entry.getBundle().getSymbolicName() != null
                ? entry.getBundle().getSymbolicName() + ": " : "";
        LOG.log(level, origin + entry.getMessage(), entry.getException());
    }
}
