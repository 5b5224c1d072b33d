package io.breakwater.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.simulator.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "run --bogus",
        "run --charge-points 0",
        "run --charge-points abc",
        "run --connectors 0",
        "run --meter-interval -1",
        "run --meter-interval 86401",
        "run --session-seconds -1",
        "run --health-port 70000",
        "run --heartbeat-override 0",
        "run --csms http://127.0.0.1:9000/ocpp",
        "run --redis ws://127.0.0.1:6379",
        "run --id-prefix a/b",
        "csms --port 70000",
        "csms --heartbeat-interval 0",
        "csms --port 9200 --control-port 9200",
        "csms --control-port 9000",
        "csms --message-log-capacity 0",
        "csms --message-log-capacity -5",
        "csms --message-log-capacity lots",
        "csms --message-log-capacity 100000001",
        "csms --message-log-capacity 9999999999",
        "nonsense",
        "run --csms ws://",
        "run --redis redis://127.0.0.1:99999",
        "run --reconnect-max 0",
        "run --fleet no-such-fleet.json",
        "run --fleet fleet-example.json --charge-points 5",
        "run --fleet fleet-example.json --session-seconds 5",
        ""
    })
    void badArgumentsPrintOneLineAndExit2(String commandLine) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");

        int code = execute(args);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("error: ").doesNotContain("\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void messagesSpeakTheUsersLanguageNotJavas() {
        execute("frobnicate");
        assertThat(err.toString()).contains("unknown command 'frobnicate': use 'run' or 'csms'");
        err.getBuffer().setLength(0);
        execute("run", "--csms", "ws://");
        assertThat(err.toString()).contains("'ws://' is not a valid URL").doesNotContain("Exception");
        err.getBuffer().setLength(0);
        assertThat(execute("csms", "--port", "9200", "--control-port", "9200")).isEqualTo(2);
        assertThat(err.toString()).contains("--port and --control-port must differ: both are 9200")
                .doesNotContain("Address already in use");
    }

    @Test
    void aBadMessageLogCapacityNamesTheOptionAndItsBounds() {
        assertThat(execute("csms", "--message-log-capacity", "0")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith(
                "error: --message-log-capacity must be between 1 and 100000000 (got 0)");
    }

    @Test
    void aFleetFileMistakeNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path fleet = dir.resolve("fleet.json");
        Files.writeString(fleet, "{\"chargePoints\":[{\"id\":\"A\"},{\"id\":\"B\",\"connectors\":0}]}");

        assertThat(execute("run", "--fleet", fleet.toString())).isEqualTo(2);

        assertThat(err.toString().strip()).isEqualTo("error: --fleet " + fleet
                + ": chargePoints[1].connectors must be between 1 and 100 (got 0) (see sample-simulator run --help)");
        err.getBuffer().setLength(0);
        execute("run", "--fleet", "fleet-example.json", "--connectors", "3");
        assertThat(err.toString()).contains("--fleet and --connectors cannot be used together");
    }

    @Test
    void helpWorksForEveryCommand() {
        assertThat(execute("--help")).isZero();
        assertThat(execute("run", "--help")).isZero();
        assertThat(execute("csms", "--help")).isZero();

        assertThat(out.toString()).contains("run", "csms", "--csms", "--redis", "--charge-points", "--connectors",
                "--id-prefix", "--meter-interval", "--session-seconds", "--health-port", "--heartbeat-override",
                "--control-port", "POST /down", "--fleet", "POST /chargepoints/<id>/<Action>",
                "--message-log-capacity", "POST /availability?type=Inoperative|Operative", "GET /health/state");
        assertThat(err.toString()).isEmpty();
    }
}
