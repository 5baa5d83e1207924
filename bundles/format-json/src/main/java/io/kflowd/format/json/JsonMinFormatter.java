package io.kflowd.format.json;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordFormatter;
import java.io.IOException;
import java.io.OutputStream;
import org.osgi.service.component.annotations.Component;

/**
 * {@code -o json-min}: kflowd's compact layout (spec 2.1), one line, {@code "Key": value}
 * members separated by {@code ", "}. Also what UDP collectors receive. The stdout sink
 * frames it as NDJSON.
 */
@Component(service = RecordFormatter.class,
        property = {RecordFormatter.FORMAT + "=json-min", PluginKind.PROPERTY + "=formatter"})
public final class JsonMinFormatter implements RecordFormatter {

    private final RecordJsonWriter writer = new RecordJsonWriter(() -> CompactLayout.INSTANCE);

    public JsonMinFormatter() {
    }

    @Override
    public void format(MonitorRecord record, OutputStream out) throws IOException {
        writer.write(record, out);
    }
}
