package io.kflowd.format.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of the OCSF 1.3.0 schema this formatter writes, as data: for each class and
 * object its required attributes and the JSON type of every attribute we may emit, plus the
 * enums we set. An event is valid when every required attribute is present, every attribute
 * it has is one of these (so a misspelt or invented attribute fails) with the right type,
 * and every enum value is one the schema defines.
 *
 * <p>Taken from the schema as schema.ocsf.io serves it for version 1.3.0
 * ({@code /schema/1.3.0/classes/<name>} and {@code /schema/1.3.0/objects/<name>}, the JSON
 * Schema export, as collected in jasmaa/ocsf-schema-rs {@code ocsf-schema-rs/all.json},
 * commit fee0ad356c4695618a1c484bb223d08a0c422b4d), cross-checked with ocsf/ocsf-schema
 * {@code events/system/file_activity.json}, {@code events/system/system.json}. That export
 * applies every profile; the requirements that only the {@code cloud} profile
 * ({@code cloud}) and the {@code security_control} profile ({@code action_id}) add are not
 * listed, since our events declare only the {@code host} profile.
 */
final class OcsfSchema {

    /** Attribute name to type: "string", "integer", "boolean", "object" (free), an object name, or "T[]". */
    record Spec(Set<String> required, Map<String, String> attributes, List<Set<String>> atLeastOne) {
    }

    static final Map<String, Spec> OBJECTS = new HashMap<>();
    static final Map<Integer, Spec> CLASSES = new HashMap<>();
    /** "object.attribute" (or "class.attribute" with the class uid) to the allowed values. */
    static final Map<String, Set<Object>> ENUMS = new HashMap<>();

    private static final String BASE = "activity_id:integer activity_name:string category_uid:integer"
            + " category_name:string class_uid:integer class_name:string count:integer duration:integer"
            + " end_time:integer start_time:integer time:integer message:string metadata:metadata osint:osint[]"
            + " severity:string severity_id:integer status:string status_id:integer status_code:string"
            + " status_detail:string type_uid:integer type_name:string unmapped:object timezone_offset:integer"
            + " actor:actor device:device";
    private static final String BASE_REQUIRED = "activity_id category_uid class_uid metadata osint severity_id"
            + " time type_uid";
    private static final String NETWORK = BASE + " src_endpoint:network_endpoint dst_endpoint:network_endpoint"
            + " connection_info:network_connection_info traffic:network_traffic app_name:string";

    static {
        object("metadata", "product version",
                "version:string product:product profiles:string[] log_name:string sequence:integer uid:string");
        object("product", "vendor_name", "name:string vendor_name:string version:string");
        object("device", "type_id", "hostname:string ip:string type:string type_id:integer os:os name:string");
        object("os", "name type_id", "name:string type:string type_id:integer version:string");
        object("actor", "", "process:process user:user", "process user");
        object("process", "", "pid:integer tid:integer name:string user:user group:group"
                + " parent_process:process created_time:integer");
        object("user", "", "name:string uid:string", "name uid");
        object("group", "", "name:string uid:string", "name uid");
        object("file", "name type_id", "name:string path:string parent_folder:string type:string type_id:integer"
                + " size:integer uid:string version:string owner:user accessed_time:integer modified_time:integer"
                + " hashes:fingerprint[]");
        object("fingerprint", "algorithm_id value", "algorithm:string algorithm_id:integer value:string");
        object("osint", "type_id value", "type_id:integer value:string");
        object("network_endpoint", "", "ip:string port:integer name:string hostname:string"
                + " interface_name:string interface_uid:string mac:string",
                "ip uid name hostname interface_uid interface_name");
        object("network_connection_info", "direction_id", "direction:string direction_id:integer boundary:string"
                + " boundary_id:integer protocol_name:string protocol_num:integer protocol_ver:string"
                + " protocol_ver_id:integer");
        object("network_traffic", "", "bytes:integer bytes_in:integer bytes_out:integer packets:integer"
                + " packets_in:integer packets_out:integer");
        object("dns_query", "hostname", "hostname:string type:string class:string opcode:string"
                + " opcode_id:integer packet_uid:integer");
        object("dns_answer", "rdata", "class:string type:string rdata:string ttl:integer packet_uid:integer"
                + " flag_ids:integer[] flags:string[]");
        object("http_request", "", "http_method:string url:url version:string user_agent:string"
                + " referrer:string length:integer http_headers:http_header[]");
        object("http_response", "code", "code:integer message:string content_type:string length:integer"
                + " http_headers:http_header[]");
        object("http_header", "name value", "name:string value:string");
        object("url", "", "hostname:string path:string port:integer query_string:string scheme:string"
                + " url_string:string");

        clazz(1001, BASE_REQUIRED + " actor device file", BASE + " file:file file_result:file");
        clazz(4001, BASE_REQUIRED + " dst_endpoint", NETWORK);
        clazz(4002, BASE_REQUIRED + " dst_endpoint http_request http_response",
                NETWORK + " http_request:http_request http_response:http_response http_status:integer");
        clazz(4003, BASE_REQUIRED, NETWORK + " query:dns_query answers:dns_answer[] rcode_id:integer rcode:string");

        enumeration("1001.activity_id", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 99);
        enumeration("4001.activity_id", 0, 1, 2, 3, 4, 5, 6, 7, 99);
        enumeration("4002.activity_id", 0, 1, 2, 3, 4, 5, 6, 7, 8, 99);
        enumeration("4003.activity_id", 0, 1, 2, 6, 99);
        for (int c : new int[] {1001, 4001, 4002, 4003}) {
            enumeration(c + ".severity_id", 0, 1, 2, 3, 4, 5, 6, 99);
            enumeration(c + ".status_id", 0, 1, 2, 99);
        }
        enumeration("1001.category_uid", 1);
        for (int c : new int[] {4001, 4002, 4003}) {
            enumeration(c + ".category_uid", 4);
        }
        enumeration("4003.rcode_id", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 99);
        enumeration("device.type_id", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 99);
        enumeration("os.type_id", 0, 99, 100, 101, 200, 201, 300, 301, 302, 400, 401, 402);
        enumeration("file.type_id", 0, 1, 2, 3, 4, 5, 6, 7, 99);
        enumeration("fingerprint.algorithm_id", 0, 1, 2, 3, 4, 5, 6, 7, 99);
        enumeration("network_connection_info.direction_id", 0, 1, 2, 3, 99);
        enumeration("network_connection_info.boundary_id", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99);
        enumeration("network_connection_info.protocol_ver_id", 0, 4, 6, 99);
        enumeration("dns_query.opcode_id", 0, 1, 2, 3, 4, 5, 6, 99);
        enumeration("dns_answer.flag_ids", 0, 1, 2, 3, 4, 5, 6, 99);
        enumeration("http_request.http_method", "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE",
                "CONNECT");
    }

