package io.breakwater.simulator.csms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Java-WebSocket server and a real JDK WebSocket client. The lost wake-up is put in place by hand (a frame in
 * the connection's queue, the key back at OP_READ), which is the state the server's selector thread leaves behind
 * when it loses the race; the race itself is too narrow to hit on demand.
 */
class StalledWriteSweeperTest {

    private final CompletableFuture<WebSocketImpl> serverSide = new CompletableFuture<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private WebSocketServer server;
    private WebSocket client;
    private StalledWriteSweeper sweeper;

    @BeforeEach
    void connect() throws Exception {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        server = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override public void onOpen(org.java_websocket.WebSocket conn, ClientHandshake handshake) {
                serverSide.complete((WebSocketImpl) conn);
            }
            @Override public void onClose(org.java_websocket.WebSocket conn, int code, String reason, boolean remote) { }
            @Override public void onMessage(org.java_websocket.WebSocket conn, String message) { }
            @Override public void onError(org.java_websocket.WebSocket conn, Exception ex) { }
            @Override public void onStart() {
                listening.complete(null);
            }
        };
        server.setDaemon(true);
        server.start();
        listening.get(10, TimeUnit.SECONDS);
        client = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.getPort() + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        serverSide.get(10, TimeUnit.SECONDS);
        sweeper = new StalledWriteSweeper(server::getConnections);
    }

    @AfterEach
    void close() throws Exception {
        client.abort();
        server.stop(1_000);
    }

    @Test
    void aFrameLeftQueuedWithoutWriteInterestWaitsForTheNextFrameOnItsConnection() throws Exception {
        WebSocketImpl connection = serverSide.get();
        queueWithoutWakeUp(connection, "held back");

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(received::isEmpty);
        connection.send("next");

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
        assertThat(received).containsExactly("held back", "next");
    }

    @Test
    void theSecondSweepThatFindsTheSameFrameStalledSetsTheConnectionWritingAgain() throws Exception {
        queueWithoutWakeUp(serverSide.get(), "held back");

        assertThat(sweeper.sweep()).as("first sight: perhaps a sender about to ask for writing").isZero();
        assertThat(received).isEmpty();
        assertThat(sweeper.sweep()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(received).containsExactly("held back");
        assertThat(sweeper.resumed()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !serverSide.get().hasBufferedData());
        assertThat(sweeper.sweep()).as("nothing left to write").isZero();
    }

    @Test
    void aConnectionWhoseFramesLeftIsNotTouched() throws Exception {
        serverSide.get().send("sent");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !serverSide.get().hasBufferedData());

        assertThat(sweeper.sweep()).isZero();
        assertThat(sweeper.sweep()).isZero();
        assertThat(sweeper.resumed()).isZero();
    }

    @Test
    void aConnectionStillWritingIsNotTouched() throws Exception {
        WebSocketImpl connection = serverSide.get();
        SelectionKey key = connection.getSelectionKey();
        // Frames queued and write interest set: the selector is on it, whatever else happens.
        key.interestOps(SelectionKey.OP_READ);
        connection.outQueue.add(frame(connection, "on its way"));
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);

        // Either the selector has written it already or it will: in neither case is this connection stalled.
        assertThat(sweeper.sweep()).isZero();
        assertThat(sweeper.sweep()).isZero();
        key.selector().wakeup();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    }

    /** What the server's selector thread leaves when it loses the race: the frame queued, the key reading only. */
    private static void queueWithoutWakeUp(WebSocketImpl connection, String text) {
        SelectionKey key = connection.getSelectionKey();
        // The selector is done with the handshake's writes first, so that it cannot send the frame itself.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> key.interestOps() == SelectionKey.OP_READ && !connection.hasBufferedData());
        connection.outQueue.add(frame(connection, text));
    }

    private static ByteBuffer frame(WebSocketImpl connection, String text) {
        return connection.getDraft().createBinaryFrame(connection.getDraft().createFrames(text, false).get(0));
    }
}
