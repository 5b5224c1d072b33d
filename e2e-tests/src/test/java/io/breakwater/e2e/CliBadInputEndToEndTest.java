package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.FreePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CLI jar run as a user runs it, given a pid or file it cannot use: one line naming the problem,
 * exit 1 (the target cannot be acted on) or 2 (the command line must change), and nothing harmed.
 */
class CliBadInputEndToEndTest {
    private static final String SOME_PID = "4194303"; // syntactically fine; these checks come before any attach
    @TempDir
    Path dir;

    @Test
    void aPidWithNoProcess() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        BreakwaterCli.Result result = BreakwaterCli.run("attach", String.valueOf(finished.pid()));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errorLine()).isEqualTo("breakwater: no process with pid " + finished.pid() + " (see: list)");
    }

    @Test
    void aProcessThatIsNotAJvmIsReportedAndLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            BreakwaterCli.Result result = BreakwaterCli.run("status", String.valueOf(sleep.pid()));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errorLine()).contains("process " + sleep.pid() + " (sleep) is not a JVM the Attach API can reach");
            assertThat(sleep.isAlive()).isTrue();
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void aJvmOfAnotherUser() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run the CLI as another user");
        // This test JVM runs as root; the CLI runs as nobody, from a copy of the jar nobody can read.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(SimulatorJvm.AGENT_JAR, dir.resolve("breakwater-agent.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        BreakwaterCli.Result result = BreakwaterCli.runAs(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"),
                jar, "status", String.valueOf(ProcessHandle.current().pid()));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errorLine()).contains("belongs to user root").contains("run this command as root");
    }

    @Test
    void aPrometheusAddressThatCannotBeServedSaysWhy() throws IOException {
        String[] exporter = {"--exporter-jar", SimulatorJvm.EXPORTER_JAR.toString(),
            "--exporter-config", SimulatorJvm.EXPORTER_CONFIG.toString()};
        // The port is tried once the target is known to have no exporter; the target here is this test JVM.
        String self = String.valueOf(ProcessHandle.current().pid());
        BreakwaterCli.Result result = BreakwaterCli.run(concat(new String[] {"attach", self, "--prometheus",
            "nosuchhost.invalid:9404"}, exporter));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errorLine()).contains("unknown host 'nosuchhost.invalid'").doesNotContain("loaded earlier");

        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            result = BreakwaterCli.run(concat(new String[] {"attach", self, "--prometheus",
                "127.0.0.1:" + busy.getLocalPort()}, exporter));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errorLine()).endsWith("(Address already in use): choose another port with --prometheus");
        }
    }

    @Test
    void aSecondExporterIsRefusedForAJvmStartedWithTheExporterAsJavaagent() throws IOException {
        int exporterPort = FreePort.find();
        // No Breakwater, no Redis, no CSMS: only the exporter, as a JVM monitored before Breakwater came.
        try (SimulatorJvm monitored = SimulatorJvm.start("exporter-only", null, exporterPort,
                SimulatorJvm.runArguments(FreePort.find(), "redis://127.0.0.1:" + FreePort.find(), 1, 0))) {
            await("the exporter serving").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporterPort)) {
                    return true;
                }
            });
            String pid = String.valueOf(monitored.pid());
            BreakwaterCli.Result result = BreakwaterCli.run("attach", pid, "--prometheus", String.valueOf(FreePort.find()));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errorLine()).startsWith("breakwater: JVM " + pid + " already runs the Prometheus exporter (from "
                    + "-javaagent:" + SimulatorJvm.EXPORTER_JAR).endsWith("attach without --prometheus");
            assertThat(monitored.isAlive()).isTrue();

            BreakwaterCli.Result attach = BreakwaterCli.run("attach", pid);
            assertThat(attach.exitCode()).as(attach.err()).isZero();
            assertThat(monitored.isAlive()).isTrue();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void aMissingExporterConfig() {
        BreakwaterCli.Result result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9",
                "--exporter-config", dir.resolve("nope.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains("nope.yaml does not exist");

        result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9", "--exporter-config", dir.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains("is a directory, not a file");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            broken.yaml | "rules:\\n  - pattern: 'io.breakwater<(unclosed'\\n" | broken.yaml is not valid
            passwd      | "root:x:0:0:root:/root:/bin/bash\\n"                 | passwd is not valid: it is not a YAML mapping of exporter settings
            empty.yaml  | ""                                                   | empty.yaml is empty; it needs at least 'rules:'
            blank.yaml  | "\\n\\n"                                               | blank.yaml is empty; it needs at least 'rules:'
            notes.yaml  | "# only a comment\\n---\\n"                            | notes.yaml is empty; it needs at least 'rules:'
            wrong.yaml  | "lowercaseOutputName: maybe\\nrules: []\\n"            | wrong.yaml is not valid: a setting has a value of the wrong type (String where Boolean belongs)
            remote.yaml | "hostPort: 127.0.0.1:9999\\nrules: []\\n"              | sets jmxUrl or hostPort
            """)
    void anExporterConfigTheExporterWouldRejectNeverReachesATarget(String name, String content, String message)
            throws IOException {
        Path config = Files.writeString(dir.resolve(name), content.replace("\\n", "\n"));
        BreakwaterCli.Result result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9",
                "--exporter-config", config.toString(), "--exporter-jar", SimulatorJvm.EXPORTER_JAR.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains(message);
    }

    @Test
    void anUnbracketedIpv6AddressIsRefusedBeforeItReachesTheExporter() {
        // The exporter's own parser takes IPv6 only in brackets and exits its JVM otherwise (re-trial finding).
        BreakwaterCli.Result result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "::1:9404");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).isEqualTo(
                "breakwater: --prometheus: an IPv6 address goes in brackets, e.g. [::1]:9404; got '::1:9404'");
    }

    @Test
    void anExporterThatWouldNotStartIsRehearsedHereAndNeverLoadedIntoTheTarget() throws IOException {
        // Its rules parse; its httpServer section does not (basic authentication without a password), which the
        // exporter finds only when it starts its HTTP server, and then exits its JVM. The target here is this test JVM.
        Path config = Files.writeString(dir.resolve("auth.yaml"),
                "httpServer:\n  authentication:\n    basic:\n      username: x\nrules:\n- pattern: '.*'\n");
        String self = String.valueOf(ProcessHandle.current().pid());
        BreakwaterCli.Result result = BreakwaterCli.run("attach", self, "--prometheus", String.valueOf(FreePort.find()),
                "--exporter-config", config.toString(), "--exporter-jar", SimulatorJvm.EXPORTER_JAR.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).startsWith("breakwater: the exporter would not start with " + config)
                .endsWith("/httpServer/authentication/basic/password is a required string");
        assertThat(System.getProperty("breakwater.agent")).as("Breakwater not loaded either").isNull();
    }

    @Test
    void aMissingExporterJar() {
        BreakwaterCli.Result result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9",
                "--exporter-jar", dir.resolve("missing.jar").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains("missing.jar does not exist");
    }

    @Test
    void aWrongCommand() {
        BreakwaterCli.Result result = BreakwaterCli.run("atach", SOME_PID);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).isEqualTo("breakwater: unknown command 'atach' (try: help)");
    }
}