    private OcsfSchema() {
    }

    private static Spec spec(String required, String attributes, String... atLeastOne) {
        Map<String, String> types = new HashMap<>();
        for (String pair : attributes.trim().split("\\s+")) {
            int colon = pair.indexOf(':');
            types.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        List<Set<String>> groups = new ArrayList<>();
        for (String group : atLeastOne) {
            groups.add(Set.of(group.split(" ")));
        }
        return new Spec(required.isBlank() ? Set.of() : Set.of(required.trim().split("\\s+")), types, groups);
    }

    private static void object(String name, String required, String attributes, String... atLeastOne) {
        OBJECTS.put(name, spec(required, attributes, atLeastOne));
    }

    private static void clazz(int uid, String required, String attributes) {
        CLASSES.put(uid, spec(required, attributes));
    }

    private static void enumeration(String key, Object... values) {
        ENUMS.put(key, Set.of(values));
    }

    /** Every violation of the schema in {@code event}, empty when it is a valid event of its class. */
    static List<String> violations(JsonNode event) {
        List<String> errors = new ArrayList<>();
        JsonNode classUid = event.get("class_uid");
        if (classUid == null || !classUid.isIntegralNumber() || !CLASSES.containsKey(classUid.asInt())) {
            errors.add("class_uid missing or not one of ours: " + classUid);
            return errors;
        }
        int uid = classUid.asInt();
        check(event, CLASSES.get(uid), String.valueOf(uid), "", errors);
        // type_uid = class_uid * 100 + activity_id
        if (event.path("type_uid").asLong() != uid * 100L + event.path("activity_id").asLong()) {
            errors.add("type_uid " + event.get("type_uid") + " is not class_uid*100+activity_id");
        }
        return errors;
    }

    private static void check(JsonNode node, Spec spec, String specName, String path, List<String> errors) {
        if (!node.isObject()) {
            errors.add(path + ": not an object");
            return;
        }
        for (String required : spec.required()) {
            if (!node.has(required) || node.get(required).isNull()) {
                errors.add(path + "." + required + ": required by " + specName + ", missing");
            }
        }
        for (Set<String> group : spec.atLeastOne()) {
            if (group.stream().noneMatch(node::has)) {
                errors.add(path + ": needs at least one of " + group);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String type = spec.attributes().get(field.getKey());
            String at = path + "." + field.getKey();
            if (type == null) {
                errors.add(at + ": not an attribute of " + specName);
                continue;
            }
            checkValue(field.getValue(), type, at, errors);
            Set<Object> allowed = ENUMS.get(specName + "." + field.getKey());
            if (allowed != null) {
                for (JsonNode value : field.getValue().isArray() ? field.getValue() : List.of(field.getValue())) {
                    Object v = value.isNumber() ? (Object) value.asInt() : value.asText();
                    if (!allowed.contains(v)) {
                        errors.add(at + ": " + value + " is not in the enum of " + specName);
                    }
                }
            }
        }
    }

    private static void checkValue(JsonNode value, String type, String at, List<String> errors) {
        if (type.endsWith("[]")) {
            if (!value.isArray()) {
                errors.add(at + ": not an array");
                return;
            }
            int i = 0;
            for (JsonNode element : value) {
                checkValue(element, type.substring(0, type.length() - 2), at + "[" + i++ + "]", errors);
            }
            return;
        }
        boolean ok = switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            default -> {
                if (value.isObject()) {
                    check(value, OBJECTS.get(type), type, at, errors);
                }
                yield value.isObject();
            }
        };
        if (!ok) {
            errors.add(at + ": not of type " + type + ": " + value);
        }
    }
}
