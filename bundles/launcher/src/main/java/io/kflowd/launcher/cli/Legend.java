package io.kflowd.launcher.cli;

import static io.kflowd.launcher.cli.LegendEntry.key;

import java.util.List;

/**
 * The legend of {@code -l}/{@code --legend}: every JSON key in the order of spec section 3,
 * with sub-keys under their parent, formatted like kflowd's. The descriptions say what our
 * output contains; where kflowd's legend is wrong [quirk Q20] we do not copy it (e.g. the
 * key is {@code _Url}, SYSLOG has no {@code Length}, {@code FileInodeLinkCount} counts hard
 * links, "Queued" counts bytes, {@code SockTxRTO} is in jiffies).
 */
public final class Legend {

    private static final List<LegendEntry> FILE_EVENTS = List.of(
            key("CREATE", "File created"),
            key("OPEN", "File opened"),
            key("OPEN_EXEC", "File opened for execution"),
            key("ACCESS", "File read"),
            key("ATTRIB", "File attributes changed (mode, owner, times, links)"),
            key("MODIFY", "File written"),
            key("CLOSE_WRITE", "File closed after being opened for writing"),
            key("CLOSE_NOWRITE", "File closed after being opened read-only"),
            key("MOVED_FROM", "File renamed or moved away from its old name"),
            key("MOVED_TO", "File renamed or moved to its new name"),
            key("DELETE", "File deleted"));

    private static final List<LegendEntry> TCP_FLAGS = List.of(
            key("FIN", "Finish: the sender has no more data"),
            key("SYN", "Synchronize: connection set-up"),
            key("RST", "Reset: connection aborted"),
            key("PSH", "Push: hand the data to the application at once"),
            key("ACK", "Acknowledgment number is valid"),
            key("URG", "Urgent pointer is valid"));

    private static final List<LegendEntry> DNS_FIELDS = List.of(
            key("_Timestamp", "Seconds from the start of the socket record to the message"),
            key("TransactionId", "Transaction id of query and response"),
            key("OpCode", "Query kind: QUERY, IQUERY, STATUS or - (queries only)"),
            key("ResponseCode", "Result: NOERROR, FORMERROR, SERVFAIL, NXDOMAIN or - (responses only)"),
            key("Flags", "Header flags that are set, among QR, AA, TC, RD, RA"),
            key("AnswerCount", "Number of answers in the response (responses only)"),
            key("ResourceRecords", "Query: [type, name]; response: up to 8 [type, name, TTL, class, data]"));

    private static final List<LegendEntry> HTTP_FIELDS = List.of(
            key("_Timestamp", "Seconds from the start of the socket record to the message"),
            key("_Method", "Request method, e.g. GET (requests only)"),
            key("_Url", "Request target (requests only)"),
            key("_Version", "Protocol version, e.g. HTTP/1.1"),
            key("_Status", "Status code (responses only)"),
            key("_Reason", "Reason phrase (responses only)"),
            key("[Header]", "Header fields as \"Name\": \"Value\", as many as fit"),
            key("_Body", "Start of the message body"));

    private static final List<LegendEntry> SYSLOG_FIELDS = List.of(
            key("Facility", "Facility name, e.g. User, Local0"),
            key("Severity", "Severity name and number, e.g. \"Notice (5)\""),
            key("Priority", "Priority value: facility * 8 + severity"),
            key("Version", "Protocol version (0 for RFC 3164 messages)"),
            key("Timestamp", "Time stamp as written in the message"),
            key("Hostname", "Host name in the message"),
            key("Appname", "Application name (tag)"),
            key("ProcId", "Process id in the message"),
            key("MsgId", "Message type id (RFC 5424)"),
            key("Data", "Structured data (RFC 5424)"),
            key("Message", "Message text"));

    private static final List<LegendEntry> TLS_FIELDS = List.of(
            key("ServerName", "Server name requested by the client (SNI)"),
            key("Alpn", "Application protocols offered by the client or chosen by the server (ALPN)"),
            key("Versions", "TLS versions offered by the client"),
            key("Version", "TLS version chosen by the server"),
            key("Cipher", "Cipher suite chosen by the server"));

