package io.kflowd.format.ocsf;

import io.kflowd.api.AppMessage;
import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.Proc;
import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.api.SocketRecord.Role;
import io.kflowd.api.SocketRecord.Traffic;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Maps one kflowd record to one OCSF 1.3.0 event tree (the mapping table is the module's
 * README). What OCSF has no attribute for goes into {@code unmapped} under its kflowd key.
 */
final class OcsfMapper {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private OcsfMapper() {
    }

    static Node map(MonitorRecord record) {
        return switch (record) {
            case FileRecord file -> file(file);
            case SocketRecord socket -> socket(socket);
        };
    }

    // ---------------------------------------------------------------- common attributes

    /** The base event attributes, in the order they are written, the class's own follow. */
    static Node base(int categoryUid, int classUid, int activityId, String activityName, int statusId,
            MonitorRecord record, long durationNanos) {
        Info info = record.info();
        long time = millis(info.timestamp());
        long duration = Math.max(0, durationNanos) / NANOS_PER_MILLI;
        String caption = Ocsf.activityCaption(classUid, activityId);
        Node event = Node.object()
                .put("class_uid", classUid)
                .put("class_name", Ocsf.className(classUid))
                .put("category_uid", categoryUid)
                .put("category_name", Ocsf.categoryName(categoryUid))
                .put("activity_id", activityId)
                .put("activity_name", activityName != null ? activityName : caption)
                .put("type_uid", (long) classUid * 100 + activityId)
                .put("type_name", Ocsf.className(classUid) + ": " + caption)
                .put("severity_id", Ocsf.SEVERITY_INFORMATIONAL)
                .put("severity", "Informational")
                .put("status_id", statusId)
                .put("status", Ocsf.statusName(statusId))
                .put("time", time)
                .put("start_time", time - duration)
                .put("end_time", time)
                .put("duration", duration);
        return event;
    }

    /** metadata, device, actor and the empty osint list, after the class's own attributes. */
    static void context(Node event, MonitorRecord record) {
        Info info = record.info();
        String version = info.version();
        Node product = Node.object()
                .put("name", "kflowd")
                .put("vendor_name", "kflowd")
                .putText("version", version.startsWith("kflowd-") ? version.substring(7) : version);
        List<Object> profiles = Node.list();
        profiles.add("host");
        event.put("metadata", Node.object()
                .put("version", Ocsf.VERSION)
                .put("product", product)
                .put("profiles", profiles)
                .put("log_name", info.monitor().key())
                .putUnsigned("sequence", info.sequenceNumber()));
        boolean linux = "Linux".equalsIgnoreCase(info.system());
        Node os = Node.object()
                .put("name", info.system().isEmpty() ? "Unknown" : info.system())
                .put("type_id", linux ? 200 : 99)
                .put("type", linux ? "Linux" : "Other")
                .putText("version", info.kernel());
        event.put("device", Node.object()
                .putText("hostname", info.hostName())
                .putText("ip", info.hostIp())
                .put("type_id", 0)
                .put("type", "Unknown")
                .put("os", os));
        Proc proc = record.proc();
        event.put("actor", Node.object()
                .put("process", process(proc))
                .put("user", user(proc.user(), proc.uid())));
        event.put("osint", Node.list());
    }

    private static Node process(Proc proc) {
        Node parent = Node.object()
                .putUnsigned("pid", proc.ppid())
                .putText("name", proc.parent());
        return Node.object()
                .putUnsigned("pid", proc.pid())
                .putUnsigned("tid", proc.tid())
                .putText("name", proc.name())
                .put("user", user(proc.user(), proc.uid()))
                .put("group", Node.object().putText("name", proc.group()).put("uid", Long.toUnsignedString(proc.gid())))
                .put("parent_process", parent);
    }

    private static Node user(String name, long uid) {
        return Node.object().putText("name", name).put("uid", Long.toUnsignedString(uid));
    }

    /** Info and Proc keys without an OCSF attribute. */
    private static Node unmapped(MonitorRecord record) {
        Info info = record.info();
        Proc proc = record.proc();
        return Node.object()
                .put("InfoHostToken", info.hostToken())
                .put("InfoUptime", new Node.Seconds(info.uptimeNanos(), false))
                .put("ProcVersion", proc.version())
                .put("ProcAge", new Node.Seconds(proc.ageNanos(), false));
    }

