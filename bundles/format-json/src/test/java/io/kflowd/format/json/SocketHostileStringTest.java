package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kflowd.api.AppMessage;
import io.kflowd.api.RecordFormatter;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid JSON for any string in a socket record: addresses, interface names, flag names and
 * everything inside decoded application messages (payload-controlled), in both formats.
 */
class SocketHostileStringTest {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static List<org.junit.jupiter.params.provider.Arguments> cases() {
        return HostileStringTest.cases().toList();
    }

    private static JsonNode parse(RecordFormatter formatter, SocketTestRecords record) throws Exception {
        byte[] bytes = TestRecords.format(formatter, record.build()).getBytes(StandardCharsets.UTF_8);
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029;
            assertFalse(control && !(c == '\n' && formatter instanceof JsonFormatter), text);
        }
        return MAPPER.readTree(bytes);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void addressesAndInterfaces(RecordFormatter formatter, String hostile) throws Exception {
        SocketTestRecords record = new SocketTestRecords();
        record.localIp = hostile;
        record.remoteIp = hostile;
        record.state = hostile;
        record.txInterface = hostile;
        record.rxInterface = hostile;
        record.txFlags = Map.of(hostile, 7L);
        JsonNode json = parse(formatter, record);
        for (String key : List.of("SockLocalIP", "SockRemoteIP", "SockState", "SockTxInterface", "SockRxInterface")) {
            assertEquals(hostile, json.get(key).textValue(), key);
        }
        assertEquals(7, json.get("SockTxFlags").get(hostile).intValue());
        assertEquals(53, json.get("SockRemotePort").intValue());

        SocketTestRecords unix = new SocketTestRecords().unix();
        unix.address = hostile;
        json = parse(formatter, unix);
        assertEquals(hostile, json.get("SockAddress").textValue());
        assertEquals("AF_UNIX", json.get("SockFamily").textValue());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void appMessageKeysAndValues(RecordFormatter formatter, String hostile) throws Exception {
        SocketTestRecords record = new SocketTestRecords();
        record.rxMessages = List.of(AppMessage.of(
                AppMessage.member("Text", AppMessage.string(hostile)),
                AppMessage.member("List", AppMessage.array(AppMessage.string(hostile), AppMessage.number(1))),
                AppMessage.member("Headers", AppMessage.object(AppMessage.member(hostile, AppMessage.string(hostile)))),
                AppMessage.member("After", AppMessage.number(42))));
        JsonNode json = parse(formatter, record);
        JsonNode message = json.get("AppRxDns").get(0);
        assertEquals(hostile, message.get("Text").textValue());
        assertEquals(hostile, message.get("List").get(0).textValue());
        assertEquals(hostile, message.get("Headers").get(hostile).textValue());
        assertEquals(42, message.get("After").intValue());
        assertEquals(2, json.get("AppTxDns").size());
    }
}
