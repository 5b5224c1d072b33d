package io.breakwater.simulator.chargepoint;

import static io.breakwater.simulator.chargepoint.SimulatorHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.TransactionCheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions a charge point runs on its own: pauses during a charge, and charging while the CSMS is away. */
class SessionsTest {

    private final SimulatorHarness harness = new SimulatorHarness();

    @AfterEach
    void tearDown() {
        harness.assertStatusSequencesAreLegal();
        harness.close();
    }

    @Test
    void aSessionMayPauseOnceOnTheEvOrTheEvseSide() {
        harness.run(new Fleet(List.of(new ChargePointSpec("S-1", 2, List.of("TAG-S"),
                DurationRange.exactly(Duration.ofSeconds(2)), DurationRange.exactly(Duration.ofMillis(200)),
                Duration.ofSeconds(1), 1.0, true))));

        await().atMost(WAIT).until(() -> harness.statuses("S-1", 1).containsAll(List.of("Finishing", "Available"))
                && harness.statuses("S-1", 2).containsAll(List.of("Finishing", "Available")));
        for (int connector = 1; connector <= 2; connector++) {
            List<String> statuses = harness.statuses("S-1", connector);
            String pause = statuses.contains("SuspendedEV") ? "SuspendedEV" : "SuspendedEVSE";
            assertThat(statuses).as("connector %d", connector)
                    .containsSubsequence("Charging", pause, "Charging", "Finishing");
        }
        TransactionCheck check = harness.csms.checkTransactions();
        assertThat(check.isClean()).as(check.toString()).isTrue();
    }

    @Test
    void whileTheCsmsIsAwayAnIdTagTheCacheAcceptsMayChargeUnlessLocalAuthorizeOfflineIsOff() throws Exception {
        Simulator simulator = harness.run(new Fleet(List.of(new ChargePointSpec("S-2", 1, List.of("TAG-X"),
                DurationRange.exactly(Duration.ofMillis(500)), DurationRange.exactly(Duration.ofMillis(300)),
                Duration.ofSeconds(1), 0, true))));
        SimulatorStats stats = simulator.stats();
        await().atMost(WAIT).until(() -> harness.csms.count("StopTransaction") >= 1);

        harness.csms.goDown();
        long startsFailed = stats.callsFailed("StartTransaction");
        // Authorize fails (no connection), the cache says Accepted: StartTransaction is tried.
        await().atMost(WAIT).until(() -> stats.callsFailed("StartTransaction") >= startsFailed + 2);

        harness.csms.comeUp();
        await().atMost(WAIT).until(() -> simulator.chargePoint("S-2").isBooted());
        assertThat(harness.callStatus("S-2", "ChangeConfiguration",
                "{\"key\":\"LocalAuthorizeOffline\",\"value\":\"false\"}")).isEqualTo("Accepted");
        harness.csms.goDown();
        long authorizeFailed = stats.callsFailed("Authorize");
        await().atMost(WAIT).until(() -> stats.callsFailed("Authorize") >= authorizeFailed + 3);
        long startsNow = stats.callsFailed("StartTransaction");
        await().atMost(WAIT).until(() -> stats.callsFailed("Authorize") >= authorizeFailed + 6);
        assertThat(stats.callsFailed("StartTransaction")).as("no local authorization").isEqualTo(startsNow);

        harness.csms.comeUp();
        long stopped = harness.csms.count("StopTransaction");
        await().atMost(WAIT).until(() -> harness.csms.count("StopTransaction") > stopped);
        TransactionCheck check = harness.csms.checkTransactions();
        assertThat(check.isClean()).as(check.toString()).isTrue();
    }
}
