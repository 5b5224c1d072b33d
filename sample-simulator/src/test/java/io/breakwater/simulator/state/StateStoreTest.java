package io.breakwater.simulator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class StateStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void redisDownMeansEmptyAnswersAndCountedFailuresNeverExceptions() throws Exception {
        int closedPort = FreePort.find();
        try (StateStore store = new StateStore(RedisClients.create(URI.create("redis://127.0.0.1:" + closedPort), 2),
                Executors.newFixedThreadPool(2))) {

            assertThat(store.cachedAuthorization("CP", "TAG")).succeedsWithin(WAIT).isEqualTo(Optional.empty());
            assertThat(store.loadMeter("CP")).succeedsWithin(WAIT).isEqualTo(OptionalLong.empty());
            assertThat(store.connectorStatuses("CP")).succeedsWithin(WAIT).isEqualTo(Map.of());
            assertThat(store.saveMeter("CP", 5)).succeedsWithin(WAIT);
            assertThat(store.clearTransaction("CP")).succeedsWithin(WAIT);
            assertThat(store.clearAuthorizations("CP")).succeedsWithin(WAIT).isEqualTo(false);

            assertThat(store.failedCommands()).isEqualTo(6);
            assertThat(store.succeededCommands()).isZero();
        }
    }

    @Test
    void countsCommandsInFlightUntilTheyAreAnswered() throws Exception {
        int closedPort = FreePort.find();
        java.util.concurrent.ExecutorService pool = Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (StateStore store = new StateStore(RedisClients.create(URI.create("redis://127.0.0.1:" + closedPort), 2),
                pool)) {
            var meter = store.saveMeter("CP", 5);
            var status = store.saveConnectorStatus("CP", 1, "Unavailable");
            var other = store.clearTransaction("CP-2");

            assertThat(store.commandsInFlight()).isEqualTo(3);
            release.countDown();

            assertThat(CompletableFuture.allOf(meter, status, other)).succeedsWithin(WAIT);
            assertThat(store.commandsInFlight()).isZero();
            assertThat(store.failedCommands()).isEqualTo(3);
        }
    }

    @Test
    void roundTripsAgainstARealRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
                StateStore store = new StateStore(RedisClients.create(URI.create(redis.uri()), 2),
                        Executors.newFixedThreadPool(2))) {
            store.saveMeter("CP", 1234).get();
            store.saveConnectorStatus("CP", 1, "Charging").get();
            store.saveConnectorStatus("CP", 2, "Available").get();
            store.cacheAuthorization("CP", "TAG", "{\"status\":\"Accepted\"}").get();
            store.saveTransaction("CP", 42).get();

            assertThat(store.loadMeter("CP").get()).hasValue(1234);
            assertThat(store.connectorStatus("CP", 1).get()).hasValue("Charging");
            assertThat(store.connectorStatuses("CP").get()).containsOnly(
                    Map.entry("1", "Charging"), Map.entry("2", "Available"));
            assertThat(store.cachedAuthorization("CP", "TAG").get()).hasValue("{\"status\":\"Accepted\"}");
            assertThat(store.cachedAuthorization("OTHER-CP", "TAG").get()).isEmpty();

            store.clearTransaction("CP").get();
            assertThat(store.clearAuthorizations("CP").get()).isTrue();
            assertThat(store.cachedAuthorization("CP", "TAG").get()).isEmpty();
            assertThat(store.failedCommands()).isZero();
            assertThat(store.succeededCommands()).isEqualTo(13);
        }
    }
}
