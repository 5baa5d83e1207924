package io.kflowd.format.ocsf;

import io.kflowd.api.AppMessage;
import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.Role;
import java.util.List;

/**
 * HTTP Activity (4002) from a record whose App is HTTP: the first decoded request and the
 * first decoded response become http_request and http_response; every message stays in
 * {@code unmapped.AppTxHttp/AppRxHttp} (a keep-alive record holds several).
 */
final class HttpMapping {

    /** OCSF 1.3.0's http_method enum, in activity_id order (Connect = 1 ... Trace = 8). */
    private static final List<String> METHODS = List.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "POST",
            "PUT", "TRACE");

    private HttpMapping() {
    }

    static Node event(SocketRecord socket) {
        List<AppMessage> messages = OcsfMapper.messages(socket);
        AppMessage request = null;
        AppMessage response = null;
        for (AppMessage m : messages) {
            if (request == null && Messages.text(m, "_Method") != null) {
                request = m;
            }
            if (response == null && Messages.number(m, "_Status") != null) {
                response = m;
            }
        }
        String method = request != null ? Messages.text(request, "_Method") : null;
        int known = method == null ? -1 : METHODS.indexOf(method);
        int activity = method == null ? 0 : known >= 0 ? known + 1 : 99;
        Long code = response != null ? Messages.number(response, "_Status") : null;
        int status = code == null || code < 100 ? Ocsf.STATUS_UNKNOWN
                : code < 400 ? Ocsf.STATUS_SUCCESS : Ocsf.STATUS_FAILURE;
        Node event = OcsfMapper.base(Ocsf.CATEGORY_NETWORK, Ocsf.HTTP_ACTIVITY, activity,
                activity == 99 ? method : null, status, socket, socket.ageNanos());

        // The server's port: the remote one for a client record, the local one for a server.
        int serverPort = socket.role() == Role.CLIENT ? socket.remotePort() : socket.localPort();
        Node httpRequest = Node.object();
        if (request != null) {
            httpRequest.put("http_method", known >= 0 ? method : null)
                    .putObject("url", url(Messages.text(request, "_Url"), Messages.header(request, "Host"),
                            serverPort, "CONNECT".equals(method)))
                    .putText("version", Messages.text(request, "_Version"))
                    .putText("user_agent", Messages.header(request, "User-Agent"))
                    .putText("referrer", Messages.header(request, "Referer"))
                    .put("length", length(Messages.header(request, "Content-Length")))
                    .put("http_headers", headers(request));
        }
        event.put("http_request", httpRequest);
        // Required by the class; without a captured response its code is 0 (none seen).
        Node httpResponse = Node.object().put("code", code != null ? code : 0L);
        if (response != null) {
            httpResponse.putText("message", Messages.text(response, "_Reason"))
                    .putText("content_type", Messages.header(response, "Content-Type"))
                    .put("length", length(Messages.header(response, "Content-Length")))
                    .put("http_headers", headers(response));
        }
        event.put("http_response", httpResponse);
        if (code != null) {
            event.put("http_status", code);
        }
        OcsfMapper.network(event, socket, null);
        return event;
    }

    /** The header members (keys without a leading "_", string values) as http_header objects. */
    private static List<Object> headers(AppMessage message) {
        List<Object> headers = Node.list();
        for (AppMessage.Member member : message.members()) {
            if (!member.key().startsWith("_") && member.value() instanceof AppMessage.StringValue value) {
                headers.add(Node.object().put("name", member.key()).put("value", value.text()));
            }
        }
        return headers.isEmpty() ? null : headers;
    }

    private static Long length(String contentLength) {
        if (contentLength == null) {
            return null;
        }
        String digits = contentLength.strip();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(digits);
    }

    /**
     * The url object of a request target: origin form ({@code /p?q}) with the Host header,
     * absolute form ({@code http://h:p/p?q}), authority form for CONNECT ({@code h:443}).
     */
    static Node url(String target, String host, int serverPort, boolean connect) {
        if (target == null) {
            return null;
        }
        Node url = Node.object();
        String authority = host;
        String rest = target;
        String scheme = "http";
        int schemeEnd = target.indexOf("://");
        if (connect) {
            authority = target;
            rest = null;
            scheme = null;
        } else if (schemeEnd > 0 && target.substring(0, schemeEnd).chars().allMatch(Character::isLetter)) {
            scheme = target.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
            int start = schemeEnd + 3;
            int end = start;
            while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            authority = target.substring(start, end);
            rest = target.substring(end);
            url.put("url_string", target);
        } else if (host != null && !host.isEmpty() && target.startsWith("/")) {
            url.put("url_string", "http://" + host + target);
        }
        url.putText("scheme", scheme);
        Integer port = null;
        if (authority != null && !authority.isEmpty()) {
            String hostname = authority;
            int at = hostname.lastIndexOf('@');
            if (at >= 0) {
                hostname = hostname.substring(at + 1);
            }
            int colon = hostname.lastIndexOf(':');
            int bracket = hostname.lastIndexOf(']');
            if (colon > bracket) {
                port = port(hostname.substring(colon + 1));
                hostname = hostname.substring(0, colon);
            }
            if (hostname.startsWith("[") && hostname.endsWith("]")) {
                hostname = hostname.substring(1, hostname.length() - 1);
            }
            url.putText("hostname", hostname);
        }
        url.put("port", port != null ? port : Integer.valueOf(serverPort));
        if (rest != null && !rest.isEmpty()) {
            int fragment = rest.indexOf('#');
            if (fragment >= 0) {
                rest = rest.substring(0, fragment);
            }
            int question = rest.indexOf('?');
            url.putText("path", question >= 0 ? rest.substring(0, question) : rest);
            if (question >= 0) {
                url.putText("query_string", rest.substring(question + 1));
            }
        }
        return url;
    }

    private static Integer port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : null;
    }
}