    /** Milliseconds since the epoch, saturated instead of overflowing for absurd instants. */
    static long millis(Instant time) {
        long seconds = time.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 1000 - 1) {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / 1000 + 1) {
            return Long.MIN_VALUE;
        }
        return seconds * 1000 + time.getNano() / NANOS_PER_MILLI;
    }

    // ---------------------------------------------------------------- File System Activity

    private static Node file(FileRecord file) {
        Map<FileEvent, Integer> events = file.events();
        int activity = fileActivity(events);
        String name = activity == 99 ? "Close" : null;
        Node event = base(Ocsf.CATEGORY_SYSTEM, Ocsf.FILE_ACTIVITY, activity, name, Ocsf.STATUS_SUCCESS, file,
                file.eventsDurationNanos());
        event.put("count", file.eventCount());
        Node current = fileObject(file, file.name());
        if (file.origin() != null) {
            // A rename: the source is the old name (its directory is not known), the result the file now.
            event.put("file", Node.object()
                    .put("name", file.origin())
                    .put("type_id", current.get("type_id"))
                    .put("type", current.get("type"))
                    .put("uid", current.get("uid")));
            event.put("file_result", current);
        } else {
            event.put("file", current);
        }
        context(event, file);

        Node unmapped = unmapped(file);
        unmapped.put("FileMode", file.mode());
        Node counts = Node.object();
        events.forEach((kind, count) -> counts.put(kind.name(), count));
        unmapped.put("FileEvents", counts)
                .put("FileEventsDuration", new Node.Seconds(file.eventsDurationNanos(), false))
                .putUnsigned("FileInodeLinkCount", file.linkCount())
                .put("FileDevice", file.device())
                .put("FilePermissions", Permissions.text(file.permissions()))
                .put("FileGroup", file.group())
                .putUnsigned("FileGID", file.gid());
        if ("".equals(file.version())) {
            unmapped.put("FileVersion", "");
        }
        if (file.sizeChange() != 0) {
            unmapped.put("FileSizeChange", file.sizeChange());
        }
        unmapped.put("FileStatusChangeTime", millis(file.statusChangeTime()));
        if (file.modificationTimeChangeNanos() != 0) {
            unmapped.put("FileModificationTimeChange", new Node.Seconds(file.modificationTimeChangeNanos(), true));
        }
        // Asked for (-c) but not computed: no hash object, the empty value says why.
        if ("".equals(file.md5())) {
            unmapped.put("FileMD5", "");
        }
        if ("".equals(file.sha256())) {
            unmapped.put("FileSHA256", "");
        }
        event.put("unmapped", unmapped);
        return event;
    }

    /**
     * The dominant event of the set: what changed the file most, so that a query for deletes
     * or renames finds every record that contains one. All counts stay in FileEvents.
     */
    static int fileActivity(Map<FileEvent, Integer> events) {
        if (events.containsKey(FileEvent.DELETE)) {
            return 4; // Delete
        }
        if (events.containsKey(FileEvent.MOVED_TO) || events.containsKey(FileEvent.MOVED_FROM)) {
            return 5; // Rename
        }
        if (events.containsKey(FileEvent.CREATE)) {
            return 1; // Create
        }
        if (events.containsKey(FileEvent.MODIFY) || events.containsKey(FileEvent.CLOSE_WRITE)) {
            return 3; // Update
        }
        if (events.containsKey(FileEvent.ATTRIB)) {
            return 6; // Set Attributes
        }
        if (events.containsKey(FileEvent.ACCESS)) {
            return 2; // Read
        }
        if (events.containsKey(FileEvent.OPEN) || events.containsKey(FileEvent.OPEN_EXEC)) {
            return 14; // Open
        }
        if (events.containsKey(FileEvent.CLOSE_NOWRITE)) {
            return 99; // Other: "Close" (1.3.0 has no Close activity)
        }
        return 0;
    }

    private static Node fileObject(FileRecord file, String name) {
        String dir = file.path();
        String path = dir.endsWith("/") ? dir + name : dir.isEmpty() ? name : dir + "/" + name;
        String parent = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        int type = Permissions.fileTypeId(file.permissions(), file.mode());
        Node node = Node.object()
                .put("name", name)
                .put("path", path)
                .putText("parent_folder", parent)
                .put("type_id", type)
                .put("type", Permissions.fileTypeCaption(type))
                .putUnsigned("size", file.size())
                .put("uid", Long.toUnsignedString(file.inode()))
                .put("owner", user(file.user(), file.uid()))
                .put("accessed_time", millis(file.accessTime()))
                .put("modified_time", millis(file.modificationTime()))
                .putText("version", file.version());
        List<Object> hashes = Node.list();
        if (file.md5() != null && !file.md5().isEmpty()) {
            hashes.add(Node.object().put("algorithm_id", 1).put("algorithm", "MD5").put("value", file.md5()));
        }
        if (file.sha256() != null && !file.sha256().isEmpty()) {
            hashes.add(Node.object().put("algorithm_id", 3).put("algorithm", "SHA-256").put("value", file.sha256()));
        }
        if (!hashes.isEmpty()) {
            node.put("hashes", hashes);
        }
        return node;
    }

    // ---------------------------------------------------------------- network classes

    private static Node socket(SocketRecord socket) {
        App app = socket.app();
        Node event;
        if (app == App.DNS) {
            event = DnsMapping.event(socket);
        } else if (app == App.HTTP) {
            event = HttpMapping.event(socket);
        } else {
            int activity = networkActivity(socket);
            int status = activity == 4 || activity == 5 ? Ocsf.STATUS_FAILURE : Ocsf.STATUS_SUCCESS;
            event = base(Ocsf.CATEGORY_NETWORK, Ocsf.NETWORK_ACTIVITY, activity, null, status, socket,
                    socket.ageNanos());
            network(event, socket, null);
        }
        return event;
    }

    /** The attributes all three network classes share, then the context and unmapped. */
    static void network(Node event, SocketRecord socket, Node classUnmapped) {
        boolean unix = socket.protocol() == Protocol.UNIX;
        boolean client = socket.role() == Role.CLIENT;
        Traffic tx = block(socket.tx());
        Traffic rx = block(socket.rx());
        if (socket.app() != null) {
            event.put("app_name", socket.app().name());
        }
        Node connection = Node.object()
                .put("direction_id", client ? 2 : 1)
                .put("direction", client ? "Outbound" : "Inbound");
        Node local;
        Node remote;
        if (unix) {
            local = Node.object();
            remote = Node.object().put("name", socket.address());
            connection.put("boundary_id", 1).put("boundary", "Localhost");
        } else {
            boolean tcp = socket.protocol() == Protocol.TCP;
            boolean v6 = socket.family() == SocketRecord.Family.AF_INET6;
            local = Node.object().put("ip", socket.localIp()).put("port", socket.localPort());
            remote = Node.object().put("ip", socket.remoteIp()).put("port", socket.remotePort());
            connection.put("protocol_name", tcp ? "tcp" : "udp")
                    .put("protocol_num", tcp ? 6 : 17)
                    .put("protocol_ver_id", v6 ? 6 : 4)
                    .put("protocol_ver", v6 ? "Internet Protocol version 6 (IPv6)"
                            : "Internet Protocol version 4 (IPv4)");
            if (loopback(socket.localIp()) && loopback(socket.remoteIp())) {
                connection.put("boundary_id", 1).put("boundary", "Localhost");
            }
            Traffic first = tx != null ? tx : rx;
            if (first != null) {
                Interfaces.describe(first.interfaceName(), local);
            }
        }
        event.putObject("src_endpoint", client ? local : remote);
        event.put("dst_endpoint", client ? remote : local);
        event.put("connection_info", connection);
        Node traffic = Node.object();
        if (tx != null) {
            traffic.putUnsigned("bytes_out", tx.bytes());
            if (!unix) {
                traffic.putUnsigned("packets_out", tx.packets());
            }
        }
        if (rx != null) {
            traffic.putUnsigned("bytes_in", rx.bytes());
            if (!unix) {
                traffic.putUnsigned("packets_in", rx.packets());
            }
        }
        if (!traffic.isEmpty()) {
            traffic.putUnsigned("bytes", (tx != null ? tx.bytes() : 0) + (rx != null ? rx.bytes() : 0));
            if (!unix) {
                traffic.putUnsigned("packets", (tx != null ? tx.packets() : 0) + (rx != null ? rx.packets() : 0));
            }
            event.put("traffic", traffic);
        }
        context(event, socket);

        Node unmapped = unmapped(socket);
        if (unix) {
            unmapped.put("SockFamily", socket.family().name());
        } else {
            unmapped.put("SockState", socket.state());
        }
        if (tx != null && !unix) {
            counters(unmapped, "Tx", tx, socket.protocol(), true);
        }
        if (rx != null && !unix) {
            counters(unmapped, "Rx", rx, socket.protocol(), false);
            if (tx != null && !rx.interfaceName().equals(tx.interfaceName())) {
                unmapped.put("SockRxInterface", rx.interfaceName());
            }
        }
        unmapped.put("SockAge", new Node.Seconds(socket.ageNanos(), false));
        if (classUnmapped != null) {
            classUnmapped.members().forEach(unmapped::put);
        }
        if (socket.app() != null) {
            String suffix = socket.app().arraySuffix();
            if (!socket.txMessages().isEmpty()) {
                unmapped.put("AppTx" + suffix, List.copyOf(socket.txMessages()));
            }
            if (!socket.rxMessages().isEmpty()) {
                unmapped.put("AppRx" + suffix, List.copyOf(socket.rxMessages()));
            }
        }
        event.put("unmapped", unmapped);
    }

    /** The Sock?x* keys of spec 3.6 that have no OCSF attribute, for the protocol's key set. */
    private static void counters(Node unmapped, String dir, Traffic t, Protocol protocol, boolean tx) {
        boolean tcp = protocol == Protocol.TCP;
        String p = "Sock" + dir;
        if (tcp) {
            unmapped.putUnsigned(p + "DataPackets", t.dataPackets());
        }
        if (tx && tcp) {
            unmapped.putUnsigned(p + "PacketsRetrans", t.packetsRetrans())
                    .putUnsigned(p + "PacketsDups", t.packetsDups());
        }
        if (!tx) {
            unmapped.putUnsigned(p + "PacketsQueued", t.packetsQueued())
                    .putUnsigned(p + "PacketsDrop", t.packetsDrop());
            if (tcp) {
                unmapped.putUnsigned(p + "PacketsReorder", t.packetsReorder());
            }
            unmapped.putUnsigned(p + "PacketsFrag", t.packetsFrag());
        }
        if (tcp) {
            Node flags = Node.object();
            t.flags().forEach((combination, count) -> flags.putUnsigned(combination, count));
            unmapped.put(p + "Flags", flags);
        }
        unmapped.put(p + "Duration", new Node.Seconds(t.durationNanos(), false));
        if (tx && tcp) {
            unmapped.putUnsigned(p + "BytesAcked", t.bytesAcked())
                    .putUnsigned(p + "BytesRetrans", t.bytesRetrans())
                    .putUnsigned(p + "RTO", t.rto());
        }
        if (!tx) {
            unmapped.putUnsigned(p + "TTL", t.ttl());
            if (tcp) {
                unmapped.put("SockRTT", new Node.Seconds(t.rttNanos(), false));
            }
        }
    }

    /** A traffic block as kflowd writes it: only with packets (for UNIX, messages; unsigned). */
    private static Traffic block(Traffic traffic) {
        return traffic != null && traffic.packets() != 0 ? traffic : null;
    }

    /**
     * Network Activity's activity for a TCP record: trouble first (a connect left unanswered,
     * refused, a reset), then Open (opened here, still open), Close (closed here, opened in
     * an earlier record); a connection opened and closed within the record, UDP and UNIX
     * are Traffic.
     */
    static int networkActivity(SocketRecord socket) {
        if (socket.protocol() != Protocol.TCP) {
            return 6;
        }
        Map<String, Long> txFlags = socket.tx() != null ? socket.tx().flags() : Map.of();
        Map<String, Long> rxFlags = socket.rx() != null ? socket.rx().flags() : Map.of();
        boolean client = socket.role() == Role.CLIENT;
        boolean synAck = hasFlags(client ? rxFlags : txFlags, "SYN", "ACK");
        boolean reset = hasFlags(txFlags, "RST") || hasFlags(rxFlags, "RST");
        String state = socket.state();
        if (client && "TCP_SYN_SENT".equals(state)) {
            return 4; // Fail
        }
        if (client && !synAck && hasFlags(rxFlags, "RST") && hasPureSyn(txFlags)) {
            return 5; // Refuse
        }
        if (reset) {
            return 3; // Reset
        }
        boolean opened = hasPureSyn(client ? txFlags : rxFlags);
        boolean closed = "TCP_CLOSE".equals(state);
        if (opened && !closed) {
            return 1; // Open
        }
        if (closed && !opened) {
            return 2; // Close
        }
        return 6; // Traffic
    }

    private static boolean hasPureSyn(Map<String, Long> flags) {
        return flags.containsKey("SYN");
    }

    /** Whether a combination holds all of {@code wanted} ("SYN-ACK" holds SYN and ACK). */
    private static boolean hasFlags(Map<String, Long> flags, String... wanted) {
        for (String combination : flags.keySet()) {
            List<String> set = List.of(combination.split("-"));
            boolean all = true;
            for (String flag : wanted) {
                all &= set.contains(flag);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    static boolean loopback(String ip) {
        return ip != null && (ip.startsWith("127.") || ip.equals("::1") || ip.startsWith("::ffff:127."));
    }

    /** The messages of both directions, sent first. */
    static List<AppMessage> messages(SocketRecord socket) {
        List<AppMessage> all = new java.util.ArrayList<>(socket.txMessages());
        all.addAll(socket.rxMessages());
        return all;
    }
}
