package io.kflowd.format.json;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordFormatter;
import java.io.IOException;
import java.io.OutputStream;
import org.osgi.service.component.annotations.Component;

/**
 * {@code -o json}, the default: kflowd's pretty layout (spec 2.3), 2-space indent, one
 * member per line, no trailing newline. The stdout sink frames it as an RFC 7464 JSON text
 * sequence.
 */
@Component(service = RecordFormatter.class,
        property = {RecordFormatter.FORMAT + "=json", PluginKind.PROPERTY + "=formatter"})
public final class JsonFormatter implements RecordFormatter {

    private final RecordJsonWriter writer = new RecordJsonWriter(PrettyLayout::new);

    public JsonFormatter() {
    }

    @Override
    public void format(MonitorRecord record, OutputStream out) throws IOException {
        writer.write(record, out);
    }
}
