package io.kflowd.format.ocsf;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordFormatter;
import java.io.IOException;
import java.io.OutputStream;
import org.osgi.service.component.annotations.Component;

/**
 * {@code -o ocsf}: every record as one compact OCSF 1.3.0 event (File System Activity,
 * Network Activity, DNS Activity or HTTP Activity). The stdout sink frames it as an NDJSON
 * line, UDP sends it as one datagram.
 */
@Component(service = RecordFormatter.class,
        property = {RecordFormatter.FORMAT + "=ocsf", PluginKind.PROPERTY + "=formatter"})
public final class OcsfFormatter implements RecordFormatter {

    private final TreeWriter writer = new TreeWriter();

    public OcsfFormatter() {
    }

    @Override
    public void format(MonitorRecord record, OutputStream out) throws IOException {
        writer.write(OcsfMapper.map(record), out);
    }
}
