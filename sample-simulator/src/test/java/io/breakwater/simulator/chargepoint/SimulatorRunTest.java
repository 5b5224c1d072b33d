package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.ReceivedCall;
import io.breakwater.simulator.csms.TransactionCheck;
import io.breakwater.simulator.state.RedisClients;
import io.breakwater.simulator.state.RedisKeys;
import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The whole simulator against an in-process CSMS and a real redis-server: traffic, state, and surviving outages. */
class SimulatorRunTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> ACTIONS = List.of("BootNotification", "StatusNotification", "Authorize",
            "StartTransaction", "MeterValues", "StopTransaction");

    private RedisServer redis;
    private EmbeddedCsms csms;
    private Simulator simulator;

    @BeforeEach
    void setUp() throws Exception {
        redis = RedisServer.start();
        csms = new EmbeddedCsms(0);
        csms.start();
        Fleet fleet = Fleet.uniform("T", 2, 2, Duration.ofSeconds(1), Duration.ofSeconds(2),
                new DurationRange(Duration.ofMillis(250), Duration.ofMillis(750)));
        SimulatorConfig config = new SimulatorConfig(URI.create(csms.url()), URI.create(redis.uri()), fleet, null,
                Duration.ofMillis(500), Duration.ofSeconds(2));
        simulator = new Simulator(config);
        simulator.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (csms != null) {
            csms.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void chargePointsRunSessionsKeepStateInRedisAndSurviveRedisDying() throws Exception {
        await().atMost(WAIT).until(() -> ACTIONS.stream().allMatch(action -> csms.count(action) > 0)
                && csms.count("StopTransaction") >= 2);

        assertThat(csms.connectedChargePointIds()).containsExactly("T-0001", "T-0002");
        ReceivedCall boot = csms.received().stream().filter(c -> c.action().equals("BootNotification")).findFirst()
                .orElseThrow();
        assertThat(boot.payloadJson()).contains("\"chargePointVendor\":\"Breakwater\"",
                "\"chargePointModel\":\"SampleSim\"");
        ReceivedCall meter = csms.received().stream().filter(c -> c.action().equals("MeterValues")).findFirst()
                .orElseThrow();
        assertThat(meter.payloadJson()).contains("\"transactionId\"", "Energy.Active.Import.Register", "\"Wh\"");
        assertThat(simulator.stats().transactionsStarted()).isPositive();
        assertThat(csms.maxOutstandingCalls()).containsOnlyKeys("T-0001", "T-0002").allSatisfy((id, max) ->
                assertThat(max).as("CALLs %s had outstanding at once", id).isEqualTo(1));
        TransactionCheck check = csms.checkTransactions();
        assertThat(check.isClean()).as(check.toString()).isTrue();
        assertThat(check.stoppedTransactions()).isGreaterThanOrEqualTo(2);

        try (RedisClient client = RedisClients.create(URI.create(redis.uri()), 1)) {
            await().atMost(WAIT).until(() -> client.get(RedisKeys.transaction("T-0001")) != null
                    || client.get(RedisKeys.transaction("T-0002")) != null);
            assertThat(client.get(RedisKeys.meter("T-0001"))).matches("\\d+");
            Map<String, String> connectors = client.hgetAll(RedisKeys.connectors("T-0001"));
            assertThat(connectors).containsOnlyKeys("1", "2");
            assertThat(client.hgetAll(RedisKeys.authorizations("T-0001"))).isNotEmpty()
                    .allSatisfy((tag, info) -> assertThat(ChargePointSpec.DEFAULT_ID_TAGS).contains(tag))
                    .allSatisfy((tag, info) -> assertThat(info).contains("Accepted"));
        }

        redis.kill();
        long meterValues = csms.count("MeterValues");
        long stopped = csms.count("StopTransaction");

        await().atMost(WAIT).until(() -> csms.count("MeterValues") >= meterValues + 4
                && csms.count("StopTransaction") >= stopped + 2);
        assertThat((Long) simulator.statsSnapshot().get("redisCommandsFailed")).isPositive();
        assertThat(simulator.stats().bootedChargePoints()).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void onceOutOfServiceRedisHoldsExactlyWhatTheChargePointsHaveInMemory() throws Exception {
        await().atMost(WAIT).until(() -> csms.count("StopTransaction") >= 2 && csms.connectedChargePoints() == 2);

        for (String id : List.of("T-0001", "T-0002")) {
            assertThat(csms.callChargePoint(id, "ChangeAvailability", "{\"connectorId\":0,\"type\":\"Inoperative\"}"))
                    .succeedsWithin(WAIT);
        }
        await().atMost(WAIT).until(() -> simulator.stateForRedis().values().stream()
                .map(state -> (Map<String, Object>) state)
                .allMatch(state -> state.get("transactionId") == null && ((Map<String, String>) state.get("connectors"))
                        .values().stream().allMatch("Unavailable"::equals)));

        // Awaited, not read once: a write still owed may follow the last one in flight.
        Map<String, Object> memory = simulator.stateForRedis();
        try (RedisClient client = RedisClients.create(URI.create(redis.uri()), 1)) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(memory).containsOnlyKeys("T-0001", "T-0002");
                memory.forEach((id, state) -> {
                    Map<String, Object> mine = (Map<String, Object>) state;
                    assertThat(client.get(RedisKeys.meter(id))).as(id + " meter").isEqualTo(mine.get("meterWh").toString());
                    assertThat(client.get(RedisKeys.transaction(id))).as(id + " tx").isNull();
                    assertThat(client.hgetAll(RedisKeys.connectors(id))).as(id + " connectors")
                            .isEqualTo(Map.of("1", "Unavailable", "2", "Unavailable"));
                    assertThat(mine.get("connectors")).isEqualTo(Map.of("1", "Unavailable", "2", "Unavailable"));
                });
            });
        }
        assertThat(simulator.stateForRedis()).as("nothing moves once out of service").isEqualTo(memory);
    }

    @Test
    void anOperatorCanTakeAConnectorOutOfServiceThroughRedis() throws Exception {
        try (RedisClient client = RedisClients.create(URI.create(redis.uri()), 1)) {
            await().atMost(WAIT).until(() -> csms.count("StartTransaction") > 0);

            // Re-set while waiting: a write landing just between the connector's check and its own HSET Charging
            // is overwritten (there is no compare-and-set among the commands the simulator uses).
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                client.hset(RedisKeys.connectors("T-0001"), "1", "Unavailable");
                return statusSent("T-0001", 1, "Unavailable");
            });
            long startsBefore = startsOn("T-0001", 1);
            long otherStartsBefore = startsOn("T-0001", 2);
            await().atMost(WAIT).until(() -> startsOn("T-0001", 2) >= otherStartsBefore + 2);
            assertThat(startsOn("T-0001", 1)).isEqualTo(startsBefore);

            client.hset(RedisKeys.connectors("T-0001"), "1", "Available");

            await().atMost(WAIT).until(() -> startsOn("T-0001", 1) > startsBefore);
        }
    }

    @Test
    void chargePointsReconnectAndBootAgainAfterTheCsmsComesBack() {
        await().atMost(WAIT).until(() -> simulator.stats().bootedChargePoints() == 2
                && csms.count("StartTransaction") > 0);

        csms.goDown();
        await().atMost(WAIT).until(() -> simulator.stats().connectedChargePoints() == 0);
        assertThat(simulator.stats().bootedChargePoints()).isZero();
        // A transaction was running: its MeterValues (or the StartTransaction answer) fail while the CSMS is gone.
        await().atMost(WAIT).until(() -> simulator.stats().callsFailed() > 0);

        csms.comeUp();
        await().atMost(WAIT).until(() -> csms.count("BootNotification") >= 4
                && simulator.stats().bootedChargePoints() == 2);
        long stopped = csms.count("StopTransaction");
        await().atMost(WAIT).until(() -> csms.count("StopTransaction") > stopped);
    }

    private boolean statusSent(String chargePointId, int connectorId, String status) {
        return csms.received().stream().anyMatch(call -> call.chargePointId().equals(chargePointId)
                && call.action().equals("StatusNotification")
                && call.payloadJson().contains("\"connectorId\":" + connectorId + ",")
                && call.payloadJson().contains("\"status\":\"" + status + "\""));
    }

    private long startsOn(String chargePointId, int connectorId) {
        return csms.received().stream().filter(call -> call.chargePointId().equals(chargePointId)
                && call.action().equals("StartTransaction")
                && call.payloadJson().contains("\"connectorId\":" + connectorId + ",")).count();
    }
}
