package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.simulator.csms.CallRecord;
import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.TransactionCheck;
import io.breakwater.testkit.FreePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A CSMS outage seen by a fleet of charge points that keep charging: a real redis-server, the embedded CSMS, and the
 * simulator in its own JVM with the Breakwater agent. The CSMS goes down long enough for the breaker to open and for
 * transactions to start and stop offline, then comes back; the fleet is then taken out of service (ChangeAvailability
 * Inoperative, from the CSMS) so every transaction ends, and what the CSMS received is compared with what each charge
 * point sent ({@code run --record-transactions}, {@code GET /health/transactions}).
 *
 * <p>100 charge points by default; {@code -Dbreakwater.outage.chargePoints=1000} runs the same outage with 1,000
 * ({@code e2e-tests/outage-1000.sh}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineChargePointEndToEndTest {
    private static final int CHARGE_POINTS = Integer.getInteger("breakwater.outage.chargePoints", 100);
    private static final Duration PATIENCE = Duration.ofSeconds(Math.max(90, CHARGE_POINTS / 4));
    /** The simulator's default idTags, SIMTAG0001 to SIMTAG0008. */
    private static final long ID_TAGS = 8;
    private static final String BREAKER = "ocpp-csms";
    private static final String QUEUE = "io.breakwater:type=OfflineQueue,name=" + BREAKER;
    private static final String AGENT = "ocpp.callTimeout=10s,ocpp.resetTimeout=3s,"
            + "ocpp.offline.transactionMessageRetryInterval=1s,redis.resetTimeout=2s,jmx.registerDelay=200ms";

    private static SimulatorRig rig;
    private static EmbeddedCsms csms;
    private static SimulatorJvm simulator;
    private static int healthPort;
    /** When the CSMS had closed every connection: a message in flight then is in doubt, anything later is not. */
    private static Instant cutOver = Instant.MAX;
    /** Sessions whose StartTransaction and StopTransaction were both waiting while the CSMS was down. */
    private static Set<String> offlineSessions = Set.of();

    @BeforeAll
    static void start() {
        healthPort = FreePort.find();
        rig = SimulatorRig.start("offline-charge-points-" + CHARGE_POINTS, SimulatorJvm.JAVA,
                List.of("-Xmx" + (CHARGE_POINTS > 200 ? "768m" : "256m"),
                        "-Dorg.slf4j.simpleLogger.log.io.breakwater.simulator.chargepoint=warn"),
                AGENT, (csmsPort, redisUri) -> List.of("run", "--csms", "ws://127.0.0.1:" + csmsPort + "/ocpp",
                        "--redis", redisUri, "--charge-points", String.valueOf(CHARGE_POINTS), "--connectors", "1",
                        "--meter-interval", "1", "--session-seconds", "4", "--reconnect-max", "2",
                        "--health-port", String.valueOf(healthPort), "--record-transactions"));
        csms = rig.csms;
        simulator = rig.simulator;
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    @Order(1)
    void theFleetChargesAndTheAgentLearnsTheIdTagsFromTheCsms() {
        await("every charge point connected and a Stop per charge point").atMost(PATIENCE)
                .until(() -> csms.connectedChargePoints() == CHARGE_POINTS
                        && csms.count("StopTransaction") >= CHARGE_POINTS);
        await("the agent's authorization cache knows every idTag").atMost(PATIENCE)
                .until(() -> Long.valueOf(ID_TAGS).equals(queue("CachedAuthorizations")));
        assertThat(simulator.breakerState(BREAKER)).isEqualTo("closed");
        assertThat(csms.checkTransactions().problems()).isEmpty();
    }

    @Test
    @Order(2)
    void csmsDownOpensTheBreakerAuthorizeIsAnsweredFromTheCacheAndTransactionsStartAndStopOffline() {
        long fallbacks = (Long) simulator.breakerAttribute(BREAKER, "FallbackCallsTotal");
        csms.goDown();
        cutOver = Instant.now();
        long authorizeAtCsms = csms.count("Authorize");
        await("breaker open").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState(BREAKER)));
        // From here on an Authorize the charge points see answered was not answered by the CSMS.
        long authorizeAnswered = callsOk("Authorize");
        int wanted = Math.max(10, CHARGE_POINTS / 10);
        await(wanted + " sessions started and stopped while the CSMS is down").atMost(PATIENCE)
                .until(() -> offline(sessions()).size() >= wanted);
        offlineSessions = offline(sessions());

        long answeredOffline = callsOk("Authorize") - authorizeAnswered;
        assertThat(answeredOffline).as("Authorize answered while the CSMS was down").isPositive();
        assertThat(csms.count("Authorize")).as("Authorize reaching the CSMS while it was down")
                .isEqualTo(authorizeAtCsms);
        assertThat((Long) simulator.breakerAttribute(BREAKER, "FallbackCallsTotal") - fallbacks)
                .as("fallbacks served by the agent (cached Authorize, queued messages, kept statuses)")
                .isGreaterThanOrEqualTo(answeredOffline + offlineSessions.size());
        assertThat((Integer) queue("Queued")).as("messages in the agent's offline queues").isPositive();
        assertThat(csms.isUp()).isFalse();
    }

    @Test
    @Order(3)
    void csmsBackEveryQueuedMessageIsDeliveredWithOneOutstandingCallPerChargePoint() {
        csms.comeUp();
        awaitOrExplain("offline sessions delivered, queues empty, breaker closed", () -> {
            List<JsonObject> now = sessions();
            return "closed".equals(simulator.breakerState(BREAKER)) && Integer.valueOf(0).equals(queue("Queued"))
                    && now.stream().filter(s -> offlineSessions.contains(key(s)))
                            .allMatch(s -> "delivered".equals(s.get("start").getAsString())
                                    && "delivered".equals(s.get("stop").getAsString()));
        });

        assertThat((Long) queue("DroppedTotal")).as("queued messages dropped").isZero();
        assertThat((Long) queue("FailedTotal")).as("queued messages given up").isZero();
        assertThat((Long) queue("DeliveredTotal")).as("queued messages delivered")
                .isGreaterThanOrEqualTo(offlineSessions.size());
        assertThat(csms.maxOutstandingCalls()).as("most CALLs a charge point had unanswered at once")
                .hasSize(CHARGE_POINTS).allSatisfy((id, most) -> assertThat(most).as(id).isLessThanOrEqualTo(1));
        assertThat(sessions().stream().flatMap(s -> strings(s.getAsJsonArray("meterValuesFailed")).stream())
                .map(Instant::parse)).as("MeterValues that failed: only those in flight when the CSMS cut the link")
                .allSatisfy(sampled -> assertThat(sampled).isBefore(cutOver));
        assertThat(sessions().stream().filter(s -> "failed".equals(s.get("start").getAsString()))
                .map(s -> Instant.parse(s.get("startTimestamp").getAsString())))
                .as("sessions called off because their StartTransaction failed: only one in flight at the cut")
                .allSatisfy(started -> assertThat(started).isBefore(cutOver));
        Map<String, Long> inDoubt = new java.util.TreeMap<>();
        for (JsonObject s : sessions()) {
            long failed = s.getAsJsonArray("meterValuesFailed").size() + ("failed".equals(s.get("start").getAsString())
                    ? 1 : 0);
            inDoubt.merge(s.get("chargePoint").getAsString(), failed, Long::sum);
        }
        assertThat(inDoubt).as("messages each charge point saw fail (at most the one in flight at the cut)")
                .allSatisfy((id, failed) -> assertThat(failed).as(id).isLessThanOrEqualTo(1));
    }

    @Test
    @Order(4)
    void everyTransactionReachedTheCsmsExactlyOnceInOrderWithItsOwnTransactionId() throws Exception {
        List<CompletableFuture<String>> outOfService = new ArrayList<>();
        for (int i = 1; i <= CHARGE_POINTS; i++) {
            outOfService.add(csms.callChargePoint(String.format("CP-%04d", i), "ChangeAvailability",
                    "{\"connectorId\":0,\"type\":\"Inoperative\"}"));
        }
        CompletableFuture.allOf(outOfService.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        awaitOrExplain("every session over and every message answered", () ->
                sessions().stream().allMatch(OfflineChargePointEndToEndTest::settled)
                        && csms.checkTransactions().openTransactions().isEmpty()
                        && Integer.valueOf(0).equals(queue("Queued")));

        List<JsonObject> sent = sessions();
        Map<String, List<CallRecord>> received = csms.messagesByChargePoint();
        TransactionCheck check = csms.checkTransactions();
        assertThat(check.problems()).as("duplicates and order at the CSMS").isEmpty();
        assertThat(compare(sent, received)).as("what the CSMS received against what the charge points sent")
                .isEmpty();
        long delivered = sent.stream().filter(s -> "delivered".equals(s.get("start").getAsString())).count();
        assertThat(check.startedTransactions()).isEqualTo(delivered);
        assertThat(check.stoppedTransactions()).isEqualTo(delivered);
        assertThat(sent.stream().filter(s -> offlineSessions.contains(key(s))).count())
                .as("offline sessions compared").isEqualTo(offlineSessions.size());
        assertThat((Long) queue("DroppedTotal")).isZero();
        assertThat(csms.maxOutstandingCalls().values()).allSatisfy(most -> assertThat(most).isLessThanOrEqualTo(1));
        Set<String> receivedMeterValues = new HashSet<>();
        received.forEach((cp, calls) -> calls.stream().filter(c -> c.action().equals("MeterValues"))
                .forEach(c -> receivedMeterValues.add(cp + "@" + c.timestamp())));
        long inDoubtReceived = sent.stream().flatMap(s -> strings(s.getAsJsonArray("meterValuesFailed")).stream()
                .map(t -> s.get("chargePoint").getAsString() + "@" + t)).filter(receivedMeterValues::contains).count();
        System.out.printf("outage with %d charge points: %d transactions, %d of them started and stopped offline,"
                        + " %d MeterValues delivered, %d in doubt at the cut (%d of those reached the CSMS),"
                        + " %d sessions called off at the cut, %d messages replayed by the agent%n",
                CHARGE_POINTS, delivered, offlineSessions.size(),
                sent.stream().mapToLong(s -> s.getAsJsonArray("meterValuesDelivered").size()).sum(),
                failedMeterValues(sent), inDoubtReceived,
                sent.stream().filter(s -> "failed".equals(s.get("start").getAsString())).count(),
                (Long) queue("DeliveredTotal"));
    }

    // ------------------------------------------------------------------------------------------------ comparison

    /**
     * Per charge point, every session the simulator recorded against the CSMS's log: a delivered StartTransaction is
     * there once, on the same connector with the same timestamp, with the transaction id the charge point got back;
     * its MeterValues are exactly those the charge point saw delivered, in sampling order (a MeterValues the charge
     * point saw fail may be there too: it was in flight when the connection was cut, OCPP's at-least-once); its one
     * StopTransaction has the stop timestamp of that session and that id. No transaction at the CSMS the charge
     * point does not know, and transactions arrive in the order the charge point started them.
     */
    static List<String> compare(List<JsonObject> sessions, Map<String, List<CallRecord>> received) {
        List<String> problems = new ArrayList<>();
        Map<String, List<JsonObject>> byChargePoint = new java.util.TreeMap<>();
        sessions.forEach(s -> byChargePoint.computeIfAbsent(s.get("chargePoint").getAsString(), id -> new ArrayList<>())
                .add(s));
        Set<String> chargePoints = new java.util.TreeSet<>(byChargePoint.keySet());
        chargePoints.addAll(received.keySet());
        for (String cp : chargePoints) {
            List<CallRecord> calls = received.getOrDefault(cp, List.of()).stream()
                    .filter(c -> c.type() == CallRecord.Type.CALL && !c.rejected()).toList();
            List<Integer> startOrder = new ArrayList<>();
            for (CallRecord c : calls) {
                if (c.action().equals("StartTransaction") && c.transactionId() != null) {
                    startOrder.add(c.transactionId());
                }
            }
            List<Integer> expectedOrder = new ArrayList<>();
            for (JsonObject s : byChargePoint.getOrDefault(cp, List.of())) {
                String start = s.get("start").getAsString();
                int connector = s.get("connectorId").getAsInt();
                String startTimestamp = s.get("startTimestamp").getAsString();
                List<CallRecord> startsHere = calls.stream().filter(c -> c.action().equals("StartTransaction")
                        && Integer.valueOf(connector).equals(c.connectorId()) && startTimestamp.equals(c.timestamp()))
                        .toList();
                if (!start.equals("delivered")) {
                    if (!startsHere.isEmpty()) {
                        problems.add(cp + ": session of " + startTimestamp + " is '" + start
                                + "' at the charge point, but the CSMS started transaction(s) "
                                + startsHere.stream().map(CallRecord::transactionId).toList() + " for it");
                    }
                    continue;
                }
                int id = s.get("transactionId").getAsInt();
                expectedOrder.add(id);
                if (startsHere.size() != 1 || !Integer.valueOf(id).equals(startsHere.get(0).transactionId())) {
                    problems.add(cp + ": transaction " + id + " (connector " + connector + ", " + startTimestamp
                            + "): StartTransaction at the CSMS " + startsHere.size() + " times with ids "
                            + startsHere.stream().map(CallRecord::transactionId).toList());
                }
                List<String> meterValues = calls.stream().filter(c -> c.action().equals("MeterValues")
                        && Integer.valueOf(id).equals(c.transactionId())).map(CallRecord::timestamp).toList();
                List<String> delivered = strings(s.getAsJsonArray("meterValuesDelivered"));
                Set<String> inDoubt = new HashSet<>(strings(s.getAsJsonArray("meterValuesFailed")));
                List<String> withoutInDoubt = meterValues.stream().filter(t -> !inDoubt.contains(t)).toList();
                if (!withoutInDoubt.equals(delivered)) {
                    problems.add(cp + ": transaction " + id + ": MeterValues sent " + delivered + ", at the CSMS "
                            + meterValues);
                }
                List<CallRecord> stops = calls.stream().filter(c -> c.action().equals("StopTransaction")
                        && Integer.valueOf(id).equals(c.transactionId())).toList();
                JsonElement stopTimestamp = s.get("stopTimestamp");
                if (!"delivered".equals(s.get("stop").getAsString()) || stops.size() != 1 || stopTimestamp == null
                        || stopTimestamp.isJsonNull() || !stopTimestamp.getAsString().equals(stops.get(0).timestamp())) {
                    problems.add(cp + ": transaction " + id + ": stop '" + s.get("stop").getAsString() + "' of "
                            + stopTimestamp + ", StopTransaction at the CSMS " + stops.size() + " times "
                            + stops.stream().map(CallRecord::timestamp).toList());
                }
            }
            if (!startOrder.equals(expectedOrder)) {
                problems.add(cp + ": transactions at the CSMS " + startOrder + ", started by the charge point "
                        + expectedOrder);
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Awaits {@code condition}; if it never holds, fails with the breaker's and the fleet's state, to see why. */
    private static void awaitOrExplain(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(PATIENCE).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Map<String, Long> bySessionState = new java.util.TreeMap<>();
            sessions().forEach(s -> bySessionState.merge("start " + s.get("start").getAsString() + ", stop "
                    + s.get("stop").getAsString(), 1L, Long::sum));
            throw new AssertionError(what + " did not happen within " + PATIENCE + ": breaker "
                    + simulator.breakerState(BREAKER) + " after " + simulator.breakerAttribute(BREAKER,
                    "TransitionsTotal") + " transitions, offline queue " + queue("Queued") + " messages (oldest "
                    + queue("OldestAgeSeconds") + " s), CSMS connections " + csms.connectedChargePoints()
                    + ", open transactions at the CSMS " + csms.checkTransactions().openTransactions().size()
                    + ", sessions " + bySessionState, e);
        }
    }

    private static Object queue(String attribute) {
        return simulator.mbeanAttribute(QUEUE, attribute);
    }

    /** Every session the simulator recorded, each with its charge point's id under {@code chargePoint}. */
    private static List<JsonObject> sessions() {
        String body = SimulatorJvm.httpGet("http://127.0.0.1:" + healthPort + "/health/transactions");
        assertThat(body).as("GET /health/transactions").startsWith("{");
        List<JsonObject> all = new ArrayList<>();
        for (Map.Entry<String, JsonElement> cp : JsonParser.parseString(body).getAsJsonObject().entrySet()) {
            for (JsonElement session : cp.getValue().getAsJsonArray()) {
                JsonObject s = session.getAsJsonObject();
                s.addProperty("chargePoint", cp.getKey());
                all.add(s);
            }
        }
        return all;
    }

    private static long callsOk(String action) {
        String body = SimulatorJvm.httpGet("http://127.0.0.1:" + healthPort + "/health/detailed");
        JsonObject calls = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("simulator")
                .getAsJsonObject("calls");
        JsonObject counts = calls.getAsJsonObject(action);
        return counts == null || !counts.has("ok") ? 0 : counts.get("ok").getAsLong();
    }

    private static long failedMeterValues(List<JsonObject> sessions) {
        return sessions.stream().mapToLong(s -> s.getAsJsonArray("meterValuesFailed").size()).sum();
    }

    /** Started and ended with neither StartTransaction nor StopTransaction answered yet. */
    private static Set<String> offline(List<JsonObject> sessions) {
        Set<String> keys = new HashSet<>();
        for (JsonObject s : sessions) {
            if ("pending".equals(s.get("start").getAsString()) && "pending".equals(s.get("stop").getAsString())) {
                keys.add(key(s));
            }
        }
        return keys;
    }

    private static String key(JsonObject session) {
        return session.get("chargePoint").getAsString() + "/" + session.get("connectorId").getAsInt() + "@"
                + session.get("startTimestamp").getAsString();
    }

    /** Nothing of the session is still on its way. */
    private static boolean settled(JsonObject s) {
        String start = s.get("start").getAsString();
        String stop = s.get("stop").getAsString();
        int answered = s.getAsJsonArray("meterValuesDelivered").size() + s.getAsJsonArray("meterValuesFailed").size()
                + s.get("meterValuesSkipped").getAsInt();
        boolean meterValuesDone = answered == s.get("meterValuesSent").getAsInt();
        return meterValuesDone && switch (start) {
            case "delivered" -> stop.equals("delivered") || stop.equals("givenUp");
            case "failed" -> stop.equals("none") || stop.equals("notSent");
            default -> false;
        };
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(e -> values.add(e.getAsString()));
        return values;
    }
}
