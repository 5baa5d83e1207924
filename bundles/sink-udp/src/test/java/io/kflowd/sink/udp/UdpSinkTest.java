package io.kflowd.sink.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordSink;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Against real sockets on the loopback addresses: nothing of the network is mocked. */
class UdpSinkTest {

    /** A collector: a UDP socket on a loopback address and a thread keeping every datagram. */
    static final class Receiver implements AutoCloseable {
        final DatagramChannel channel;
        final List<byte[]> datagrams = new CopyOnWriteArrayList<>();
        final Thread thread;

        Receiver(InetAddress address) throws IOException {
            channel = DatagramChannel.open(address instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            // room for bursts while the reader is not scheduled (rmem_max caps it)
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(address, 0));
            thread = Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(70_000);
                try {
                    while (true) {
                        buffer.clear();
                        channel.receive(buffer);
                        buffer.flip();
                        byte[] datagram = new byte[buffer.remaining()];
                        buffer.get(datagram);
                        datagrams.add(datagram);
                    }
                } catch (ClosedChannelException e) {
                    // closed by the test
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** As the launcher writes it. */
        String collector() throws IOException {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            String host = local.getAddress().getHostAddress();
            return (local.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + local.getPort();
        }

        void awaitCount(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (datagrams.size() < count) {
                if (System.nanoTime() > deadline) {
                    fail(datagrams.size() + " of " + count + " datagrams arrived");
                }
                Thread.sleep(2);
            }
        }

        List<String> texts() {
            List<String> texts = new ArrayList<>();
            datagrams.forEach(d -> texts.add(new String(d, StandardCharsets.UTF_8)));
            return texts;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A port on which nothing listens: bound once, then released. */
    static String closedPort(String host, InetAddress address) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(address, 0));
            return host + ":" + ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress V6 = InetAddress.ofLiteral("::1");

    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Logger logger = Logger.getLogger(UdpSink.LOGGER);
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void release() throws Exception {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(true);
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    Receiver receiver(InetAddress address) throws IOException {
        Receiver receiver = new Receiver(address);
        closeAfter.add(receiver);
        return receiver;
    }

    static UdpSink sink(String... collectors) {
        UdpSink sink = new UdpSink(null, "test", System::nanoTime);
        sink.configure(collectors, UdpSink.DEFAULT_MAX_DATAGRAM);
        return sink;
    }

    static byte[] record(int sequence) {
        return ("{\"InfoSequenceNumber\": " + sequence + ", \"InfoTimestamp\": \"Thu, Apr 04 2024 15:34:35.643031330 UTC\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Delivers records first..last-1 (receivers that started with the first), waiting now and then until the receivers have them. */
    static List<Boolean> deliver(UdpSink sink, int first, int last, Receiver... receivers) throws InterruptedException {
        List<Boolean> results = new ArrayList<>();
        for (int i = first; i < last; i++) {
            results.add(sink.deliver(null, "json-min", record(i)));
            if ((i + 1) % 100 == 0 || i == last - 1) {
                for (Receiver receiver : receivers) {
                    receiver.awaitCount(i + 1);
                }
            }
        }
        return results;
    }

    static void assertInOrder(Receiver receiver, int count) throws InterruptedException {
        receiver.awaitCount(count);
        Thread.sleep(100);
        List<String> texts = receiver.texts();
        assertEquals(count, texts.size(), "exactly once");
        for (int i = 0; i < count; i++) {
            assertEquals(new String(record(i), StandardCharsets.UTF_8), texts.get(i), "datagram " + i);
        }
    }

    List<LogRecord> warnings() {
        return logged.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
    }

    @Test
    void twoCollectorsIpv4AndIpv6ReceiveEveryRecordExactlyOnceInOrder() throws Exception {
        Receiver v4 = receiver(V4);
        Receiver v6 = receiver(V6);
        UdpSink sink = sink(v4.collector(), v6.collector());
        List<Boolean> results = deliver(sink, 0, 1000, v4, v6);
        assertFalse(results.contains(false));
        assertInOrder(v4, 1000);
        assertInOrder(v6, 1000);
        for (CollectorChannel channel : sink.collectors()) {
            assertEquals(1000, channel.sent());
            assertEquals(0, channel.failedTotal());
        }
        // the datagrams leave from a socket of the collector's own family, not a mapped one
        assertInstanceOf(Inet4Address.class, sink.collectors().get(0).collector().address());
        assertInstanceOf(Inet6Address.class, sink.collectors().get(1).collector().address());
        sink.deactivate();
        assertTrue(warnings().isEmpty(), () -> warnings().getFirst().getMessage());
        assertTrue(logged.getLast().getMessage().contains("1000 record(s), 0 cut"), logged.getLast().getMessage());
    }

    @Test
    void aClosedPortBetweenTwoCollectorsDisturbsNeither() throws Exception {
        Receiver v4 = receiver(V4);
        Receiver v6 = receiver(V6);
        String closed = closedPort("127.0.0.1", V4);
        UdpSink sink = sink(v4.collector(), closed, v6.collector());
        List<Boolean> results = deliver(sink, 0, 1000, v4, v6);
        assertInOrder(v4, 1000);
        assertInOrder(v6, 1000);
        CollectorChannel dead = sink.collectors().get(1);
        assertEquals(closed, dead.collector().toString());
        // Linux reports the ICMP port unreachable of one datagram as the error of the next send
        assertTrue(dead.failed(CollectorChannel.Failure.REFUSED) > 0, dead.summary());
        assertEquals(1000, dead.sent() + dead.failedTotal(), dead.summary());
        assertEquals(dead.failedTotal(), results.stream().filter(r -> !r).count(), "a failed record is reported to the bus");
        assertEquals(1000, sink.collectors().get(0).sent());
        assertEquals(1000, sink.collectors().get(2).sent());
        assertEquals(1, warnings().size(), () -> warnings().toString());
        String line = warnings().getFirst().getMessage();
        Object[] parameters = warnings().getFirst().getParameters();
        assertTrue(line.startsWith("UDP collector {0}: {1}"), line);
        assertEquals(closed, parameters[0].toString());
        assertEquals("refused", parameters[1]);
        sink.deactivate();
        String summary = logged.getLast().getMessage();
        assertTrue(summary.contains(closed + ": " + dead.sent() + " sent, " + dead.failedTotal() + " failed (refused "),
                summary);
    }

    @Test
    void failuresAreLoggedAtMostOncePerMinutePerCollector() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        UdpSink sink = new UdpSink(null, "test", now::get);
        String closed4 = closedPort("127.0.0.1", V4);
        String closed6 = closedPort("[::1]", V6);
        sink.configure(new String[] {closed4, closed6}, UdpSink.DEFAULT_MAX_DATAGRAM);
        for (int i = 0; i < 50; i++) {
            sink.deliver(null, "json-min", record(i));
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertEquals(2, warnings().size(), "one line per collector");
        now.addAndGet(TimeUnit.SECONDS.toNanos(56));
        for (int i = 0; i < 10; i++) {
            sink.deliver(null, "json-min", record(i));
        }
        assertEquals(4, warnings().size(), "a minute later, one more line per collector");
        for (LogRecord warning : warnings().subList(2, 4)) {
            long since = (Long) warning.getParameters()[3];
            assertTrue(since > 10, "the line counts what failed since the last one: " + since);
        }
        sink.deactivate();
    }

    @Test
    void aCollectorWhoseSocketCannotConnectIsRetriedAndDisturbsNoOther() throws Exception {
        Receiver v4 = receiver(V4);
        AtomicLong now = new AtomicLong(0);
        UdpSink sink = new UdpSink(null, "test", now::get);
        // connect() to the broadcast address fails (no SO_BROADCAST): a collector without a socket
        sink.configure(new String[] {"255.255.255.255:9", v4.collector()}, UdpSink.DEFAULT_MAX_DATAGRAM);
        for (int i = 0; i < 100; i++) {
            assertFalse(sink.deliver(null, "json-min", record(i)));
        }
        assertInOrder(v4, 100);
        CollectorChannel broken = sink.collectors().getFirst();
        assertEquals(100, broken.failedTotal(), broken.summary());
        assertEquals(1, warnings().size());
        sink.deactivate();
    }

    @Test
    void anOversizedRecordArrivesAsValidJsonWithTheMarker() throws Exception {
        Receiver v4 = receiver(V4);
        Receiver v6 = receiver(V6);
        UdpSink sink = sink(v4.collector(), v6.collector());
        byte[] text = DatagramCutTest.bigRecord(200_000, new Random(7)).getBytes(StandardCharsets.UTF_8);
        JsonNode original = DatagramCutTest.parse(text);
        assertTrue(sink.deliver(null, "json-min", text));
        assertTrue(sink.deliver(null, "json-min", record(1)));
        v4.awaitCount(2);
        v6.awaitCount(2);
        for (Receiver receiver : List.of(v4, v6)) {
            byte[] datagram = receiver.datagrams.getFirst();
            assertTrue(datagram.length <= UdpSink.DEFAULT_MAX_DATAGRAM, "" + datagram.length);
            assertTrue(datagram.length > UdpSink.DEFAULT_MAX_DATAGRAM / 2, "" + datagram.length);
            DatagramCutTest.assertCutOf(original, DatagramCutTest.parse(datagram));
            assertEquals(new String(record(1), StandardCharsets.UTF_8), receiver.texts().get(1));
        }
        assertEquals(1, sink.cut());
        sink.deactivate();
    }

    @Test
    void eachFamilyGetsWhatItCanCarry() throws Exception {
        Receiver v4 = receiver(V4);
        Receiver v6 = receiver(V6);
        UdpSink sink = new UdpSink(null, "test", System::nanoTime);
        sink.configure(new String[] {v4.collector(), v6.collector()}, Collector.MAX_PAYLOAD_IPV6);
        byte[] text = DatagramCutTest.bigRecord(100_000, new Random(8)).getBytes(StandardCharsets.UTF_8);
        JsonNode original = DatagramCutTest.parse(text);
        assertTrue(sink.deliver(null, "json", text));
        v4.awaitCount(1);
        v6.awaitCount(1);
        assertTrue(v4.datagrams.getFirst().length <= Collector.MAX_PAYLOAD_IPV4);
        assertTrue(v6.datagrams.getFirst().length <= Collector.MAX_PAYLOAD_IPV6);
        DatagramCutTest.assertCutOf(original, DatagramCutTest.parse(v4.datagrams.getFirst()));
        DatagramCutTest.assertCutOf(original, DatagramCutTest.parse(v6.datagrams.getFirst()));
        sink.deactivate();
    }

    @Test
    void prettyJsonAndASmallMaxDatagram() throws Exception {
        Receiver v4 = receiver(V4);
        UdpSink sink = new UdpSink(null, "test", System::nanoTime);
        sink.configure(new String[] {v4.collector()}, 1472);
        byte[] pretty = DatagramCutTest.PRETTY.writeValueAsBytes(
                DatagramCutTest.parse(DatagramCutTest.bigRecord(20_000, new Random(9)).getBytes(StandardCharsets.UTF_8)));
        byte[] small = "{\n  \"InfoSequenceNumber\": 2\n}".getBytes(StandardCharsets.UTF_8);
        sink.deliver(null, "json", pretty);
        sink.deliver(null, "json", small);
        v4.awaitCount(2);
        byte[] first = v4.datagrams.getFirst();
        assertTrue(first.length <= 1472);
        DatagramCutTest.assertCutOf(DatagramCutTest.parse(pretty), DatagramCutTest.parse(first));
        // a record that fits is the formatter's text exactly, pretty or not, without framing
        assertEquals(new String(small, StandardCharsets.UTF_8), v4.texts().get(1));
        sink.deactivate();
    }

    @Test
    void aMaxDatagramOutOfRangeIsClamped() {
        UdpSink sink = new UdpSink(null, "test", System::nanoTime);
        sink.configure(new String[] {"127.0.0.1:9"}, 100);
        assertEquals(UdpSink.MIN_DATAGRAM, sink.maxDatagram());
        sink.configure(new String[] {"127.0.0.1:9"}, 1_000_000);
        assertEquals(Collector.MAX_PAYLOAD_IPV6, sink.maxDatagram());
        assertEquals(2, warnings().size());
        sink.deactivate();
    }

    @Test
    void collectorsChangedWhileRunningTakeEffect() throws Exception {
        Receiver a = receiver(V4);
        Receiver b = receiver(V6);
        UdpSink sink = sink(a.collector());
        CollectorChannel channelOfA = sink.collectors().getFirst();
        deliver(sink, 0, 10, a);

        sink.configure(new String[] {a.collector(), b.collector()}, UdpSink.DEFAULT_MAX_DATAGRAM);
        assertSame(channelOfA, sink.collectors().getFirst(), "a collector that stays keeps its socket and counters");
        for (int i = 10; i < 20; i++) {
            sink.deliver(null, "json-min", record(i));
        }
        a.awaitCount(20);
        b.awaitCount(10);

        sink.configure(new String[] {b.collector()}, UdpSink.DEFAULT_MAX_DATAGRAM);
        for (int i = 20; i < 30; i++) {
            sink.deliver(null, "json-min", record(i));
        }
        b.awaitCount(20);
        Thread.sleep(100);
        assertEquals(20, a.datagrams.size(), "a removed collector gets nothing more");
        assertInOrder(a, 20);
        List<String> ofB = b.texts();
        for (int i = 0; i < 20; i++) {
            assertEquals(new String(record(i + 10), StandardCharsets.UTF_8), ofB.get(i));
        }
        String removed = "UDP collector removed: " + a.collector() + ": 20 sent, 0 failed";
        assertTrue(logged.stream().anyMatch(r -> r.getMessage().startsWith(removed)));
        sink.deactivate();
    }

    /** A BundleContext that only registers (enough for the sink), counting what it does. */
    static final class Registry {
        final List<Dictionary<String, ?>> registered = new CopyOnWriteArrayList<>();
        final List<Dictionary<String, ?>> updated = new CopyOnWriteArrayList<>();
        int unregistered;
        Object service;

        @SuppressWarnings("unchecked")
        BundleContext context() {
            ServiceRegistration<RecordSink> registration = (ServiceRegistration<RecordSink>) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "unregister" -> {
                                unregistered++;
                                service = null;
                            }
                            case "setProperties" -> updated.add((Dictionary<String, ?>) args[0]);
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("registerService") && args[0] == RecordSink.class) {
                            registered.add((Dictionary<String, ?>) args[2]);
                            service = args[1];
                            return registration;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void theSinkServiceExistsOnlyWhileThereAreCollectors() {
        Registry registry = new Registry();
        UdpSink sink = new UdpSink(registry.context(), "io.kflowd.sink.udp.UdpSink", System::nanoTime);
        // what the launcher writes without -u
        sink.configure(new String[0], UdpSink.DEFAULT_MAX_DATAGRAM);
        assertTrue(registry.registered.isEmpty());

        sink.configure(new String[] {"127.0.0.1:2056"}, UdpSink.DEFAULT_MAX_DATAGRAM);
        assertEquals(1, registry.registered.size());
        assertSame(sink, registry.service);
        Dictionary<String, ?> properties = registry.registered.getFirst();
        assertEquals("sink", properties.get(PluginKind.PROPERTY));
        assertEquals("io.kflowd.sink.udp.UdpSink", properties.get("component.name"));

        sink.configure(new String[] {"127.0.0.1:2056", "[::1]:2056"}, UdpSink.DEFAULT_MAX_DATAGRAM);
        assertEquals(1, registry.registered.size(), "still the one service, its properties updated");
        assertEquals(List.of("127.0.0.1:2056", "[::1]:2056"),
                List.of((String[]) registry.updated.getLast().get(UdpSink.COLLECTORS_PROPERTY)));

        sink.configure(new String[0], UdpSink.DEFAULT_MAX_DATAGRAM);
        assertEquals(1, registry.unregistered);
        assertNull(registry.service);

        sink.configure(new String[] {"[::1]:2057"}, UdpSink.DEFAULT_MAX_DATAGRAM);
        assertEquals(2, registry.registered.size());
        sink.deactivate();
        assertEquals(2, registry.unregistered);
        assertTrue(sink.collectors().isEmpty());
    }

    @Test
    void anEntryThatIsNoCollectorIsLoggedAndLeftOut() {
        UdpSink sink = sink("127.0.0.1:2056", "localhost:2056", "1.2.3.4:0", "[::1]:2056");
        assertEquals(List.of("127.0.0.1:2056", "[::1]:2056"),
                sink.collectors().stream().map(c -> c.collector().toString()).toList());
        assertEquals(2, warnings().size());
        sink.deactivate();
    }

    @Test
    void collectorSyntax() {
        assertEquals("127.0.0.1:2056", Collector.parse("127.0.0.1:2056").orElseThrow().toString());
        assertEquals("[::1]:2056", Collector.parse("[::1]:2056").orElseThrow().toString());
        assertEquals("[::1]:2056", Collector.parse("::1:2056").orElseThrow().toString(), "the -u form: last colon");
        Collector mapped = Collector.parse("::ffff:127.0.0.1:2056").orElseThrow();
        assertFalse(mapped.ipv6(), "an IPv4-mapped address goes over IPv4");
        assertNotNull(Collector.parse("[fd00::1]:65535").orElse(null));
        assertEquals("[2001:db8::1:0:0:1]:5", Collector.parse("2001:db8:0:0:1:0:0:1:5").orElseThrow().toString());
        assertEquals("[::]:5", Collector.parse(":::5").orElseThrow().toString());
        assertEquals("[1:0:2:0:3:0:4:0]:5", Collector.parse("1:0:2:0:3:0:4:0:5").orElseThrow().toString());
        assertEquals("[fe80::]:5", Collector.parse("fe80:0:0:0:0:0:0:0:5").orElseThrow().toString());
        for (String bad : new String[] {"localhost:2056", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:123456", ":2056", "127.0.0.1:", "127.0.0.1:+5", "300.1.1.1:5", "[::1:5", "", null}) {
            assertTrue(Collector.parse(bad).isEmpty(), bad);
        }
    }
}
