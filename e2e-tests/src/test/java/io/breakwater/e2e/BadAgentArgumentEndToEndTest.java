package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A wrong agent argument costs one line naming it; the application starts and runs, unprotected. */
class BadAgentArgumentEndToEndTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis.resetTimout=2s | redis.resetTimout",
        "ocpp.callTimeout=soon | ocpp.callTimeout",
        "config=/no/such/file.properties | /no/such/file.properties",
        "redis.resetTimeout=999999999999999999999h | redis.resetTimeout",
    })
    void theApplicationRunsUninstrumentedAndTheLineNamesTheKey(String arguments, String named) throws Exception {
        try (RedisServer redis = RedisServer.start();
                EmbeddedCsms csms = new EmbeddedCsms(0)) {
            csms.start();
            try (SimulatorJvm simulator = SimulatorJvm.start("bad-argument", arguments, 0,
                    List.of("run", "--csms", "ws://127.0.0.1:" + csms.port() + "/ocpp", "--redis", redis.uri(),
                            "--charge-points", "1", "--connectors", "1", "--meter-interval", "1", "--session-seconds", "3",
                            "--health-port", "0"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> csms.count("MeterValues") >= 2);
                assertThat(simulator.isAlive()).isTrue();
                List<String> lines = simulator.breakwaterLines();
                assertThat(lines).hasSize(1);
                assertThat(lines.get(0)).contains(named).contains("agent disabled");
                assertThat(simulator.jmx().queryNames(new ObjectName("io.breakwater:*"), null)).isEmpty();
            }
        }
    }
}
