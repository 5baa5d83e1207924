package io.kflowd.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.Proc;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes records as kflowd JSON (spec 3) through one reused Jackson generator, in the
 * layout its printer gives. Keys are pre-encoded, values go through a reused char buffer:
 * no allocation per field on the usual path.
 *
 * <p>The generator is bound to {@link Target}, whose destination is the caller's stream
 * for the duration of one call; the record reaches that stream before the call returns.
 * Calls are serialised (the API promises one thread at a time; the lock also makes the
 * hand-over between threads safe). A reused generator lives in this object rather than in
 * a ThreadLocal so that nothing of this bundle stays reachable from the bus thread after
 * the bundle is updated or removed.
 */
final class RecordJsonWriter {

    // Info block, spec 3.2
    private static final SerializedString INFO_SEQUENCE_NUMBER = key("InfoSequenceNumber");
    private static final SerializedString INFO_TIMESTAMP = key("InfoTimestamp");
    private static final SerializedString INFO_MONITOR = key("InfoMonitor");
    private static final SerializedString INFO_HOST_NAME = key("InfoHostName");
    private static final SerializedString INFO_HOST_IP = key("InfoHostIP");
    private static final SerializedString INFO_HOST_TOKEN = key("InfoHostToken");
    private static final SerializedString INFO_SYSTEM = key("InfoSystem");
    private static final SerializedString INFO_KERNEL = key("InfoKernel");
    private static final SerializedString INFO_VERSION = key("InfoVersion");
    private static final SerializedString INFO_UPTIME = key("InfoUptime");
    // Proc block, spec 3.3
    private static final SerializedString PROC_PARENT = key("ProcParent");
    private static final SerializedString PROC = key("Proc");
    private static final SerializedString PROC_VERSION = key("ProcVersion");
    private static final SerializedString PROC_USER = key("ProcUser");
    private static final SerializedString PROC_GROUP = key("ProcGroup");
    private static final SerializedString PROC_PPID = key("ProcPPID");
    private static final SerializedString PROC_PID = key("ProcPID");
    private static final SerializedString PROC_TID = key("ProcTID");
    private static final SerializedString PROC_UID = key("ProcUID");
    private static final SerializedString PROC_GID = key("ProcGID");
    private static final SerializedString PROC_AGE = key("ProcAge");
    // File block, spec 3.4
    private static final SerializedString FILE_PATH = key("FilePath");
    private static final SerializedString FILE = key("File");
    private static final SerializedString FILE_ORIGIN = key("FileOrigin");
    private static final SerializedString FILE_VERSION = key("FileVersion");
    private static final SerializedString FILE_MODE = key("FileMode");
    private static final SerializedString FILE_EVENT_COUNT = key("FileEventCount");
    private static final SerializedString FILE_EVENTS = key("FileEvents");
    private static final SerializedString FILE_EVENTS_DURATION = key("FileEventsDuration");
    private static final SerializedString FILE_INODE = key("FileInode");
    private static final SerializedString FILE_INODE_LINK_COUNT = key("FileInodeLinkCount");
    private static final SerializedString FILE_DEVICE = key("FileDevice");
    private static final SerializedString FILE_PERMISSIONS = key("FilePermissions");
    private static final SerializedString FILE_USER = key("FileUser");
    private static final SerializedString FILE_GROUP = key("FileGroup");
    private static final SerializedString FILE_UID = key("FileUID");
    private static final SerializedString FILE_GID = key("FileGID");
    private static final SerializedString FILE_SIZE = key("FileSize");
    private static final SerializedString FILE_SIZE_CHANGE = key("FileSizeChange");
    private static final SerializedString FILE_ACCESS_TIME = key("FileAccessTime");
    private static final SerializedString FILE_STATUS_CHANGE_TIME = key("FileStatusChangeTime");
    private static final SerializedString FILE_MODIFICATION_TIME = key("FileModificationTime");
    private static final SerializedString FILE_MODIFICATION_TIME_CHANGE = key("FileModificationTimeChange");
    private static final SerializedString FILE_MD5 = key("FileMD5");
    private static final SerializedString FILE_SHA256 = key("FileSHA256");

