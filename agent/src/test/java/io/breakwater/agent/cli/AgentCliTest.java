package io.breakwater.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong command lines: one line on standard error naming the problem, exit 2, nothing attempted on any JVM. */
class AgentCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AgentCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errorLine() {
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(1);
        assertThat(text).startsWith("breakwater: ");
        return text.strip();
    }

    @Test
    void noArgumentsPrintsTheUsageAndFails() {
        assertThat(run()).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("list", "attach <pid>", "status <pid>", "detach <pid>");
    }

    @Test
    void helpSucceeds() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--prometheus");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "frobnicate                                       | unknown command 'frobnicate'",
        "attach                                           | attach needs a pid",
        "attach abc                                       | 'abc' is not a process id",
        "attach -5                                        | '-5' is not a process id",
        "attach 12345 redis.resetTimout=1s                | redis.resetTimout",
        "attach 12345 a=1 b=2                             | joined with commas",
        "attach 12345 --frobnicate                        | unknown option --frobnicate",
        "attach 12345 --prometheus                        | --prometheus needs a value",
        "attach 12345 --prometheus 127.0.0.1:99999        | --prometheus wants HOST:PORT",
        "attach 12345 --exporter-jar /x.jar               | go with --prometheus",
        "attach 12345 --prometheus 9404 --exporter-jar /no/such.jar | /no/such.jar does not exist",
        "status                                           | status takes one pid",
        "status 1 2                                       | status takes one pid",
        "detach x                                         | 'x' is not a process id",
        "list extra                                       | list takes no arguments",
    })
    void aWrongCommandLineIsOneLineAndExitTwo(String commandLine, String expected) {
        assertThat(run(commandLine.split(" "))).isEqualTo(2);
        assertThat(errorLine()).contains(expected);
    }

    @Test
    void thisCommandsOwnPidIsRefused() {
        assertThat(run("status", Long.toString(ProcessHandle.current().pid()))).isEqualTo(2);
        assertThat(errorLine()).contains("own process");
    }

    @Test
    void aPidWithNoProcessIsOneLineAndExitOne() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        assertThat(run("status", Long.toString(finished.pid()))).isEqualTo(1);
        assertThat(errorLine()).contains("no process with pid " + finished.pid());
    }

    @Test
    void aProcessThatIsNoJvmIsOneLineAndExitOneAndIsLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(run("attach", Long.toString(sleep.pid()))).isEqualTo(1);
            assertThat(errorLine()).contains("process " + sleep.pid() + " (sleep) is not a JVM the Attach API can reach");
            assertThat(sleep.isAlive()).isTrue();
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void aRelativeConfigPathReachesTheTargetAsTheAbsolutePathThisCommandRead() {
        String absolute = java.nio.file.Path.of("conf/breakwater.properties").toAbsolutePath().toString();
        assertThat(AttachCommand.withAbsoluteConfigPath("redis.callTimeout=2s, config=conf/breakwater.properties"))
                .isEqualTo("redis.callTimeout=2s,config=" + absolute);
        assertThat(AttachCommand.withAbsoluteConfigPath("config=/etc/b.properties")).isEqualTo("config=/etc/b.properties");
        assertThat(AttachCommand.withAbsoluteConfigPath("")).isEmpty();
    }
}
