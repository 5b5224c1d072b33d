package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.FaultProxy;
import io.breakwater.testkit.FaultProxy.Fault;
import io.breakwater.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Network faults between the application and Redis, through a TCP fault proxy: for each fault, how
 * the breaker reacts, what the application sees (nothing but answers: every call in the workload is
 * one the fallback serves), what is lost (nothing: Redis is read directly afterwards), and how long
 * recovery takes once the network heals. The figures are printed for docs/reliability.md; only
 * behaviour is asserted.
 */
class NetworkFaultsTest {
    private static final int KEYS = 10;
    private static RedisServer redis;
    private static FaultProxy proxy;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        redis = RedisServer.start();
        proxy = FaultProxy.start(redis.port());
        client = RedisClient.builder()
                .hostAndPort(new HostAndPort("127.0.0.1", proxy.port()))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000).socketTimeoutMillis(1000).build())
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        proxy.close();
        redis.close();
    }

    /**
     * The client's socket timeout is 1 s, the agent's call timeout 2 s ({@link AgentInThisJvm}). A
     * slow drip of one byte every 450 ms never trips the socket timeout, but makes every reply take
     * longer than the call timeout: those slow calls are what opens the breaker.
     *
     * @param opens whether the fault must open the breaker (a latency well below every timeout must not)
     */
    @ParameterizedTest(name = "{0} {1} ms")
    @CsvSource({"LATENCY, 50, false", "BLACK_HOLE, 0, true", "RESET, 0, true", "SLOW_DRIP, 450, true", "HALF_OPEN, 0, true",
                "TRUNCATE, 0, true"})
    void theApplicationGetsAnswersAndNoWriteIsLost(Fault fault, long delayMillis, boolean opens) throws Exception {
        proxy.set(Fault.NONE);
        awaitHealthy();
        String p = "fault:" + fault + ":";
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            client.set(p + i, "before");
            expected.put(p + i, "before");
        }
        long transitionsBefore = (Long) breaker("TransitionsTotal");

        proxy.set(fault, Duration.ofMillis(delayMillis));
        List<Throwable> seen = new ArrayList<>();
        long slowest = 0;
        int calls = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // The workload: until the breaker has opened (or, for a harmless fault, for a fixed number of rounds).
        for (int round = 0; round < 3 || (opens && !"open".equals(AgentInThisJvm.state("redis"))); round++) {
            assertThat(System.nanoTime()).as("breaker opened within 60 s").isLessThan(deadline);
            for (int i = 0; i < KEYS; i++) {
                long start = System.nanoTime();
                try {
                    if ((i + round) % 2 == 0) {
                        client.set(p + i, "during-" + round);
                        expected.put(p + i, "during-" + round);
                    } else {
                        assertThat(client.get(p + i)).isEqualTo(expected.get(p + i));
                    }
                } catch (RuntimeException e) {
                    seen.add(e);
                }
                calls++;
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
        }
        assertThat(seen).as("exceptions the application saw").isEmpty();
        if (opens) {
            assertThat(AgentInThisJvm.state("redis")).isEqualTo("open");
        } else {
            assertThat((Long) breaker("TransitionsTotal")).as("no state change").isEqualTo(transitionsBefore);
        }

        long healed = System.nanoTime();
        proxy.set(Fault.NONE);
        awaitHealthy();
        await("journal replayed, Redis holds what the application last wrote").atMost(Duration.ofSeconds(30)).until(() -> {
            client.get(p + "probe"); // the application carries on
            return (Integer) fallback("JournalLength") == 0
                    && expected.entrySet().stream().allMatch(e -> e.getValue().equals(redis.command("GET " + e.getKey())));
        });
        long recoveryMillis = (System.nanoTime() - healed) / 1_000_000;
        System.out.printf("fault %-10s %4d ms: %3d calls, slowest %5d ms, breaker %s, exceptions seen 0, writes lost 0, "
                + "recovered in %d ms%n", fault, delayMillis, calls, slowest / 1_000_000, opens ? "opened" : "stayed closed",
                recoveryMillis);
    }

    private static void awaitHealthy() {
        await("breaker closed").atMost(Duration.ofSeconds(30)).until(() -> {
            client.get("probe");
            return "closed".equals(AgentInThisJvm.state("redis"));
        });
    }

    private static Object breaker(String attribute) throws Exception {
        return AgentInThisJvm.attribute("redis", attribute);
    }

    private static Object fallback(String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("io.breakwater:type=Fallback,name=redis"), attribute);
    }
}