    private static final FileEvent[] EVENTS = FileEvent.values();
    private static final SerializedString[] EVENT_KEYS = new SerializedString[EVENTS.length];

    static {
        for (FileEvent event : EVENTS) {
            EVENT_KEYS[event.ordinal()] = key(event.name());
        }
    }

    private final JsonFactory factory = new JsonFactoryBuilder()
            // The caller owns its stream and decides when to flush it.
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            // Characters outside the BMP as 4-byte UTF-8, not as escaped surrogate pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .characterEscapes(StrictEscapes.INSTANCE)
            .build();
    private final Supplier<PrettyPrinter> layout;
    private final Target target = new Target();
    private final char[] buf = new char[ValueText.BUFFER_SIZE];
    /** Null before the first record and after a failed one. */
    private JsonGenerator generator;

    RecordJsonWriter(Supplier<PrettyPrinter> layout) {
        this.layout = layout;
    }

    /** Writes one record, unframed, into {@code out}. */
    synchronized void write(MonitorRecord record, OutputStream out) throws IOException {
        JsonGenerator g = generator != null ? generator : newGenerator();
        target.out = out;
        boolean complete = false;
        try {
            switch (record) {
                case FileRecord file -> writeFile(g, file);
            }
            g.flush();
            complete = true;
        } finally {
            target.out = null;
            // A generator that failed half-way holds half a record and the printer's
            // indentation of it: the next record starts with a fresh one.
            generator = complete ? g : null;
        }
    }

    private JsonGenerator newGenerator() throws IOException {
        JsonGenerator g = factory.createGenerator(target);
        g.setPrettyPrinter(layout.get());
        return g;
    }

    private void writeFile(JsonGenerator g, FileRecord file) throws IOException {
        g.writeStartObject();
        writeInfo(g, file.info());
        writeProc(g, file.proc());
        string(g, FILE_PATH, file.path());
        string(g, FILE, file.name());
        if (file.origin() != null) {
            string(g, FILE_ORIGIN, file.origin());
        }
        if (file.version() != null) {
            string(g, FILE_VERSION, file.version());
        }
        string(g, FILE_MODE, file.mode());
        writeEvents(g, file.events());
        duration(g, FILE_EVENTS_DURATION, file.eventsDurationNanos());
        unsigned(g, FILE_INODE, file.inode());
        unsigned(g, FILE_INODE_LINK_COUNT, file.linkCount());
        string(g, FILE_DEVICE, file.device());
        g.writeFieldName(FILE_PERMISSIONS);
        g.writeString(buf, 0, ValueText.permissions(file.permissions(), buf));
        string(g, FILE_USER, file.user());
        string(g, FILE_GROUP, file.group());
        unsigned(g, FILE_UID, file.uid());
        unsigned(g, FILE_GID, file.gid());
        unsigned(g, FILE_SIZE, file.size());
        if (file.sizeChange() != 0) {
            g.writeFieldName(FILE_SIZE_CHANGE);
            g.writeNumber(file.sizeChange());
        }
        timestamp(g, FILE_ACCESS_TIME, file.accessTime());
        timestamp(g, FILE_STATUS_CHANGE_TIME, file.statusChangeTime());
        timestamp(g, FILE_MODIFICATION_TIME, file.modificationTime());
        if (file.modificationTimeChangeNanos() != 0) {
            g.writeFieldName(FILE_MODIFICATION_TIME_CHANGE);
            g.writeNumber(buf, 0, ValueText.signedSeconds(file.modificationTimeChangeNanos(), buf));
        }
        if (file.md5() != null) {
            string(g, FILE_MD5, file.md5());
        }
        if (file.sha256() != null) {
            string(g, FILE_SHA256, file.sha256());
        }
        g.writeEndObject();
    }

