package io.breakwater.simulator.ocpp;

import static io.breakwater.simulator.TestFutures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.ReceivedCall;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OcppConnection against a real EmbeddedCsms over loopback. */
class OcppConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EmbeddedCsms csms;
    private OcppConnection connection;

    @BeforeEach
    void setUp() throws Exception {
        csms = new EmbeddedCsms(0);
        csms.start();
        connection = new OcppConnection("CP-T1", URI.create(csms.url() + "/CP-T1"));
        connection.connect().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        connection.close();
        csms.close();
    }

    @Test
    void callReturnsTheCallResultPayload() throws Exception {
        CompletableFuture<String> boot = connection.call("BootNotification",
                "{\"chargePointVendor\":\"Breakwater\",\"chargePointModel\":\"SampleSim\"}");

        JsonObject reply = JsonParser.parseString(boot.get(10, TimeUnit.SECONDS)).getAsJsonObject();
        assertThat(reply.get("status").getAsString()).isEqualTo("Accepted");
        assertThat(reply.get("interval").getAsInt()).isEqualTo(EmbeddedCsms.DEFAULT_HEARTBEAT_INTERVAL_SECONDS);
        assertThat(reply.has("currentTime")).isTrue();
        assertThat(csms.count("BootNotification")).isEqualTo(1);
        ReceivedCall received = csms.received().get(0);
        assertThat(received.chargePointId()).isEqualTo("CP-T1");
        assertThat(received.action()).isEqualTo("BootNotification");
        assertThat(received.payloadJson()).contains("SampleSim");
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void startTransactionIdsIncrease() throws Exception {
        String start = "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2025-01-01T00:00:00Z\"}";
        int first = transactionId(connection.call("StartTransaction", start).get(10, TimeUnit.SECONDS));
        int second = transactionId(connection.call("StartTransaction", start).get(10, TimeUnit.SECONDS));

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
    }

    @Test
    void unknownActionIsACallErrorNotImplemented() {
        CompletableFuture<String> future = connection.call("FirmwareStatusNotificationX", "{}");

        Throwable cause = failure(future);
        assertThat(cause).isInstanceOf(OcppCallErrorException.class);
        assertThat(((OcppCallErrorException) cause).getErrorCode()).isEqualTo("NotImplemented");
    }

    @Test
    void callErrorModeCompletesWithOcppCallErrorException() {
        csms.setCallErrorMode(true);

        Throwable cause = failure(connection.call("Heartbeat", "{}"));

        assertThat(cause).isInstanceOf(OcppCallErrorException.class);
        OcppCallErrorException error = (OcppCallErrorException) cause;
        assertThat(error.getErrorCode()).isEqualTo("InternalError");
        assertThat(error.getErrorDescription()).isEqualTo("injected");
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void goDownFailsPendingAndNewCallsAndComeUpRecovers() {
        csms.setSilent(true);
        CompletableFuture<String> pending = connection.call("Heartbeat", "{}");
        await().atMost(WAIT).until(() -> csms.count("Heartbeat") == 1);
        assertThat(pending).isNotDone();

        csms.goDown();

        assertThat(failure(pending)).isInstanceOf(OcppTransportException.class);
        await().atMost(WAIT).until(() -> !connection.isConnected());
        assertThat(failure(connection.call("Heartbeat", "{}"))).isInstanceOf(OcppTransportException.class);
        assertThat(failure(connection.connect())).isInstanceOf(OcppTransportException.class);
        assertThat(csms.isUp()).isFalse();
        assertThat(connection.pendingCalls()).isZero();

        csms.setSilent(false);
        csms.comeUp();

        assertThat(csms.isUp()).isTrue();
        assertThat(connection.connect()).succeedsWithin(WAIT);
        assertThat(connection.call("Heartbeat", "{}")).succeedsWithin(WAIT).asString().contains("currentTime");
        await().atMost(WAIT).until(() -> csms.connectedChargePoints() == 1);
        assertThat(csms.connectedChargePointIds()).containsExactly("CP-T1");
    }

    @Test
    void silentCsmsLeavesTheCallPendingUntilCompletedExternally() {
        csms.setSilent(true);

        CompletableFuture<String> future = connection.call("Heartbeat", "{}");
        await().atMost(WAIT).until(() -> csms.count("Heartbeat") == 1);

        assertThat(future).isNotDone();
        assertThat(connection.pendingCalls()).isEqualTo(1);

        // What a resilience layer does: add a timeout from outside.
        future.orTimeout(100, TimeUnit.MILLISECONDS);

        assertThat(failure(future)).isInstanceOf(TimeoutException.class);
        assertThat(connection.pendingCalls()).isZero();
        assertThat(connection.isConnected()).isTrue();
    }

    @Test
    void replyDelayDelaysTheAnswer() {
        csms.setReplyDelay(Duration.ofMillis(300));
        long start = System.nanoTime();

        assertThat(connection.call("Heartbeat", "{}")).succeedsWithin(WAIT);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void callNeverThrowsSynchronously() {
        OcppConnection neverConnected = new OcppConnection("CP-T2", URI.create(csms.url() + "/CP-T2"));

        assertThat(failure(neverConnected.call("Heartbeat", "{}"))).isInstanceOf(OcppTransportException.class);
        assertThat(failure(connection.call("Heartbeat", "not json"))).isInstanceOf(RuntimeException.class);
        assertThat(failure(connection.call("Heartbeat", "[1]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectionClosedByTheClientFailsPendingCalls() {
        csms.setSilent(true);
        CompletableFuture<String> pending = connection.call("Heartbeat", "{}");
        await().atMost(WAIT).until(() -> csms.count("Heartbeat") == 1);

        connection.disconnect();

        assertThat(failure(pending)).isInstanceOf(OcppTransportException.class);
    }

    @Test
    void listenerSeesOpenAndClose() {
        var events = new java.util.concurrent.CopyOnWriteArrayList<String>();
        OcppConnection other = new OcppConnection("CP-T3", URI.create(csms.url() + "/CP-T3"));
        other.setListener(new OcppConnection.Listener() {
            @Override
            public void onOpen() {
                events.add("open");
            }

            @Override
            public void onClose(int code, String reason, boolean wasOpen) {
                events.add("close:" + wasOpen);
            }
        });
        assertThat(other.connect()).succeedsWithin(WAIT);
        other.close();
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events).containsExactly("open", "close:true");
    }

    // --- CSMS-initiated CALLs: EmbeddedCsms#callChargePoint on one side, the request handler on the other ---------

    @Test
    void withoutAHandlerEveryRequestIsNotImplemented() {
        awaitRegisteredAtCsms();
        OcppCallErrorException error = (OcppCallErrorException) failure(
                csms.callChargePoint("CP-T1", "Reset", "{\"type\":\"Soft\"}"));

        assertThat(error.getErrorCode()).isEqualTo("NotImplemented");
        assertThat(error.getErrorDescription()).contains("Reset");
    }

    @Test
    void theHandlerAnswersWithAResultOrAnErrorFromAnyThread() {
        awaitRegisteredAtCsms();
        List<String> seen = new CopyOnWriteArrayList<>();
        connection.setRequestHandler(request -> {
            seen.add(request.action() + " " + request.payload());
            CompletableFuture.runAsync(() -> {
                if (request.action().equals("Reset")) {
                    JsonObject result = new JsonObject();
                    result.addProperty("status", "Accepted");
                    assertThat(request.reply(result)).isTrue();
                    assertThat(request.error("InternalError", "too late")).isFalse();
                } else {
                    request.error("PropertyConstraintViolation", "no such key");
                }
            });
        });

        assertThat(csms.callChargePoint("CP-T1", "Reset", "{\"type\":\"Hard\"}")).succeedsWithin(WAIT)
                .isEqualTo("{\"status\":\"Accepted\"}");
        OcppCallErrorException error = (OcppCallErrorException) failure(
                csms.callChargePoint("CP-T1", "ChangeConfiguration", "{}"));
        assertThat(error.getErrorCode()).isEqualTo("PropertyConstraintViolation");
        assertThat(seen).containsExactly("Reset {\"type\":\"Hard\"}", "ChangeConfiguration {}");
    }

    @Test
    void aHandlerThatThrowsAnswersInternalError() {
        awaitRegisteredAtCsms();
        connection.setRequestHandler(request -> {
            throw new IllegalStateException("bug");
        });

        assertThat(((OcppCallErrorException) failure(csms.callChargePoint("CP-T1", "ClearCache", "{}")))
                .getErrorCode()).isEqualTo("InternalError");
    }

    @Test
    void theCsmsCallFailsWhenTheChargePointIsAbsentSilentOrGone() {
        awaitRegisteredAtCsms();
        assertThat(failure(csms.callChargePoint("CP-NOBODY", "Reset", "{}")))
                .isInstanceOf(OcppTransportException.class).hasMessageContaining("not connected");
        assertThat(failure(csms.callChargePoint("CP-T1", "Reset", "[1]"))).isInstanceOf(IllegalArgumentException.class);

        connection.setRequestHandler(request -> { });
        csms.setCallTimeout(Duration.ofMillis(200));
        assertThat(failure(csms.callChargePoint("CP-T1", "Reset", "{}"))).isInstanceOf(TimeoutException.class);

        csms.setCallTimeout(Duration.ofSeconds(30));
        CompletableFuture<String> pending = csms.callChargePoint("CP-T1", "Reset", "{}");
        connection.disconnect();
        assertThat(failure(pending)).isInstanceOf(OcppTransportException.class);
    }

    @Test
    void malformedRequestsAreAnsweredWithFormationViolation() throws Exception {
        List<String> answers = new CopyOnWriteArrayList<>();
        WebSocketServer raw = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0), List.of(Ocpp16.draft())) {
            @Override
            public void onOpen(WebSocket socket, ClientHandshake handshake) {
                socket.send("[2,\"a\",\"Reset\",[1]]");
                socket.send("[2,\"b\",\"Reset\"]");
                socket.send("[2,\"c\",\"Reset\",{}]");
            }

            @Override
            public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            }

            @Override
            public void onMessage(WebSocket socket, String message) {
                answers.add(message);
            }

            @Override
            public void onError(WebSocket socket, Exception ex) {
            }

            @Override
            public void onStart() {
            }
        };
        raw.setDaemon(true);
        raw.start();
        await().atMost(WAIT).until(() -> raw.getPort() > 0);
        OcppConnection other = new OcppConnection("CP-R", URI.create("ws://127.0.0.1:" + raw.getPort() + "/CP-R"));
        try {
            other.connect().get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> answers.size() == 3);

            assertThat(answers).anySatisfy(a -> assertThat(a).startsWith("[4,\"a\",\"FormationViolation\""))
                    .anySatisfy(a -> assertThat(a).startsWith("[4,\"b\",\"FormationViolation\""))
                    .anySatisfy(a -> assertThat(a).startsWith("[4,\"c\",\"NotImplemented\""));
        } finally {
            other.close();
            raw.stop(1000);
        }
    }

    private void awaitRegisteredAtCsms() {
        await().atMost(WAIT).until(() -> csms.connectedChargePointIds().contains("CP-T1"));
    }

    private static int transactionId(String json) {
        return JsonParser.parseString(json).getAsJsonObject().get("transactionId").getAsInt();
    }
}
