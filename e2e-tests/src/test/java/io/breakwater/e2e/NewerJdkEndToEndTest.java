package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.tools.attach.VirtualMachine;
import io.breakwater.testkit.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A simulator on the second JDK installed beside Java 17 (Temurin 25), attached from the Java 17
 * CLI; and the warning JDK 21+ prints for an agent loaded into a running JVM, which
 * {@code -XX:+EnableDynamicAgentLoading} turns off (and no other warning comes from the agent). Missing JDK: skipped locally, failed under CI=true.
 */
class NewerJdkEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String WARNING = "WARNING: A Java agent has been loaded dynamically";
    private static Path java;

    @BeforeAll
    static void findTheOtherJdk() {
        java = Path.of(System.getProperty("breakwater.otherJdk"), "bin", "java");
        if (!Files.isExecutable(java)) {
            String message = java + " is missing (set -Dbreakwater.otherJdk=<JDK 21+ home>)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + "; under CI=true a missing prerequisite is a failure");
            }
            Assumptions.abort(message);
        }
    }

    @Test
    void theCliOnJava17AttachesProtectsAndDetachesATargetOnTheNewerJdk() throws Exception {
        try (SimulatorRig rig = SimulatorRig.start("newer-jdk", java, List.of(), null, 1, 0)) {
            SimulatorJvm simulator = rig.simulator;
            String pid = rig.pid();
            await("simulator charging").atMost(PATIENCE).until(() -> rig.csms.count("MeterValues") >= 1);
            assertThat(specificationVersion(pid)).isGreaterThanOrEqualTo(21);

            BreakwaterCli.Result attach = BreakwaterCli.run("attach", pid);
            assertThat(attach.exitCode()).as(attach.err()).isZero();
            await("calls counted").atMost(PATIENCE).until(() -> (Long) simulator.breakerAttribute("redis", "TotalCalls") > 0);
            BreakwaterCli.Result status = BreakwaterCli.run("status", pid);
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("redis").contains("ocpp-csms");
            assertThat(simulator.output()).contains(WARNING);

            BreakwaterCli.Result detach = BreakwaterCli.run("detach", pid);
            assertThat(detach.exitCode()).as(detach.err()).isZero();
            assertThat(simulator.jmx().queryNames(new ObjectName("io.breakwater:*"), null)).isEmpty();
            long meterValues = rig.csms.count("MeterValues");
            await("still charging").atMost(PATIENCE).until(() -> rig.csms.count("MeterValues") > meterValues);
        }
    }

    @Test
    void enableDynamicAgentLoadingSilencesTheWarning() {
        try (SimulatorJvm simulator = SimulatorJvm.start("newer-jdk-quiet", java, List.of("-XX:+EnableDynamicAgentLoading"), null, 0,
                SimulatorJvm.runArguments(FreePort.find(), "redis://127.0.0.1:" + FreePort.find(), 1, 0))) {
            String pid = String.valueOf(simulator.pid());
            await("JVM listed").atMost(PATIENCE).until(() -> BreakwaterCli.run("list").out().contains(pid + " "));
            BreakwaterCli.Result attach = BreakwaterCli.run("attach", pid);
            assertThat(attach.exitCode()).as(attach.err()).isZero();
            assertThat(simulator.breakwaterLines()).anyMatch(l -> l.contains("protecting"));
            assertThat(simulator.output()).doesNotContain(WARNING);
            // JDK 24+ warns about sun.misc.Unsafe users; the agent must not make the host print that.
            assertThat(simulator.output()).doesNotContain("sun.misc.Unsafe");
        }
    }

    private static int specificationVersion(String pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            return Integer.parseInt(vm.getSystemProperties().getProperty("java.specification.version"));
        } finally {
            vm.detach();
        }
    }
}
