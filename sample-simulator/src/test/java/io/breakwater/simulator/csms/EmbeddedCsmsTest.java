package io.breakwater.simulator.csms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.simulator.ocpp.OcppConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedCsmsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EmbeddedCsms csms;

    @BeforeEach
    void setUp() {
        csms = new EmbeddedCsms(0);
        csms.start();
    }

    @AfterEach
    void tearDown() {
        csms.close();
    }

    @Test
    void chargePointIdIsTheLastPathSegment() {
        assertThat(EmbeddedCsms.chargePointId("/ocpp/CP-0001")).isEqualTo("CP-0001");
        assertThat(EmbeddedCsms.chargePointId("/a/b/c/CP%201/")).isEqualTo("CP 1");
        assertThat(EmbeddedCsms.chargePointId("/CP-9?x=1")).isEqualTo("CP-9");
        assertThat(EmbeddedCsms.chargePointId("/")).isEqualTo("unknown");
    }

    @Test
    void keepsThePortAcrossDownAndUp() {
        int port = csms.port();
        assertThat(port).isPositive();

        csms.goDown();
        csms.comeUp();

        assertThat(csms.port()).isEqualTo(port);
        assertThat(csms.isUp()).isTrue();
    }

    @Test
    void countsAndRecordsCallsPerAction() throws Exception {
        OcppConnection connection = connect("CP-A");
        try {
            connection.call("Heartbeat", "{}").get(10, TimeUnit.SECONDS);
            connection.call("Heartbeat", "{}").get(10, TimeUnit.SECONDS);
            connection.call("StatusNotification",
                    "{\"connectorId\":0,\"errorCode\":\"NoError\",\"status\":\"Available\"}").get(10, TimeUnit.SECONDS);

            assertThat(csms.count("Heartbeat")).isEqualTo(2);
            assertThat(csms.counts()).containsEntry("Heartbeat", 2L).containsEntry("StatusNotification", 1L);
            assertThat(csms.received()).extracting(ReceivedCall::action)
                    .containsExactly("Heartbeat", "Heartbeat", "StatusNotification");
            assertThat(csms.connectedChargePoints()).isEqualTo(1);

            csms.resetCounts();
            assertThat(csms.counts()).isEmpty();
            assertThat(csms.received()).isEmpty();
        } finally {
            connection.close();
        }
    }

    @Test
    void logsEveryCallPerChargePointWithTheTransactionIdsForTheExactlyOnceCheck() throws Exception {
        OcppConnection a = connect("CP-A");
        OcppConnection b = new OcppConnection("CP-B", URI.create(csms.url() + "/CP-B"));
        try {
            b.connect().get(10, TimeUnit.SECONDS);
            String start = "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2025-01-01T00:00:00Z\"}";
            a.call("StartTransaction", start).get(10, TimeUnit.SECONDS);
            b.call("StartTransaction", start).get(10, TimeUnit.SECONDS);
            a.call("MeterValues", "{\"connectorId\":1,\"transactionId\":1,\"meterValue\":[]}").get(10, TimeUnit.SECONDS);
            a.call("StopTransaction", "{\"transactionId\":1,\"meterStop\":5,\"timestamp\":\"2025-01-01T00:01:00Z\"}")
                    .get(10, TimeUnit.SECONDS);
            csms.setCallErrorMode(true);
            a.call("StopTransaction", "{\"transactionId\":1,\"meterStop\":5,\"timestamp\":\"2025-01-01T00:01:00Z\"}")
                    .exceptionally(e -> null).get(10, TimeUnit.SECONDS);

            assertThat(csms.messagesOf("CP-A")).extracting(CallRecord::action, CallRecord::transactionId,
                    CallRecord::rejected).containsExactly(
                    tuple("StartTransaction", 1, false),
                    tuple("MeterValues", 1, false),
                    tuple("StopTransaction", 1, false),
                    tuple("StopTransaction", 1, true));
            assertThat(csms.messagesOf("CP-A")).extracting(CallRecord::uniqueId).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(csms.messagesByChargePoint()).containsOnlyKeys("CP-A", "CP-B");
            assertThat(csms.messagesOf("CP-B")).singleElement().extracting(CallRecord::transactionId).isEqualTo(2);
            TransactionCheck check = csms.checkTransactions();
            assertThat(check.isClean()).as(check.toString()).isTrue();
            assertThat(check.openTransactions()).containsOnlyKeys("CP-B");

            csms.setCallErrorMode(false);
            a.call("StopTransaction", "{\"transactionId\":1,\"meterStop\":5,\"timestamp\":\"2025-01-01T00:01:00Z\"}")
                    .get(10, TimeUnit.SECONDS);
            assertThat(csms.checkTransactions().duplicateStops()).hasSize(1);

            csms.setMessageLogCapacity(2);
            a.call("Heartbeat", "{}").get(10, TimeUnit.SECONDS);
            assertThat(csms.checkTransactions().isComplete()).isFalse();
            csms.resetCounts();
            assertThat(csms.messagesByChargePoint()).isEmpty();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void logsMalformedFramesAndAnswersAMalformedCallWithFormationViolation() throws Exception {
        List<String> answers = new CopyOnWriteArrayList<>();
        WebSocket raw = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("ocpp1.6")
                .buildAsync(URI.create(csms.url() + "/CP-M"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        answers.add(data.toString());
                        socket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            raw.sendText("[2,\"m-1\",\"Heartbeat\"]", true).get(10, TimeUnit.SECONDS);
            raw.sendText("not json", true).get(10, TimeUnit.SECONDS);
            raw.sendText("[2,\"m-2\",\"Heartbeat\",{}]", true).get(10, TimeUnit.SECONDS);

            await().atMost(WAIT).until(() -> answers.size() == 2);
            assertThat(answers.get(0)).startsWith("[4,\"m-1\",\"FormationViolation\"");
            assertThat(answers.get(1)).startsWith("[3,\"m-2\",");
            assertThat(csms.messagesOf("CP-M")).extracting(CallRecord::type, CallRecord::uniqueId, CallRecord::rejected)
                    .containsExactly(
                            tuple(CallRecord.Type.MALFORMED, "m-1", true),
                            tuple(CallRecord.Type.MALFORMED, null, false),
                            tuple(CallRecord.Type.CALL, "m-2", false));
            assertThat(csms.counts()).containsOnly(entry("Heartbeat", 1L));
        } finally {
            raw.abort();
        }
    }

    @Test
    void measuresHowManyCallsAChargePointHadOutstandingAtOnce() throws Exception {
        OcppConnection connection = connect("CP-A");
        try {
            connection.call("Heartbeat", "{}").get(10, TimeUnit.SECONDS);
            connection.call("Heartbeat", "{}").get(10, TimeUnit.SECONDS);
            assertThat(csms.maxOutstandingCalls()).containsEntry("CP-A", 1);

            csms.setSilent(true);
            connection.call("Heartbeat", "{}");
            connection.call("Heartbeat", "{}");
            await().atMost(WAIT).until(() -> csms.count("Heartbeat") == 4);

            assertThat(csms.maxOutstandingCalls()).containsEntry("CP-A", 2);
            csms.resetCounts();
            assertThat(csms.maxOutstandingCalls()).isEmpty();
        } finally {
            connection.close();
        }
    }

    @Test
    void refusesClientsWithoutTheOcppSubprotocol() {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocketClient plain = new WebSocketClient(URI.create(csms.url() + "/CP-X")) {
            @Override
            public void onOpen(ServerHandshake handshake) {
                closed.complete(0);
            }

            @Override
            public void onMessage(String message) {
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                closed.complete(code);
            }

            @Override
            public void onError(Exception ex) {
            }
        };
        plain.connect();

        assertThat(closed).succeedsWithin(WAIT).isNotEqualTo(0);
    }

    @Test
    void controlApiSwitchesFaultsAndReportsStats() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (CsmsControlApi api = new CsmsControlApi(csms, 0)) {
            String base = "http://127.0.0.1:" + api.port();

            assertThat(post(http, base + "/delay?ms=250").get("replyDelayMs").getAsLong()).isEqualTo(250);
            assertThat(csms.replyDelay()).isEqualTo(Duration.ofMillis(250));
            assertThat(post(http, base + "/callerror?on=true").get("callError").getAsBoolean()).isTrue();
            assertThat(csms.isCallErrorMode()).isTrue();
            assertThat(post(http, base + "/silent?on=true").get("silent").getAsBoolean()).isTrue();
            assertThat(csms.isSilent()).isTrue();
            post(http, base + "/silent?on=false");
            assertThat(csms.isSilent()).isFalse();

            assertThat(post(http, base + "/down").get("up").getAsBoolean()).isFalse();
            assertThat(csms.isUp()).isFalse();
            assertThat(post(http, base + "/up").get("up").getAsBoolean()).isTrue();
            assertThat(csms.isUp()).isTrue();

            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).isEqualTo(200);
            JsonObject body = JsonParser.parseString(stats.body()).getAsJsonObject();
            assertThat(body.has("counts")).isTrue();
            assertThat(body.get("connectedChargePoints").getAsInt()).isZero();
            assertThat(body.get("stalledWritesResumed").getAsLong()).isZero();

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/delay?ms=abc"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(base + "/down")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(csms.isUp()).isTrue();
        }
    }

    @Test
    void controlApiSendsCallsToChargePointsAndReportsTheLog() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        OcppConnection connection = connect("CP-A");
        connection.setRequestHandler(request -> {
            if (request.action().equals("Reset")) {
                JsonObject accepted = new JsonObject();
                accepted.addProperty("status", "Accepted");
                request.reply(accepted);
            } else {
                request.error("NotImplemented", "no " + request.action());
            }
        });
        try (CsmsControlApi api = new CsmsControlApi(csms, 0)) {
            String base = "http://127.0.0.1:" + api.port();
            connection.call("Heartbeat", "{}").get(10, TimeUnit.SECONDS);

            JsonObject reset = post(http, base + "/chargepoints/CP-A/Reset", "{\"type\":\"Soft\"}");
            assertThat(reset.getAsJsonObject("result").get("status").getAsString()).isEqualTo("Accepted");
            assertThat(send(http, base + "/chargepoints/CP-A/DataTransfer", "{}"))
                    .satisfies(r -> assertThat(r.statusCode()).isEqualTo(502))
                    .satisfies(r -> assertThat(r.body()).contains("\"errorCode\":\"NotImplemented\""));
            assertThat(send(http, base + "/chargepoints/CP-NONE/Reset", "{}").statusCode()).isEqualTo(404);
            assertThat(send(http, base + "/chargepoints/CP-A/Reset", "not json").statusCode()).isEqualTo(400);
            assertThat(get(http, base + "/chargepoints").body()).contains("\"connected\":[\"CP-A\"]");
            assertThat(get(http, base + "/messages?chargePoint=CP-A").body()).contains("\"action\":\"Heartbeat\"",
                    "{\"type\":\"CALLRESULT\",\"action\":\"Reset\",\"uniqueId\":\"csms-1\"",
                    "{\"type\":\"CALLERROR\",\"action\":\"DataTransfer\"");
            assertThat(get(http, base + "/check").body()).contains("\"clean\":true");
        } finally {
            connection.close();
        }
    }

    @Test
    void controlApiChangesTheAvailabilityOfEveryConnectedChargePoint() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> payloads = new CopyOnWriteArrayList<>();
        OcppConnection accepting = connect("CP-A");
        OcppConnection scheduling = connect("CP-B");
        OcppConnection refusing = connect("CP-C");
        answerChangeAvailability(accepting, payloads, "Accepted");
        answerChangeAvailability(scheduling, payloads, "Scheduled");
        refusing.setRequestHandler(request -> request.error("NotSupported", "no"));
        try (CsmsControlApi api = new CsmsControlApi(csms, 0)) {
            String base = "http://127.0.0.1:" + api.port();

            JsonObject answer = post(http, base + "/availability?type=Inoperative", "");

            assertThat(answer.get("chargePoints").getAsInt()).isEqualTo(3);
            assertThat(answer.getAsJsonObject("answers").toString())
                    .isEqualTo("{\"Accepted\":1,\"Scheduled\":1,\"failed\":1}");
            assertThat(answer.getAsJsonArray("failedChargePoints").toString()).isEqualTo("[\"CP-C\"]");
            assertThat(payloads).hasSize(2).allSatisfy(p -> assertThat(JsonParser.parseString(p))
                    .isEqualTo(JsonParser.parseString("{\"connectorId\":0,\"type\":\"Inoperative\"}")));
            assertThat(send(http, base + "/availability?type=Broken", "").statusCode()).isEqualTo(400);
            assertThat(get(http, base + "/availability?type=Operative").statusCode()).isEqualTo(405);
        } finally {
            accepting.close();
            scheduling.close();
            refusing.close();
        }
    }

    private static void answerChangeAvailability(OcppConnection connection, List<String> payloads, String status) {
        connection.setRequestHandler(request -> {
            payloads.add(request.payload().toString());
            JsonObject reply = new JsonObject();
            reply.addProperty("status", status);
            request.reply(reply);
        });
    }

    @Test
    void secondCsmsOnTheSamePortFailsToStart() {
        EmbeddedCsms other = new EmbeddedCsms(csms.port());
        try {
            assertThatThrownBy(other::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen");
        } finally {
            other.close();
        }
    }

    private OcppConnection connect(String id) throws Exception {
        OcppConnection connection = new OcppConnection(id, URI.create(csms.url() + "/" + id));
        connection.connect().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> csms.connectedChargePointIds().contains(id));
        return connection;
    }

    private static JsonObject post(HttpClient http, String url) throws Exception {
        return post(http, url, "");
    }

    private static JsonObject post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> response = send(http, url, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static HttpResponse<String> send(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
