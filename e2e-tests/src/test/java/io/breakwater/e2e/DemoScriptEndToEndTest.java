package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's demo command, run as a user runs it (shortest duration, on free ports): it must end with "demo: OK". */
class DemoScriptEndToEndTest {

    @Test
    void theDemoShowsEveryBreakerOpeningAndClosingAndEndsOk() throws Exception {
        Prerequisites.require("redis-server");
        Prerequisites.require("curl");
        Path root = projectRoot();
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --duration 5           | ''          | --duration must be a whole number of seconds between 60 and 3600
            --duration 99999999999999999999 | '' | --duration must be a whole number of seconds between 60 and 3600
            --charge-points 0      | ''          | --charge-points must be between 1 and 1000
            --colour               | ''          | unknown option '--colour'
            --no-build             | CSMS_PORT=x | CSMS_PORT must be a port number between 1 and 65535
            --no-build             | same ports  | is given twice
            """)
    void aBadArgumentGetsOneLineAndExitCodeTwoBeforeAnythingStarts(String arguments, String environment, String message)
            throws Exception {
        ProcessBuilder demo = new ProcessBuilder();
        demo.command().addAll(List.of("bash", projectRoot().resolve("demo.sh").toString()));
        demo.command().addAll(List.of(arguments.split(" ")));
        demo.redirectErrorStream(true);
        if (environment.equals("same ports")) {
            demo.environment().put("REDIS_PORT", "17000");
            demo.environment().put("CSMS_PORT", "17000");
        } else if (!environment.isEmpty()) {
            String[] variable = environment.split("=", 2);
            demo.environment().put(variable[0], variable[1]);
        }
        Process process = demo.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output.lines()).as(output).hasSize(1).first().asString().startsWith("demo: ").contains(message);
        assertThat(process.exitValue()).isEqualTo(2);
    }

    private static Path projectRoot() {
        return SimulatorJvm.AGENT_JAR.getParent().getParent().getParent();
    }
}
