package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.CallRecord;
import io.breakwater.simulator.csms.TransactionCheck;
import io.breakwater.simulator.ocpp.WebSocketClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A few hundred charge points in this JVM: all boot, all charge, one CALL outstanding each, and the threads do not
 * grow with the fleet. The simulator adds at most
 * {@code SCHEDULER_THREADS (2-4) + REDIS_THREADS (4) + WebSocketClients.EXECUTOR_THREADS (2-4) + 1} (the shared
 * HttpClient's selector) threads, plus {@link #JDK_HELPERS} the JDK starts on first use, whatever the number of charge
 * points (Java-WebSocket's client needed two per connection).
 */
class ScaleTest {

    private static final int CHARGE_POINTS = 300;
    /** The Jedis pool's evictor and CompletableFuture's delayer (orTimeout), started lazily by the libraries. */
    private static final int JDK_HELPERS = 2;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private SimulatorHarness harness;
    private Set<String> threadsBefore;

    @BeforeEach
    void setUp() {
        harness = new SimulatorHarness();
        threadsBefore = threadNames();
        Fleet fleet = Fleet.uniform("S", CHARGE_POINTS, 1, Duration.ofSeconds(1), Duration.ofSeconds(2),
                new DurationRange(Duration.ofMillis(200), Duration.ofMillis(600)));
        harness.run(fleet);
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aFleetOfHundredsBootsChargesAndKeepsTheThreadsBounded() {
        Simulator simulator = harness.simulator;
        await().atMost(WAIT).until(() -> simulator.stats().bootedChargePoints() == CHARGE_POINTS);
        assertThat(harness.csms.connectedChargePoints()).isEqualTo(CHARGE_POINTS);

        // Transactions flow on every charge point: each one started and stopped at least one.
        await().atMost(WAIT).until(() -> chargePointsWithAStoppedTransaction() == CHARGE_POINTS);

        Set<String> added = threadNames();
        added.removeAll(threadsBefore);
        int bound = Simulator.SCHEDULER_THREADS + Simulator.REDIS_THREADS + WebSocketClients.EXECUTOR_THREADS + 1
                + JDK_HELPERS;
        assertThat(added).as("threads the simulator added for %d charge points", CHARGE_POINTS).hasSizeLessThanOrEqualTo(bound);

        assertThat(harness.csms.maxOutstandingCalls()).hasSize(CHARGE_POINTS).allSatisfy((id, max) ->
                assertThat(max).as("CALLs %s had outstanding at once", id).isEqualTo(1));
        TransactionCheck check = harness.csms.checkTransactions();
        assertThat(check.isClean()).as(check.toString()).isTrue();
        assertThat(simulator.stats().callsFailed()).isZero();
    }

    private long chargePointsWithAStoppedTransaction() {
        Map<String, List<CallRecord>> log = harness.csms.messagesByChargePoint();
        return log.values().stream().filter(messages -> messages.stream()
                .anyMatch(m -> m.type() == CallRecord.Type.CALL && m.action().equals("StopTransaction"))).count();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(thread -> thread.getName() + "#" + thread.getId()).collect(Collectors.toCollection(TreeSet::new));
    }
}
