package io.kflowd.format.ocsf;

/** kflowd's interface text {@code "<ifindex>:<ifname>:<mac>"} as endpoint attributes. */
final class Interfaces {

    private Interfaces() {
    }

    /** Adds interface_uid, interface_name and mac to {@code endpoint}; "" adds nothing. */
    static void describe(String text, Node endpoint) {
        int first = text.indexOf(':');
        if (first < 0) {
            endpoint.putText("interface_name", text);
            return;
        }
        int second = text.indexOf(':', first + 1);
        endpoint.putText("interface_uid", text.substring(0, first));
        if (second < 0) {
            endpoint.putText("interface_name", text.substring(first + 1));
        } else {
            endpoint.putText("interface_name", text.substring(first + 1, second));
            endpoint.putText("mac", text.substring(second + 1));
        }
    }
}
