package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the agent's own machinery fails, the application does not notice; the agent says so once. */
class AgentOwnFailuresEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void anMBeanServerThatRefusesTheMBeansCostsOneLineAndNothingElse() throws Exception {
        try (RedisServer redis = RedisServer.start();
                EmbeddedCsms csms = new EmbeddedCsms(0)) {
            csms.start();
            List<String> command = new ArrayList<>(List.of(SimulatorJvm.JAVA.toString(), "-Xmx256m",
                    "-Djavax.management.builder.initial=" + RefusingMBeanServerBuilder.class.getName(),
                    "-javaagent:" + SimulatorJvm.AGENT_JAR + "=jmx.registerDelay=100ms",
                    "-cp", SimulatorJvm.SIMULATOR_JAR + java.io.File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath(),
                    "io.breakwater.simulator.Main"));
            command.addAll(SimulatorJvm.runArguments(csms.port(), redis.uri(), 2, 0));
            try (SimulatorJvm simulator = SimulatorJvm.launch("refusing-mbean-server", command)) {
                await("the agent tried to register its MBeans").atMost(PATIENCE)
                        .until(() -> simulator.breakwaterLines().stream().anyMatch(l -> l.contains("refused")));
                long meterValues = csms.count("MeterValues");
                await("the simulator charges on").atMost(PATIENCE).until(() -> csms.count("MeterValues") >= meterValues + 4);
                assertThat(simulator.isAlive()).isTrue();
                List<String> lines = simulator.breakwaterLines();
                assertThat(lines).hasSize(2);
                assertThat(lines.get(0)).contains("protecting");
                assertThat(lines.get(1)).contains("WARN the MBeanServer refused 5 of 5 MBeans").contains("refused by policy")
                        .contains("the breakers work");
            }
        }
    }
}
