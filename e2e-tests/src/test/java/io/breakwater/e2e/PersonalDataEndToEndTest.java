package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.ReceivedCall;
import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.RedisServer;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Redis key or value, idTag or OCPP payload leaves the agent by default. The demo's scenario
 * (Redis killed and restarted, CSMS down and back) runs with marker values in every charge point
 * id (so in every Redis key and OCPP frame) and every idTag (so in Redis values and payloads);
 * then everything the agent emits is searched for the marker: its log lines, every attribute of
 * every {@code io.breakwater} MBean, the state-change notifications, the exporter's whole
 * {@code /metrics} page and the CLI's {@code status}. The test first checks that the markers did
 * reach Redis and the CSMS, so it cannot pass by not using them.
 */
class PersonalDataEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String MARKER = "PIIMARK";

    @Test
    void nothingTheAgentEmitsContainsAKeyValueIdTagOrPayload(@TempDir Path dir) throws Exception {
        Path fleet = dir.resolve("fleet.json");
        Files.writeString(fleet, """
                {"defaults": {"connectors": 1, "idTags": ["%1$s-TAG-01", "%1$s-TAG-02"],
                              "sessionSeconds": {"min": 2, "max": 4}, "pauseSeconds": 0.5, "meterIntervalSeconds": 1},
                 "chargePoints": [{"idPrefix": "%1$s-CP", "count": 3}]}
                """.formatted(MARKER));
        int exporterPort = FreePort.find();
        List<Notification> notifications = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
                EmbeddedCsms csms = new EmbeddedCsms(0)) {
            csms.start();
            try (SimulatorJvm simulator = SimulatorJvm.start("personal-data",
                    "redis.resetTimeout=1s,ocpp.resetTimeout=1s,ocpp.callTimeout=2s,jmx.registerDelay=100ms", exporterPort,
                    List.of("run", "--csms", "ws://127.0.0.1:" + csms.port() + "/ocpp", "--redis", redis.uri(),
                            "--fleet", fleet.toString(), "--health-port", "0"))) {
                await("MBeans").atMost(PATIENCE).until(() -> simulator.breakerState("redis") != null);
                MBeanServerConnection jmx = simulator.jmx();
                for (ObjectName breaker : jmx.queryNames(new ObjectName("io.breakwater:type=CircuitBreaker,*"), null)) {
                    jmx.addNotificationListener(breaker, (n, handback) -> {
                        synchronized (notifications) {
                            notifications.add(n);
                        }
                    }, null, null);
                }
                await("transactions").atMost(PATIENCE).until(() -> csms.count("StopTransaction") >= 2);

                redis.kill();
                await("redis open").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState("redis")));
                await("answered from memory").atMost(PATIENCE)
                        .until(() -> (Long) simulator.breakerAttribute("redis", "FallbackCallsTotal") > 10);
                redis.restart();
                await("redis closed").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("redis")));

                csms.goDown();
                await("ocpp open").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState("ocpp-csms")));
                await("offline answers").atMost(PATIENCE)
                        .until(() -> (Long) simulator.breakerAttribute("ocpp-csms", "FallbackCallsTotal") > 0);
                csms.comeUp();
                await("ocpp closed").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("ocpp-csms")));
                await("notifications").atMost(PATIENCE).until(() -> {
                    synchronized (notifications) {
                        return notifications.size() >= 6;
                    }
                });

                // The markers were really used: in Redis keys and values, and in the OCPP frames.
                assertThat(redis.command("EXISTS breakwater-sim:cp:" + MARKER + "-CP-0001:connectors")).isEqualTo(":1");
                assertThat(csms.received()).extracting(ReceivedCall::payloadJson).anyMatch(p -> p.contains(MARKER + "-TAG"));

                List<String> emitted = new ArrayList<>(simulator.breakwaterLines());
                assertThat(emitted).isNotEmpty();
                for (ObjectName name : jmx.queryNames(new ObjectName("io.breakwater:*"), null)) {
                    for (MBeanAttributeInfo attribute : jmx.getMBeanInfo(name).getAttributes()) {
                        emitted.add(name + " " + attribute.getName() + "=" + deepString(jmx.getAttribute(name, attribute.getName())));
                    }
                }
                synchronized (notifications) {
                    for (Notification n : notifications) {
                        emitted.add(n.getType() + " " + n.getMessage() + " " + deepString(n.getUserData()));
                    }
                }
                String metrics = SimulatorJvm.httpGet("http://127.0.0.1:" + exporterPort + "/metrics");
                assertThat(metrics).contains("resilience4j_circuitbreaker_state");
                emitted.add(metrics);
                BreakwaterCli.Result status = BreakwaterCli.run("status", String.valueOf(simulator.pid()));
                assertThat(status.exitCode()).as(status.err()).isZero();
                emitted.add(status.out());
                emitted.add(status.err());

                assertThat(emitted).noneMatch(text -> text.contains(MARKER));
            }
        }
    }

    /** An attribute value as text, opening arrays, collections, maps and open-type data. */
    private static String deepString(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                s.append(deepString(Array.get(value, i))).append(' ');
            }
            return s.append(']').toString();
        }
        if (value instanceof CompositeData c) {
            StringBuilder s = new StringBuilder("{");
            for (String key : c.getCompositeType().keySet()) {
                s.append(key).append('=').append(deepString(c.get(key))).append(' ');
            }
            return s.append('}').toString();
        }
        if (value instanceof TabularData t) {
            return deepString(t.values());
        }
        if (value instanceof Collection<?> c) {
            return deepString(c.toArray());
        }
        if (value instanceof Map<?, ?> m) {
            return deepString(m.keySet().toArray()) + deepString(m.values().toArray());
        }
        return String.valueOf(value);
    }
}
