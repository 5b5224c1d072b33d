package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's demo command, run as a user runs it (shortest duration, on free ports): it must end with "demo: OK". */
class DemoScriptEndToEndTest {

    @Test
    void theDemoShowsEveryBreakerOpeningAndClosingAndEndsOk() throws Exception {
        Prerequisites.require("redis-server");
        Prerequisites.require("curl");
        Path root = SimulatorJvm.AGENT_JAR.getParent().getParent().getParent();
        Path log = Path.of(System.getProperty("breakwater.logDir", "target/jvm-logs")).resolve("demo.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder demo = new ProcessBuilder("bash", root.resolve("demo.sh").toString(), "--duration", "60", "--no-build")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = demo.environment();
        env.put("DEMO_WORK_DIR", log.getParent().resolve("demo-work").toString()); // leave the user's .demo/ alone
        for (String port : new String[] {"REDIS_PORT", "CSMS_PORT", "CSMS_CONTROL_PORT", "HEALTH_PORT", "EXPORTER_PORT"}) {
            env.put(port, String.valueOf(FreePort.find()));
        }
        Process process = demo.start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(finished).as("demo finished within 180 s:\n" + output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("seen: breaker redis open", "seen: breaker redis closed",
                        "seen: breaker ocpp-csms open", "seen: breaker ocpp-csms closed",
                        "the simulator ran throughout", "demo: OK");
    }
}