    private static final List<LegendEntry> ENTRIES = List.of(
            key("InfoSequenceNumber", "Number of the record since start, the first record is 1"),
            key("InfoTimestamp", "Time the record was processed, UTC with nanoseconds"),
            key("InfoMonitor", "Monitor that produced the record: \"filesystem\" or \"socket\""),
            key("InfoHostName", "Host name"),
            key("InfoHostIP", "Local IPv4 address of the route to 8.8.8.8, found at start (\"\" if none)"),
            key("InfoHostToken", "Host token given with -T (only with -T)"),
            key("InfoSystem", "Operating system name, \"Linux\""),
            key("InfoKernel", "Release of the running kernel"),
            key("InfoVersion", "Version of the monitor: \"kflowd-\" and the version"),
            key("InfoUptime", "Seconds since monitoring started (not the system uptime)"),

            key("ProcParent", "Executable name of the parent process (\"\" if none)"),
            key("Proc", "Executable name, or executable/thread name when the thread name differs"),
            key("ProcVersion", "Package version of the executable, \"\" if unknown (only with -v)"),
            key("ProcUser", "User name of ProcUID (\"\" if unknown)"),
            key("ProcGroup", "Group name of ProcGID (\"\" if unknown)"),
            key("ProcPPID", "Process id of the parent process"),
            key("ProcPID", "Process id"),
            key("ProcTID", "Thread id"),
            key("ProcUID", "Real user id"),
            key("ProcGID", "Real group id"),
            key("ProcAge", "Seconds since the process started"),

            key("FilePath", "Directory of the file, beginning and ending with /"),
            key("File", "File name (after a rename: the new name)"),
            key("FileOrigin", "Old name of a renamed file (only after a rename)"),
            key("FileVersion", "Package version of the file, \"\" if none (only with -v, executables)"),
            key("FileMode", "\"symlink\", \"hardlink\" (more than one link) or \"regular\""),
            key("FileEventCount", "Number of file events in the record"),
            key("FileEvents", "Number of events per event type", FILE_EVENTS),
            key("FileEventsDuration", "Seconds from the first to the last event of the record"),
            key("FileInode", "Inode number"),
            key("FileInodeLinkCount", "Number of hard links to the inode"),
            key("FileDevice", "Device as \"<id>h:<device>:<mount point>:<fs type>\" (\"\" if unknown)"),
            key("FilePermissions", "Permissions, octal and symbolic, e.g. \"0755/-rwxr-xr-x\""),
            key("FileUser", "Owner's user name (\"\" if unknown)"),
            key("FileGroup", "Owner's group name (\"\" if unknown)"),
            key("FileUID", "Owner's user id"),
            key("FileGID", "Owner's group id"),
            key("FileSize", "File size in bytes at the last event"),
            key("FileSizeChange", "Change of the file size in bytes during the record, may be negative"),
            key("FileAccessTime", "Last access time (atime), UTC"),
            key("FileStatusChangeTime", "Last status change time (ctime), UTC"),
            key("FileModificationTime", "Last modification time (mtime), UTC"),
            key("FileModificationTimeChange", "Seconds the modification time advanced during the record"),
            key("FileMD5", "MD5 checksum (only with -c, executables)"),
            key("FileSHA256", "SHA256 checksum (only with -c, executables)"),

            key("SockProtocol", "Transport protocol: \"TCP\" or \"UDP\""),
            key("SockRole", "\"CLIENT\" or \"SERVER\""),
            key("SockState", "Socket state, e.g. \"TCP_ESTABLISHED\", \"TCP_CLOSE\", \"UDP_CLOSE\""),
            key("SockFamily", "Address family: \"AF_INET\", \"AF_INET6\" or \"AF_UNIX\""),
            key("SockLocalIP", "Local IP address"),
            key("SockLocalPort", "Local port"),
            key("SockRemoteIP", "Remote IP address"),
            key("SockRemotePort", "Remote port"),
            key("SockAddress", "Path of the UNIX socket (systemd journal sockets)"),

            key("SockTxInterface", "Interface of sent packets: \"<index>:<name>:<mac>\" (\"\" if unknown)"),
            key("SockTxDataPackets", "Sent TCP segments that carry data"),
            key("SockTxPackets", "Sent TCP segments or UDP datagrams"),
            key("SockTxPacketsRetrans", "Retransmitted TCP segments"),
            key("SockTxPacketsDups", "Sent TCP segments the peer reported as duplicates (D-SACK)"),
            key("SockTxFlags", "Sent TCP segments per flag combination, e.g. \"SYN-ACK\" (see SockRxFlags)"),
            key("SockTxDuration", "Seconds from the first to the last sent packet"),
            key("SockTxBytes", "Sent payload bytes"),
            key("SockTxBytesAcked", "Sent bytes acknowledged by the peer"),
            key("SockTxBytesRetrans", "Retransmitted bytes"),
            key("SockTxRTO", "TCP retransmission timeout in jiffies (kernel ticks)"),

            key("SockRxInterface", "Interface of received packets: \"<index>:<name>:<mac>\" (\"\" if unknown)"),
            key("SockRxDataPackets", "Received TCP segments that carry data"),
            key("SockRxPackets", "Received TCP segments or UDP datagrams"),
            key("SockRxPacketsQueued", "Bytes received but not yet read by the application"),
            key("SockRxPacketsDrop", "Received packets the socket dropped"),
            key("SockRxPacketsReorder", "TCP segments received out of order"),
            key("SockRxPacketsFrag", "Page fragments of received buffers, TCP and UDP (not IP fragments)"),
            key("SockRxFlags", "Received TCP segments per flag combination, flags joined by \"-\"", TCP_FLAGS),
            key("SockRxDuration", "Seconds from the first to the last received packet"),
            key("SockRxBytes", "Received payload bytes"),
            key("SockRxTTL", "Average TTL (IPv6: hop limit) of received packets"),
            key("SockRTT", "Smoothed round-trip time of the kernel's TCP stack, seconds"),

            key("SockAge", "Seconds since the socket was first seen"),
            key("App", "Application of the captured payload: \"DNS\", \"HTTP\", \"SYSLOG\" or \"TLS\""),
            key("AppTxDns", "DNS messages sent", DNS_FIELDS),
            key("AppRxDns", "DNS messages received", DNS_FIELDS),
            key("AppTxHttp", "HTTP messages sent", HTTP_FIELDS),
            key("AppRxHttp", "HTTP messages received", HTTP_FIELDS),
            key("AppTxSyslog", "SYSLOG messages sent", SYSLOG_FIELDS),
            key("AppRxSyslog", "SYSLOG messages received", SYSLOG_FIELDS),
            key("AppTxTls", "TLS handshake messages sent", TLS_FIELDS),
            key("AppRxTls", "TLS handshake messages received", TLS_FIELDS));

    private Legend() {
    }

    /** Every key, in output order, with its sub-keys. */
    public static List<LegendEntry> entries() {
        return ENTRIES;
    }

    public static int keyCount() {
        return ENTRIES.size();
    }

    /** Sub-keys counted under every parent (the DNS fields count once for Tx and once for Rx). */
    public static int subkeyCount() {
        return ENTRIES.stream().mapToInt(entry -> entry.subkeys().size()).sum();
    }

    /** The legend lines, starting with "Legend (N keys, M subkeys):", without the product header. */
    public static String text() {
        StringBuilder text = new StringBuilder();
        text.append("Legend (").append(keyCount()).append(" keys, ").append(subkeyCount()).append(" subkeys):\n");
        for (LegendEntry entry : ENTRIES) {
            text.append(String.format("  %-26s  %s\n", entry.key(), entry.description()));
            for (LegendEntry sub : entry.subkeys()) {
                text.append(String.format("   └─ %-23s %s\n", sub.key(), sub.description()));
            }
        }
        return text.toString();
    }

    /** Output of {@code --legend}: the product header, then the legend. */
    public static String render(String version, boolean color) {
        return UsageText.header(version, color) + text();
    }
}
