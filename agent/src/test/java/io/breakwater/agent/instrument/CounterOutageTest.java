package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Counters through an outage (found by a new-user trial: increments replayed while Redis still refused
 * connections were dropped, and the application was later handed values it already had). What the
 * application is told only goes up, never repeats, and Redis ends where the application was told;
 * with nothing in doubt (Redis refusing connections), each increment counts exactly once.
 */
class CounterOutageTest {

    @Test
    void incrementsThroughAFrozenRedisNeverRepeatAValue() throws Exception {
        assertCountedOnce(false);
    }

    @Test
    void incrementsThroughAKilledRedisAreEachCountedOnce() throws Exception {
        assertCountedOnce(true);
    }

    private static void assertCountedOnce(boolean kill) throws Exception {
        AgentInThisJvm.install();
        try (RedisServer redis = RedisServer.startPersistent(); RedisClient client = ShortTimeouts.client(redis)) {
            String key = "counter-outage:" + kill;
            client.set(key, "0");
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(client.incr(key));
            }
            if (kill) {
                redis.kill();
            } else {
                redis.freeze();
            }
            for (int i = 0; i < 13; i++) {
                seen.add(client.incr(key));
            }
            if (kill) {
                redis.restart();
            } else {
                redis.thaw();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try {
                    seen.add(client.incr(key));
                } catch (RuntimeException stillRecovering) {
                    return false;
                }
                return AgentInThisJvm.state("redis").equals("closed")
                        && (Integer) java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                                new javax.management.ObjectName("io.breakwater:type=Fallback,name=redis"), "JournalLength") == 0;
            });
            javax.management.ObjectName fallback = new javax.management.ObjectName("io.breakwater:type=Fallback,name=redis");
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            String journal = "journaled " + server.getAttribute(fallback, "JournaledTotal") + ", replayed "
                    + server.getAttribute(fallback, "ReplayedTotal") + ", failed " + server.getAttribute(fallback, "ReplayFailedTotal")
                    + ", Redis " + redis.command("GET " + key);
            if (kill) {
                // Nothing was ever in doubt (Redis refused every connection): each increment exactly once.
                assertThat(seen).as("what the application was told; " + journal)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, seen.size()).boxed().toList());
            } else {
                // Calls that timed out may have been applied by Redis after all, and are replayed too: a
                // counter may skip a value, but never hands one out twice nor goes back.
                assertThat(seen).as("what the application was told; " + journal).isSortedAccordingTo(Long::compare)
                        .doesNotHaveDuplicates();
            }
            assertThat(redis.command("GET " + key)).as("Redis, read directly: the last value the application was told")
                    .isEqualTo(String.valueOf(seen.get(seen.size() - 1)));
        }
    }
}
