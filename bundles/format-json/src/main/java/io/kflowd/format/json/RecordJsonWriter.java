package io.kflowd.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.kflowd.api.AppMessage;
import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.Proc;
import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.api.SocketRecord.Traffic;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
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

    // Sock base block, spec 3.5
    private static final SerializedString SOCK_PROTOCOL = key("SockProtocol");
    private static final SerializedString SOCK_ROLE = key("SockRole");
    private static final SerializedString SOCK_STATE = key("SockState");
    private static final SerializedString SOCK_FAMILY = key("SockFamily");
    private static final SerializedString SOCK_LOCAL_IP = key("SockLocalIP");
    private static final SerializedString SOCK_LOCAL_PORT = key("SockLocalPort");
    private static final SerializedString SOCK_REMOTE_IP = key("SockRemoteIP");
    private static final SerializedString SOCK_REMOTE_PORT = key("SockRemotePort");
    private static final SerializedString SOCK_ADDRESS = key("SockAddress");
    // Tx block, spec 3.6
    private static final SerializedString SOCK_TX_INTERFACE = key("SockTxInterface");
    private static final SerializedString SOCK_TX_DATA_PACKETS = key("SockTxDataPackets");
    private static final SerializedString SOCK_TX_PACKETS = key("SockTxPackets");
    private static final SerializedString SOCK_TX_PACKETS_RETRANS = key("SockTxPacketsRetrans");
    private static final SerializedString SOCK_TX_PACKETS_DUPS = key("SockTxPacketsDups");
    private static final SerializedString SOCK_TX_FLAGS = key("SockTxFlags");
    private static final SerializedString SOCK_TX_DURATION = key("SockTxDuration");
    private static final SerializedString SOCK_TX_BYTES = key("SockTxBytes");
    private static final SerializedString SOCK_TX_BYTES_ACKED = key("SockTxBytesAcked");
    private static final SerializedString SOCK_TX_BYTES_RETRANS = key("SockTxBytesRetrans");
    private static final SerializedString SOCK_TX_RTO = key("SockTxRTO");
    // Rx block, spec 3.6 (the README's second SockTxInterface is this one, quirk Q5)
    private static final SerializedString SOCK_RX_INTERFACE = key("SockRxInterface");
    private static final SerializedString SOCK_RX_DATA_PACKETS = key("SockRxDataPackets");
    private static final SerializedString SOCK_RX_PACKETS = key("SockRxPackets");
    private static final SerializedString SOCK_RX_PACKETS_QUEUED = key("SockRxPacketsQueued");
    private static final SerializedString SOCK_RX_PACKETS_DROP = key("SockRxPacketsDrop");
    private static final SerializedString SOCK_RX_PACKETS_REORDER = key("SockRxPacketsReorder");
    private static final SerializedString SOCK_RX_PACKETS_FRAG = key("SockRxPacketsFrag");
    private static final SerializedString SOCK_RX_FLAGS = key("SockRxFlags");
    private static final SerializedString SOCK_RX_DURATION = key("SockRxDuration");
    private static final SerializedString SOCK_RX_BYTES = key("SockRxBytes");
    private static final SerializedString SOCK_RX_TTL = key("SockRxTTL");
    private static final SerializedString SOCK_RTT = key("SockRTT");
    // SockAge and App, spec 3.7, 3.8
    private static final SerializedString SOCK_AGE = key("SockAge");
    private static final SerializedString APP = key("App");

    private static final App[] APPS = App.values();
    private static final SerializedString[] APP_TX_KEYS = new SerializedString[APPS.length];
    private static final SerializedString[] APP_RX_KEYS = new SerializedString[APPS.length];

    static {
        for (App app : APPS) {
            APP_TX_KEYS[app.ordinal()] = key("AppTx" + app.arraySuffix());
            APP_RX_KEYS[app.ordinal()] = key("AppRx" + app.arraySuffix());
        }
    }

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
                case SocketRecord socket -> writeSocket(g, socket);
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

    /**
     * Spec 3.1 and 3.9: Info, Proc, Sock, the traffic blocks (client Tx then Rx, server Rx
     * then Tx), SockAge, App and the message arrays.
     */
    private void writeSocket(JsonGenerator g, SocketRecord socket) throws IOException {
        g.writeStartObject();
        writeInfo(g, socket.info());
        writeProc(g, socket.proc());
        Protocol protocol = socket.protocol();
        if (protocol == Protocol.UNIX) {
            string(g, SOCK_ROLE, socket.role().name());
            string(g, SOCK_ADDRESS, socket.address());
            string(g, SOCK_FAMILY, socket.family().name());
        } else {
            string(g, SOCK_PROTOCOL, protocol.name());
            string(g, SOCK_ROLE, socket.role().name());
            string(g, SOCK_STATE, socket.state());
            string(g, SOCK_FAMILY, socket.family().name());
            string(g, SOCK_LOCAL_IP, socket.localIp());
            unsigned(g, SOCK_LOCAL_PORT, socket.localPort());
            string(g, SOCK_REMOTE_IP, socket.remoteIp());
            unsigned(g, SOCK_REMOTE_PORT, socket.remotePort());
        }
        boolean client = socket.role() == SocketRecord.Role.CLIENT;
        if (client) {
            writeTx(g, protocol, socket.tx());
            writeRx(g, protocol, socket.rx());
        } else {
            writeRx(g, protocol, socket.rx());
            writeTx(g, protocol, socket.tx());
        }
        duration(g, SOCK_AGE, socket.ageNanos());
        App app = socket.app();
        if (app != null) {
            string(g, APP, app.name());
            SerializedString txKey = APP_TX_KEYS[app.ordinal()];
            SerializedString rxKey = APP_RX_KEYS[app.ordinal()];
            // Quirk Q3, kept: a SYSLOG server lists Tx before Rx, unlike DNS and HTTP.
            if (client || app == App.SYSLOG) {
                writeMessages(g, txKey, socket.txMessages());
                writeMessages(g, rxKey, socket.rxMessages());
            } else {
                writeMessages(g, rxKey, socket.rxMessages());
                writeMessages(g, txKey, socket.txMessages());
            }
        }
        g.writeEndObject();
    }

    /** The Tx block, only when a packet was sent; its keys by protocol (spec 3.6). */
    private void writeTx(JsonGenerator g, Protocol protocol, Traffic tx) throws IOException {
        if (tx == null || tx.packets() == 0) {
            return;
        }
        if (protocol == Protocol.UNIX) {
            unsigned(g, SOCK_TX_BYTES, tx.bytes());
            return;
        }
        boolean tcp = protocol == Protocol.TCP;
        string(g, SOCK_TX_INTERFACE, tx.interfaceName());
        if (tcp) {
            unsigned(g, SOCK_TX_DATA_PACKETS, tx.dataPackets());
        }
        unsigned(g, SOCK_TX_PACKETS, tx.packets());
        if (tcp) {
            unsigned(g, SOCK_TX_PACKETS_RETRANS, tx.packetsRetrans());
            unsigned(g, SOCK_TX_PACKETS_DUPS, tx.packetsDups());
            writeFlags(g, SOCK_TX_FLAGS, tx.flags());
        }
        duration(g, SOCK_TX_DURATION, tx.durationNanos());
        unsigned(g, SOCK_TX_BYTES, tx.bytes());
        if (tcp) {
            unsigned(g, SOCK_TX_BYTES_ACKED, tx.bytesAcked());
            unsigned(g, SOCK_TX_BYTES_RETRANS, tx.bytesRetrans());
            unsigned(g, SOCK_TX_RTO, tx.rto());
        }
    }

    /** The Rx block with SockRTT, only when a packet was received; its keys by protocol (spec 3.6). */
    private void writeRx(JsonGenerator g, Protocol protocol, Traffic rx) throws IOException {
        if (rx == null || rx.packets() == 0) {
            return;
        }
        if (protocol == Protocol.UNIX) {
            unsigned(g, SOCK_RX_BYTES, rx.bytes());
            return;
        }
        boolean tcp = protocol == Protocol.TCP;
        string(g, SOCK_RX_INTERFACE, rx.interfaceName());
        if (tcp) {
            unsigned(g, SOCK_RX_DATA_PACKETS, rx.dataPackets());
        }
        unsigned(g, SOCK_RX_PACKETS, rx.packets());
        unsigned(g, SOCK_RX_PACKETS_QUEUED, rx.packetsQueued());
        unsigned(g, SOCK_RX_PACKETS_DROP, rx.packetsDrop());
        if (tcp) {
            unsigned(g, SOCK_RX_PACKETS_REORDER, rx.packetsReorder());
        }
        unsigned(g, SOCK_RX_PACKETS_FRAG, rx.packetsFrag());
        if (tcp) {
            writeFlags(g, SOCK_RX_FLAGS, rx.flags());
        }
        duration(g, SOCK_RX_DURATION, rx.durationNanos());
        unsigned(g, SOCK_RX_BYTES, rx.bytes());
        unsigned(g, SOCK_RX_TTL, rx.ttl());
        if (tcp) {
            duration(g, SOCK_RTT, rx.rttNanos());
        }
    }

    /** {@code SockTxFlags}/{@code SockRxFlags}: combination to count, in order of first appearance. */
    private void writeFlags(JsonGenerator g, SerializedString key, Map<String, Long> flags) throws IOException {
        g.writeFieldName(key);
        g.writeStartObject();
        for (Map.Entry<String, Long> entry : flags.entrySet()) {
            unsigned(g, entry.getKey(), entry.getValue());
        }
        g.writeEndObject();
    }

    /** One {@code AppTx*}/{@code AppRx*} array, omitted when empty (spec 3.8). */
    private void writeMessages(JsonGenerator g, SerializedString key, List<AppMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        g.writeFieldName(key);
        g.writeStartArray();
        for (AppMessage message : messages) {
            writeMembers(g, message.members());
        }
        g.writeEndArray();
    }

    private void writeMembers(JsonGenerator g, List<AppMessage.Member> members) throws IOException {
        g.writeStartObject();
        for (AppMessage.Member member : members) {
            g.writeFieldName(wellFormed(member.key()));
            writeValue(g, member.value());
        }
        g.writeEndObject();
    }

    private void writeValue(JsonGenerator g, AppMessage.Value value) throws IOException {
        switch (value) {
            case AppMessage.StringValue s -> g.writeString(wellFormed(s.text()));
            case AppMessage.NumberValue n -> g.writeNumber(n.value());
            case AppMessage.SecondsValue s -> g.writeNumber(buf, 0, ValueText.duration(s.nanos(), buf));
            case AppMessage.BooleanValue b -> g.writeBoolean(b.value());
            case AppMessage.ArrayValue a -> {
                g.writeStartArray();
                for (AppMessage.Value element : a.values()) {
                    writeValue(g, element);
                }
                g.writeEndArray();
            }
            case AppMessage.ObjectValue o -> writeMembers(g, o.members());
        }
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

    private void unsigned(JsonGenerator g, String key, long value) throws IOException {
        g.writeFieldName(wellFormed(key));
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
