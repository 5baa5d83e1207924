package io.kflowd.format.ocsf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small ordered JSON tree, built per record and then written by {@link TreeWriter}.
 * OCSF events are nested and several attributes depend on each other (activity from the
 * event set, status from the answer), which a tree expresses more plainly than a stream.
 * Null values are dropped on insertion, so optional attributes need no branches.
 */
final class Node {

    /** An unsigned 64-bit integer (kflowd's counters, ids and sizes). */
    record Unsigned(long value) {
    }

    /** A kflowd seconds value (spec 2.2): nine decimals; {@code signed} keeps negatives. */
    record Seconds(long nanos, boolean signed) {
    }

    private final Map<String, Object> members = new LinkedHashMap<>();

    static Node object() {
        return new Node();
    }

    Node put(String key, Object value) {
        if (value != null) {
            members.put(key, value);
        }
        return this;
    }

    /** Puts {@code value} unless it is null or empty. */
    Node putText(String key, String value) {
        return value == null || value.isEmpty() ? this : put(key, value);
    }

    Node putUnsigned(String key, long value) {
        return put(key, new Unsigned(value));
    }

    /** Puts a child object unless it has no members. */
    Node putObject(String key, Node child) {
        return child == null || child.isEmpty() ? this : put(key, child);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    Object get(String key) {
        return members.get(key);
    }

    Map<String, Object> members() {
        return members;
    }

    static List<Object> list() {
        return new ArrayList<>();
    }
}
