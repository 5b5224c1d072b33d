package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The outage scenario of the demo, checked: a real redis-server, the embedded CSMS, and the
 * simulator in its own JVM with the Breakwater agent and the Prometheus JMX exporter. Breaker
 * states are read over JMX (as JConsole connects) and from the exporter's /metrics. Sessions are long, so
 * transaction messages are always in flight when the CSMS goes down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static RedisServer redis;
    private static EmbeddedCsms csms;
    private static SimulatorJvm simulator;
    private static int exporterPort;
    private static int healthPort;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        csms = new EmbeddedCsms(0);
        csms.start();
        exporterPort = FreePort.find();
        healthPort = FreePort.find();
        simulator = SimulatorJvm.start("outage",
                "redis.resetTimeout=2s,ocpp.resetTimeout=2s,ocpp.callTimeout=5s,jmx.registerDelay=200ms",
                exporterPort,
                List.of("run", "--csms", "ws://127.0.0.1:" + csms.port() + "/ocpp", "--redis", redis.uri(),
                        "--charge-points", "3", "--connectors", "2", "--meter-interval", "1", "--session-seconds", "30",
                        "--health-port", String.valueOf(healthPort)));
        await("simulator sends MeterValues").atMost(PATIENCE).until(() -> csms.count("MeterValues") > 3);
    }

    @AfterAll
    static void stop() {
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

    private static String metrics() {
        return SimulatorJvm.httpGet("http://127.0.0.1:" + exporterPort + "/metrics");
    }

    private static boolean metricsShow(String breaker, String state) {
        return metrics().lines().anyMatch(l -> l.startsWith("resilience4j_circuitbreaker_state{")
                && l.contains("name=\"" + breaker + "\"") && l.contains("state=\"" + state + "\"") && l.endsWith(" 1.0"));
    }

    @Test
    @Order(1)
    void bothBreakersAreVisibleAndClosedWhileAllIsWell() {
        await().atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("redis")));
        assertThat(simulator.breakerState("ocpp-csms")).isEqualTo("closed");
        await().atMost(PATIENCE).until(() -> (Long) simulator.breakerAttribute("redis", "SuccessfulCallsTotal") > 0);
        await().atMost(PATIENCE).until(() -> metricsShow("redis", "closed") && metricsShow("ocpp-csms", "closed"));
        assertThat(metrics()).contains("resilience4j_circuitbreaker_calls_seconds_count{kind=\"successful\",name=\"redis\"}");
        assertThat(metrics()).contains("resilience4j_circuitbreaker_not_permitted_calls_total{kind=\"not_permitted\",name=\"redis\"}");
        assertThat(simulator.breakwaterLines()).hasSize(1).first().asString().contains("protecting");
    }

    @Test
    @Order(2)
    void redisDownOpensTheRedisBreakerAndTheSimulatorCarriesOn() {
        redis.kill();
        await("redis breaker OPEN over JMX").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState("redis")));
        await("redis breaker OPEN in /metrics").atMost(PATIENCE).until(() -> metricsShow("redis", "open"));
        assertThat(SimulatorJvm.httpGet("http://127.0.0.1:" + healthPort + "/health")).contains("DEGRADED").contains("redis");

        long meterValues = csms.count("MeterValues");
        await("MeterValues keep arriving").atMost(PATIENCE).until(() -> csms.count("MeterValues") >= meterValues + 3);
        assertThat(simulator.isAlive()).isTrue();
        assertThat((Long) simulator.breakerAttribute("redis", "FallbackCallsTotal")).isPositive();
    }

    @Test
    @Order(3)
    void redisBackClosesTheRedisBreaker() {
        redis.restart();
        await("redis breaker CLOSED over JMX").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("redis")));
        await("redis breaker CLOSED in /metrics").atMost(PATIENCE).until(() -> metricsShow("redis", "closed"));
    }

    @Test
    @Order(4)
    void csmsDownOpensTheOcppBreakerAndItClosesWhenTheCsmsIsBack() {
        csms.goDown();
        await("ocpp breaker OPEN over JMX").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState("ocpp-csms")));
        await("ocpp breaker OPEN in /metrics").atMost(PATIENCE).until(() -> metricsShow("ocpp-csms", "open"));
        assertThat(simulator.isAlive()).isTrue();
        await("calls are refused fast").atMost(PATIENCE)
                .until(() -> (Long) simulator.breakerAttribute("ocpp-csms", "NotPermittedCallsTotal") > 0);

        long meterValues = csms.count("MeterValues");
        csms.comeUp();
        await("ocpp breaker CLOSED over JMX").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("ocpp-csms")));
        await("ocpp breaker CLOSED in /metrics").atMost(PATIENCE).until(() -> metricsShow("ocpp-csms", "closed"));
        await("MeterValues arrive again").atMost(PATIENCE).until(() -> csms.count("MeterValues") > meterValues);
        assertThat(SimulatorJvm.httpGet("http://127.0.0.1:" + healthPort + "/health")).contains("\"UP\"");
    }
}
