package io.kflowd.api;

import java.util.List;
import java.util.Objects;

/**
 * One decoded application message (spec 7): an ordered list of members, each a key and a
 * JSON-like value. Decoders build these without knowing any formatter; a formatter renders
 * each message as one object of an {@code AppTx*}/{@code AppRx*} array (spec 3.8). Keys
 * keep their order; duplicates are not checked. Immutable.
 *
 * @param members the message's members, in output order
 */
public record AppMessage(List<Member> members) {

    public AppMessage {
        members = List.copyOf(members);
    }

    /** A message of the given members. */
    public static AppMessage of(Member... members) {
        return new AppMessage(List.of(members));
    }

    /** One {@code "key": value} member. */
    public record Member(String key, Value value) {
        public Member {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A JSON-like value; never null (an absent member is simply left out). */
    public sealed interface Value permits StringValue, NumberValue, SecondsValue, BooleanValue, ArrayValue,
            ObjectValue {
    }

    /** A JSON string. */
    public record StringValue(String text) implements Value {
        public StringValue {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A signed integer. */
    public record NumberValue(long value) implements Value {
    }

    /**
     * A seconds value (spec 2.2), such as {@code _Timestamp}: written with nine decimals,
     * the bare {@code 0} when zero or negative.
     */
    public record SecondsValue(long nanos) implements Value {
    }

    /** {@code true} or {@code false}. */
    public record BooleanValue(boolean value) implements Value {
    }

    /** A JSON array, in order. */
    public record ArrayValue(List<Value> values) implements Value {
        public ArrayValue {
            values = List.copyOf(values);
        }
    }

    /** A nested JSON object, members in order. */
    public record ObjectValue(List<Member> members) implements Value {
        public ObjectValue {
            members = List.copyOf(members);
        }
    }

    /** Shorthand for a member. */
    public static Member member(String key, Value value) {
        return new Member(key, value);
    }

    public static Value string(String text) {
        return new StringValue(text);
    }

    public static Value number(long value) {
        return new NumberValue(value);
    }

    public static Value seconds(long nanos) {
        return new SecondsValue(nanos);
    }

    public static Value bool(boolean value) {
        return new BooleanValue(value);
    }

    public static Value array(Value... values) {
        return new ArrayValue(List.of(values));
    }

    public static Value object(Member... members) {
        return new ObjectValue(List.of(members));
    }
}
