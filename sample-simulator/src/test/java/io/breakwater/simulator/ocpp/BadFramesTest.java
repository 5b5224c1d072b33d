package io.breakwater.simulator.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.ocpp.OcppConnection.BadFrame;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.TextFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * A CSMS that sends garbage: the charge point's connection drops each bad frame, counts it by kind,
 * and stays usable; only a frame the WebSocket layer itself cannot decode (invalid UTF-8) ends the
 * connection, cleanly, as a close the charge point then reconnects from.
 */
class BadFramesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A raw peer on Java-WebSocket that sends the given frames once the charge point connects. */
    private static final class GarbageCsms extends WebSocketServer {
        final List<String> answers = new CopyOnWriteArrayList<>();
        private final List<Object> frames;

        GarbageCsms(List<Object> frames) {
            super(new InetSocketAddress("127.0.0.1", 0), List.of(Ocpp16.draft()));
            this.frames = frames;
            setDaemon(true);
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            for (Object frame : frames) {
                if (frame instanceof String text) {
                    socket.send(text);
                } else if (frame instanceof byte[] bytes) {
                    socket.send(ByteBuffer.wrap(bytes)); // a binary frame
                } else if (frame instanceof TextFrame raw) {
                    socket.sendFrame(raw);
                }
            }
        }

        @Override
        public void onMessage(WebSocket socket, String message) {
            answers.add(message);
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket socket, Exception ex) {
        }

        @Override
        public void onStart() {
        }
    }

    private static final class Counting implements OcppConnection.Listener {
        final Map<BadFrame, AtomicLong> counts = new ConcurrentHashMap<>();
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public void onBadFrame(BadFrame kind) {
            counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void onClose(int code, String reason, boolean wasOpen) {
            closes.add(code + " " + reason);
        }

        long count(BadFrame kind) {
            AtomicLong n = counts.get(kind);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void everyKindOfGarbageIsCountedAndTheConnectionStillAnswers() throws Exception {
        GarbageCsms csms = new GarbageCsms(List.of(
                "not json at all", "{\"an\":\"object\"}", "[]", "[9,\"x\",{}]", "[2]", "\"a string\"", "[2,\"m\",\"Reset\",[1]]",
                "[3,\"never-sent\",{}]", "[4,\"never-sent\",\"InternalError\",\"\",{}]",
                "[2,\"huge\",\"DataTransfer\",{\"data\":\"" + "x".repeat(OcppConnection.MAX_FRAME_CHARS) + "\"}]",
                new byte[] {1, 2, 3},
                // After all that, a well-formed CALL of an action it does not implement: answered, so the connection lives.
                "[2,\"alive\",\"NoSuchAction\",{}]"));
        csms.start();
        await().atMost(WAIT).until(() -> csms.getPort() > 0);
        Counting listener = new Counting();
        OcppConnection connection = new OcppConnection("CP-G", URI.create("ws://127.0.0.1:" + csms.getPort() + "/CP-G"));
        connection.setListener(listener);
        try {
            connection.connect().get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> csms.answers.stream().anyMatch(a -> a.startsWith("[4,\"alive\",\"NotImplemented\"")));

            assertThat(listener.count(BadFrame.MALFORMED)).isEqualTo(7);
            assertThat(listener.count(BadFrame.UNKNOWN_ID)).isEqualTo(2);
            assertThat(listener.count(BadFrame.OVERSIZED)).isEqualTo(1);
            assertThat(listener.count(BadFrame.BINARY)).isEqualTo(1);
            // The malformed frame that names a CALL id is answered as OCPP-J asks; the oversized one is never read.
            assertThat(csms.answers).anySatisfy(a -> assertThat(a).startsWith("[4,\"m\",\"FormationViolation\""))
                    .noneSatisfy(a -> assertThat(a).contains("\"huge\""));
            assertThat(connection.isConnected()).isTrue();
            assertThat(listener.closes).isEmpty();
        } finally {
            connection.close();
            csms.stop(1000);
        }
    }

    @Test
    void invalidUtf8EndsTheConnectionCleanly() throws Exception {
        TextFrame invalid = new TextFrame();
        invalid.setPayload(ByteBuffer.wrap(new byte[] {'[', (byte) 0xC3, (byte) 0x28, ']'}));
        invalid.setFin(true);
        GarbageCsms csms = new GarbageCsms(List.of(invalid));
        csms.start();
        await().atMost(WAIT).until(() -> csms.getPort() > 0);
        Counting listener = new Counting();
        OcppConnection connection = new OcppConnection("CP-U", URI.create("ws://127.0.0.1:" + csms.getPort() + "/CP-U"));
        connection.setListener(listener);
        try {
            connection.connect().get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> !listener.closes.isEmpty());
            assertThat(connection.isConnected()).isFalse();
        } finally {
            connection.close();
            csms.stop(1000);
        }
    }
}
