package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.state.RedisClients;
import io.breakwater.simulator.state.RedisKeys;
import io.breakwater.testkit.FaultProxy;
import io.breakwater.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * With a slow Redis a meter write is often still in flight when the register changes again (the next sample, the
 * session's end): the last register must reach Redis all the same, once the charge points are quiet. (Before,
 * a write asked for while another was in flight was skipped, and the register at a session's end could be lost.)
 */
class MeterPersistenceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> IDS = List.of("M-0001", "M-0002", "M-0003");

    @Test
    @SuppressWarnings("unchecked")
    void theLastRegisterReachesASlowRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
                FaultProxy slow = FaultProxy.start(redis.port());
                EmbeddedCsms csms = new EmbeddedCsms(0)) {
            csms.start();
            slow.set(FaultProxy.Fault.LATENCY, Duration.ofMillis(450));
            Fleet fleet = Fleet.uniform("M", IDS.size(), 2, Duration.ofSeconds(1), Duration.ofSeconds(3),
                    new DurationRange(Duration.ofSeconds(1), Duration.ofSeconds(2)));
            SimulatorConfig config = new SimulatorConfig(URI.create(csms.url()),
                    URI.create("redis://127.0.0.1:" + slow.port()), fleet, null, Duration.ofMillis(500),
                    Duration.ofSeconds(2));
            try (Simulator simulator = new Simulator(config)) {
                simulator.start();
                await().atMost(WAIT).until(() -> csms.count("StopTransaction") >= 6
                        && csms.connectedChargePoints() == IDS.size());

                for (String id : IDS) { // out of service while Redis is still slow: the sessions end with writes in flight
                    assertThat(csms.callChargePoint(id, "ChangeAvailability",
                            "{\"connectorId\":0,\"type\":\"Inoperative\"}")).succeedsWithin(WAIT);
                }
                await().atMost(WAIT).until(() -> simulator.stateForRedis().values().stream()
                        .map(state -> (Map<String, Object>) state)
                        .allMatch(state -> ((Map<String, String>) state.get("connectors")).values().stream()
                                .allMatch("Unavailable"::equals)));
                slow.set(FaultProxy.Fault.NONE); // then quick again, so the charge points' lanes empty
                // Awaited, not read once: a write still owed may follow the last one in flight.
                try (RedisClient client = RedisClients.create(URI.create(redis.uri()), 1)) {
                    await().atMost(WAIT).untilAsserted(() -> {
                        Map<String, Object> memory = simulator.stateForRedis();
                        for (String id : IDS) {
                            Map<String, Object> mine = (Map<String, Object>) memory.get(id);
                            assertThat(client.get(RedisKeys.meter(id))).as(id + " meter in Redis")
                                    .isEqualTo(mine.get("meterWh").toString());
                        }
                    });
                }
            }
        }
    }
}
