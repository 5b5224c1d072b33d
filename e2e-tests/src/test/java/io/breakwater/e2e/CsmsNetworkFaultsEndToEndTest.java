package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.FaultProxy;
import io.breakwater.testkit.FaultProxy.Fault;
import io.breakwater.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Network faults between the charge points and the CSMS, through the TCP fault proxy: the simulator
 * in its own JVM with the agent, the embedded CSMS behind the proxy. For each fault: the breaker's
 * reaction, the simulator keeps charging, and after the network heals every queued transaction
 * message is delivered (none dropped or given up) and the CSMS's log has no duplicate or
 * out-of-order transaction message. Recovery times are printed for docs/reliability.md.
 */
class CsmsNetworkFaultsEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String BREAKER = "ocpp-csms";
    private static final String QUEUE = "io.breakwater:type=OfflineQueue,name=" + BREAKER;
    private static RedisServer redis;
    private static EmbeddedCsms csms;
    private static FaultProxy proxy;
    private static SimulatorJvm simulator;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        csms = new EmbeddedCsms(0);
        csms.start();
        proxy = FaultProxy.start(csms.port());
        simulator = SimulatorJvm.start("csms-network-faults",
                "ocpp.callTimeout=3s,ocpp.resetTimeout=2s,ocpp.offline.transactionMessageRetryInterval=1s,jmx.registerDelay=200ms", 0,
                List.of("run", "--csms", "ws://127.0.0.1:" + proxy.port() + "/ocpp", "--redis", redis.uri(),
                        "--charge-points", "5", "--connectors", "1", "--meter-interval", "1", "--session-seconds", "4",
                        "--reconnect-max", "2", "--health-port", "0"));
        await("charging").atMost(PATIENCE).until(() -> csms.count("StopTransaction") >= 5);
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (csms != null) {
            csms.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** @param opens whether the fault must open the breaker (a latency well below the call timeout must not) */
    @ParameterizedTest(name = "{0} {1} ms")
    @CsvSource({"LATENCY, 100, false", "BLACK_HOLE, 0, true", "RESET, 0, true", "HALF_OPEN, 0, true", "SLOW_DRIP, 400, true"})
    void theFleetChargesOnAndNothingIsDuplicatedOrLost(Fault fault, long delayMillis, boolean opens) throws Exception {
        proxy.set(Fault.NONE);
        await("breaker closed").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState(BREAKER)));
        long transitions = (Long) simulator.breakerAttribute(BREAKER, "TransitionsTotal");
        long stops = csms.count("StopTransaction");

        proxy.set(fault, Duration.ofMillis(delayMillis));
        if (opens) {
            await(fault + " opens the breaker").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState(BREAKER)));
        } else {
            await("transactions go on through " + fault).atMost(PATIENCE).until(() -> csms.count("StopTransaction") >= stops + 5);
            assertThat((Long) simulator.breakerAttribute(BREAKER, "TransitionsTotal")).isEqualTo(transitions);
        }
        assertThat(simulator.isAlive()).isTrue();

        long healed = System.nanoTime();
        proxy.set(Fault.NONE);
        await("breaker closed, queues drained").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState(BREAKER))
                && ((Integer) queue("Queued")) == 0);
        long recoveryMillis = (System.nanoTime() - healed) / 1_000_000;
        long afterHealing = csms.count("StopTransaction");
        await("transactions reach the CSMS again").atMost(PATIENCE).until(() -> csms.count("StopTransaction") >= afterHealing + 3);

        assertThat((Long) queue("DroppedTotal")).as("queued messages dropped").isZero();
        assertThat((Long) queue("FailedTotal")).as("queued messages given up").isZero();
        assertThat(csms.checkTransactions().duplicateStarts()).as("duplicate StartTransaction").isEmpty();
        assertThat(csms.checkTransactions().duplicateStops()).as("duplicate StopTransaction").isEmpty();
        assertThat(csms.checkTransactions().outOfOrder()).as("out of order").isEmpty();
        assertThat(csms.checkTransactions().wrongTransaction()).as("wrong transaction id").isEmpty();
        System.out.printf("csms fault %-10s %4d ms: breaker %s, simulator alive, queue delivered %d in all, dropped 0, "
                + "given up 0, no duplicate or out-of-order transaction message; closed and drained %d ms after healing%n",
                fault, delayMillis, opens ? "opened" : "stayed closed", (Long) queue("DeliveredTotal"), recoveryMillis);
    }

    private static Object queue(String attribute) throws Exception {
        return simulator.jmx().getAttribute(new ObjectName(QUEUE), attribute);
    }
}
