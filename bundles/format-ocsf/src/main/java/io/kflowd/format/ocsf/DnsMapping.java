package io.kflowd.format.ocsf;

import io.kflowd.api.AppMessage;
import io.kflowd.api.SocketRecord;
import java.util.List;
import java.util.Map;

/**
 * DNS Activity (4003) from a record whose App is DNS. The query is the first decoded query
 * with a question; the response the first response with its transaction id (else the first
 * response); answers come from every response, each tagged with its transaction id
 * ({@code packet_uid}), since one socket often carries the A and the AAAA lookup.
 */
final class DnsMapping {

    private static final Map<String, Integer> OPCODES = Map.of("QUERY", 0, "IQUERY", 1, "STATUS", 2,
            "NOTIFY", 4, "UPDATE", 5, "DSO", 6);
    private static final String[] OPCODE_CAPTIONS = {"Query", "Inverse Query", "Status", "Reserved", "Notify",
        "Update", "DSO Message"};
    private static final List<String> RCODES = List.of("NOERROR", "FORMERROR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
            "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", "", "", "", "",
            "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE");
    private static final List<String> RCODE_CAPTIONS = List.of("NoError", "FormError", "ServError", "NXDomain",
            "NotImp", "Refused", "YXDomain", "YXRRSet", "NXRRSet", "NotAuth", "NotZone", "DSOTYPENI", "", "", "",
            "", "BADSIG_VERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE");
    /** Header flags to dns_answer flag_ids (QR has none). */
    private static final Map<String, Integer> FLAG_IDS = Map.of("AA", 1, "TC", 2, "RD", 3, "RA", 4, "AD", 5,
            "CD", 6);
    private static final String[] FLAG_CAPTIONS = {"Unknown", "Authoritative Answer", "Truncated Response",
        "Recursion Desired", "Recursion Available", "Authentic Data", "Checking Disabled"};

    private DnsMapping() {
    }

    static Node event(SocketRecord socket) {
        List<AppMessage> messages = OcsfMapper.messages(socket);
        AppMessage query = null;
        for (AppMessage m : messages) {
            if (Messages.has(m, "OpCode") && question(m) != null) {
                query = m;
                break;
            }
        }
        AppMessage response = null;
        Long queryId = query != null ? Messages.number(query, "TransactionId") : null;
        for (AppMessage m : messages) {
            if (Messages.has(m, "ResponseCode")) {
                if (response == null) {
                    response = m;
                }
                if (queryId != null && queryId.equals(Messages.number(m, "TransactionId"))) {
                    response = m;
                    break;
                }
            }
        }
        int activity = query != null && response != null ? 6 : query != null ? 1 : response != null ? 2 : 0;
        Integer rcodeId = response != null ? rcodeId(Messages.text(response, "ResponseCode")) : null;
        int status = rcodeId == null ? Ocsf.STATUS_UNKNOWN : rcodeId == 0 ? Ocsf.STATUS_SUCCESS : Ocsf.STATUS_FAILURE;
        Node event = OcsfMapper.base(Ocsf.CATEGORY_NETWORK, Ocsf.DNS_ACTIVITY, activity, null, status, socket,
                socket.ageNanos());
        if (query != null) {
            List<AppMessage.Value> q = question(query);
            String opcode = Messages.text(query, "OpCode");
            Integer opcodeId = opcode != null ? OPCODES.getOrDefault(opcode, 99) : null;
            event.put("query", Node.object()
                    .put("hostname", Messages.text(q.get(1)))
                    .put("type", Messages.text(q.get(0)))
                    .put("opcode_id", opcodeId)
                    .put("opcode", opcodeId == null ? null : opcodeId == 99 ? opcode : OPCODE_CAPTIONS[opcodeId])
                    .put("packet_uid", Messages.number(query, "TransactionId")));
        }
        List<Object> answers = Node.list();
        for (AppMessage m : messages) {
            if (Messages.has(m, "ResponseCode")) {
                answers(m, answers);
            }
        }
        if (!answers.isEmpty()) {
            event.put("answers", answers);
        }
        if (rcodeId != null) {
            event.put("rcode_id", rcodeId);
            event.put("rcode", rcodeId == 99 ? Messages.text(response, "ResponseCode")
                    : rcodeId == 24 ? "Unassigned" : rcodeId == 25 ? "Reserved" : RCODE_CAPTIONS.get(rcodeId));
        }
        OcsfMapper.network(event, socket, null);
        return event;
    }

    /** The first {@code [TYPE, NAME]} of a query's ResourceRecords, both strings; else null. */
    private static List<AppMessage.Value> question(AppMessage query) {
        if (Messages.value(query, "ResourceRecords") instanceof AppMessage.ArrayValue records) {
            for (AppMessage.Value record : records.values()) {
                if (record instanceof AppMessage.ArrayValue pair && pair.values().size() >= 2
                        && Messages.text(pair.values().get(0)) != null && Messages.text(pair.values().get(1)) != null) {
                    return pair.values();
                }
            }
        }
        return null;
    }

    private static void answers(AppMessage response, List<Object> out) {
        if (!(Messages.value(response, "ResourceRecords") instanceof AppMessage.ArrayValue records)) {
            return;
        }
        List<Object> flagIds = Node.list();
        List<Object> flags = Node.list();
        if (Messages.value(response, "Flags") instanceof AppMessage.ArrayValue set) {
            for (AppMessage.Value flag : set.values()) {
                Integer id = FLAG_IDS.get(Messages.text(flag) == null ? "" : Messages.text(flag));
                if (id != null) {
                    flagIds.add(id);
                    flags.add(FLAG_CAPTIONS[id]);
                }
            }
        }
        Long id = Messages.number(response, "TransactionId");
        for (AppMessage.Value record : records.values()) {
            // [TYPE, NAME, TTL, CLASS, DATA]; anything else (a "~" marker) is not an answer.
            if (record instanceof AppMessage.ArrayValue rr && rr.values().size() == 5
                    && Messages.text(rr.values().get(4)) != null) {
                List<AppMessage.Value> v = rr.values();
                out.add(Node.object()
                        .put("type", Messages.text(v.get(0)))
                        .put("class", Messages.text(v.get(3)))
                        .put("ttl", v.get(2) instanceof AppMessage.NumberValue n ? n.value() : null)
                        .put("rdata", Messages.text(v.get(4)))
                        .put("packet_uid", id)
                        .put("flag_ids", flagIds.isEmpty() ? null : flagIds)
                        .put("flags", flags.isEmpty() ? null : flags));
            }
        }
    }

    /** OCSF rcode_id for the decoder's ResponseCode text (a name, or a number for unnamed codes). */
    static int rcodeId(String text) {
        if (text == null) {
            return 99;
        }
        int named = RCODES.indexOf(text);
        if (named >= 0 && !text.isEmpty()) {
            return named;
        }
        try {
            int code = Integer.parseInt(text);
            if (code >= 12 && code <= 15) {
                return 24; // Unassigned
            }
            if (code == 3841 || code >= 3842 && code <= 4095 || code == 65535) {
                return 25; // Reserved
            }
        } catch (NumberFormatException notANumber) {
            // a text no decoder of ours writes
        }
        return 99;
    }
}