    private void writeInfo(JsonGenerator g, Info info) throws IOException {
        unsigned(g, INFO_SEQUENCE_NUMBER, info.sequenceNumber());
        timestamp(g, INFO_TIMESTAMP, info.timestamp());
        string(g, INFO_MONITOR, info.monitor().key());
        string(g, INFO_HOST_NAME, info.hostName());
        string(g, INFO_HOST_IP, info.hostIp());
        if (info.hostToken() != null) {
            string(g, INFO_HOST_TOKEN, info.hostToken());
        }
        string(g, INFO_SYSTEM, info.system());
        string(g, INFO_KERNEL, info.kernel());
        string(g, INFO_VERSION, info.version());
        duration(g, INFO_UPTIME, info.uptimeNanos());
    }

    private void writeProc(JsonGenerator g, Proc proc) throws IOException {
        string(g, PROC_PARENT, proc.parent());
        string(g, PROC, proc.name());
        if (proc.version() != null) {
            string(g, PROC_VERSION, proc.version());
        }
        string(g, PROC_USER, proc.user());
        string(g, PROC_GROUP, proc.group());
        unsigned(g, PROC_PPID, proc.ppid());
        unsigned(g, PROC_PID, proc.pid());
        unsigned(g, PROC_TID, proc.tid());
        unsigned(g, PROC_UID, proc.uid());
        unsigned(g, PROC_GID, proc.gid());
        duration(g, PROC_AGE, proc.ageNanos());
    }

    /** {@code FileEventCount} and {@code FileEvents}: non-zero counts in {@link FileEvent} order. */
    private void writeEvents(JsonGenerator g, Map<FileEvent, Integer> events) throws IOException {
        long total = 0;
        for (FileEvent event : EVENTS) {
            Integer count = events.get(event);
            if (count != null && count > 0) {
                total += count;
            }
        }
        g.writeFieldName(FILE_EVENT_COUNT);
        g.writeNumber(total);
        g.writeFieldName(FILE_EVENTS);
        g.writeStartObject();
        for (FileEvent event : EVENTS) {
            Integer count = events.get(event);
            if (count != null && count > 0) {
                g.writeFieldName(EVENT_KEYS[event.ordinal()]);
                g.writeNumber(count.intValue());
            }
        }
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializedString key, String value) throws IOException {
        g.writeFieldName(key);
        g.writeString(wellFormed(value));
    }

    private void unsigned(JsonGenerator g, SerializedString key, long value) throws IOException {
        g.writeFieldName(key);
        if (value >= 0) {
            g.writeNumber(value);
        } else {
            g.writeNumber(buf, 0, ValueText.unsigned(value, buf, 0));
        }
    }

    private void duration(JsonGenerator g, SerializedString key, long nanos) throws IOException {
        g.writeFieldName(key);
        g.writeNumber(buf, 0, ValueText.duration(nanos, buf));
    }

    private void timestamp(JsonGenerator g, SerializedString key, Instant time) throws IOException {
        g.writeFieldName(key);
        g.writeString(buf, 0, ValueText.timestamp(time.getEpochSecond(), time.getNano(), buf));
    }

    /**
     * {@code value}, or a copy with every unpaired surrogate replaced by U+FFFD. A Java
     * string can hold them, UTF-8 cannot; Jackson would either escape them as
     * {@code \uD800} (rejected by strict parsers) or, with surrogate combining on, glue a
     * lone high surrogate to the next character.
     */
    static String wellFormed(String value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return replaceUnpairedSurrogates(value);
                }
            }
        }
        return value;
    }

    private static String replaceUnpairedSurrogates(String value) {
        StringBuilder result = new StringBuilder(value.length());
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                result.append(c).append(value.charAt(++i));
            } else {
                result.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return result.toString();
    }

    private static SerializedString key(String name) {
        return new SerializedString(name);
    }

    /** The generator's fixed output; forwards to the current caller's stream. */
    private static final class Target extends OutputStream {
        OutputStream out;

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }
    }
}
