package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        BreakwaterCli.Result result = BreakwaterCli.run(concat(new String[] {"attach", SOME_PID, "--prometheus",
            "nosuchhost.invalid:9404"}, exporter));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errorLine()).contains("unknown host 'nosuchhost.invalid'").doesNotContain("loaded earlier");

        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            result = BreakwaterCli.run(concat(new String[] {"attach", SOME_PID, "--prometheus",
                "127.0.0.1:" + busy.getLocalPort()}, exporter));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errorLine()).contains("an exporter loaded earlier keeps its port");
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

    @Test
    void anExporterConfigTheExporterWouldRejectNeverReachesATarget() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "rules:\n  - pattern: 'io.breakwater<(unclosed'\n");
        BreakwaterCli.Result result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9",
                "--exporter-config", broken.toString(), "--exporter-jar", SimulatorJvm.EXPORTER_JAR.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains("broken.yaml is not valid");

        Path text = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9",
                "--exporter-config", text.toString(), "--exporter-jar", SimulatorJvm.EXPORTER_JAR.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains("passwd is not valid: it is not a YAML mapping of exporter settings");

        Path remote = Files.writeString(dir.resolve("remote.yaml"), "hostPort: 127.0.0.1:9999\nrules: []\n");
        result = BreakwaterCli.run("attach", SOME_PID, "--prometheus", "127.0.0.1:9", "--exporter-config", remote.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errorLine()).contains("sets jmxUrl or hostPort");
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
