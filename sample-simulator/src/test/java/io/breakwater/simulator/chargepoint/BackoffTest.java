package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsExponentiallyUpToTheCapWithFullJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long[] ceilings = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
        for (int round = 0; round < 200; round++) {
            backoff.reset();
            for (long ceiling : ceilings) {
                assertThat(backoff.next().toMillis()).isBetween(50L, ceiling);
            }
        }
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void configEndpointAppendsTheChargePointId() {
        SimulatorConfig config = SimulatorConfig.of(java.net.URI.create("ws://127.0.0.1:9000/ocpp/"),
                java.net.URI.create("redis://127.0.0.1:6379"), 1, 1, "CP", Duration.ofSeconds(1),
                Duration.ofSeconds(1), null);

        assertThat(Fleet.numbered("CP", 7)).isEqualTo("CP-0007");
        assertThat(config.fleet().chargePoints()).extracting(ChargePointSpec::id).containsExactly("CP-0001");
        assertThat(config.endpointFor("CP-0007").toString()).isEqualTo("ws://127.0.0.1:9000/ocpp/CP-0007");
    }
}
