package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Real Jedis against a real redis-server, with the agent attached to this JVM. */
class JedisProtectionTest {
    private static RedisServer redis;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        redis = RedisServer.start();
        client = ShortTimeouts.client(redis);
    }

    @AfterAll
    static void stop() {
        client.close();
        redis.close();
    }

    @BeforeEach
    void healthy() {
        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                client.get("probe");
            } catch (RuntimeException ignored) {
                // still recovering
            }
            return AgentInThisJvm.state("redis").equals("closed");
        });
    }

    @Test
    void readsAreServedFromMemoryAndWritesKeptWhileRedisIsDown() throws Exception {
        client.set("cp:1:meter", "1200");
        client.hset("cp:1:connectors", "1", "Charging");
        assertThat(client.get("cp:1:meter")).isEqualTo("1200");

        redis.kill();
        for (int i = 0; i < 6; i++) {
            assertThat(client.get("cp:1:meter")).isEqualTo("1200"); // each failure answered from memory
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("redis").equals("open"));

        assertThat(client.set("cp:1:meter", "1300")).isEqualTo("OK");
        assertThat(client.get("cp:1:meter")).isEqualTo("1300");
        assertThat(client.hset("cp:1:connectors", "2", "Available")).isEqualTo(1L);
        assertThat(client.hgetAll("cp:1:connectors")).isEqualTo(Map.of("1", "Charging", "2", "Available"));
        assertThat(client.get("never-written")).isNull();
        assertThat(client.del("cp:1:meter")).isEqualTo(1L);
        assertThat(client.exists("cp:1:meter")).isFalse(); // boolean overload: the builder decides the type
        // A counter memory does not hold: its value in Redis is unknown, so it is not made up (counting
        // from 0 could hand out a number the application already had); the call fails fast instead.
        assertThatThrownBy(() -> client.incr("counter")).isInstanceOf(JedisConnectionException.class)
                .hasMessageContaining("a counter memory does not hold");
        assertThat(client.set("counter", "0")).isEqualTo("OK");
        assertThat(client.incr("counter")).isEqualTo(1L);
        assertThat(client.setex("ttl", 60, "v")).isEqualTo("OK");
        assertThat(client.ttl("ttl")).isBetween(59L, 60L);

        assertThat((Long) AgentInThisJvm.attribute("redis", "FallbackCallsTotal")).isGreaterThanOrEqualTo(15);
        assertThat((Long) AgentInThisJvm.attribute("redis", "NotPermittedCallsTotal")).isPositive();
    }

    @Test
    void writesMadeDuringTheOutageReachRedisInOrderOnceItIsBack() throws Exception {
        client.set("replay:overwritten", "before");
        client.set("replay:counter", "10"); // a counter memory holds (one it never saw is not answered from memory)
        redis.kill();
        for (int i = 0; i < 5; i++) {
            client.set("replay:overwritten", "during-" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("redis").equals("open"));
        client.set("replay:overwritten", "last");
        assertThat(client.incr("replay:counter")).isEqualTo(11L);
        assertThat(client.incrBy("replay:counter", 5)).isEqualTo(16L);
        client.hset("replay:hash", Map.of("a", "1", "b", "2"));
        client.hdel("replay:hash", "a");
        client.setex("replay:ttl", 300, "expiring");
        client.del("replay:counter-gone");
        assertThat((Integer) fallback("JournalLength")).isGreaterThanOrEqualTo(6);
        long replayedBefore = (Long) fallback("ReplayedTotal");
        redis.restart(); // an empty Redis (no persistence); give it state of its own before replay starts
        redis.command("SET replay:counter-gone x");
        redis.command("SET replay:counter 40");

        // The application keeps working; its calls drive the replay. Memory answers until the journal is empty.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            assertThat(client.get("replay:overwritten")).isEqualTo("last");
            return AgentInThisJvm.state("redis").equals("closed") && redis.command("GET replay:overwritten").equals("last");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            client.get("any");
            return redis.command("EXISTS replay:counter-gone").equals(":0");
        });
        assertThat(redis.command("GET replay:counter")).isEqualTo("46"); // deltas on top of what Redis had
        assertThat(redis.command("HGET replay:hash b")).isEqualTo("2");
        assertThat(redis.command("HEXISTS replay:hash a")).isEqualTo(":0");
        assertThat(Long.parseLong(redis.command("TTL replay:ttl").substring(1))).isBetween(1L, 300L);
        assertThat(client.get("replay:overwritten")).isEqualTo("last");
        assertThat((Integer) fallback("JournalLength")).isZero();
        assertThat((Long) fallback("ReplayedTotal")).isGreaterThanOrEqualTo(replayedBefore + 6);
    }

    private static Object fallback(String attribute) throws Exception {
        return java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new javax.management.ObjectName("io.breakwater:type=Fallback,name=redis"), attribute);
    }

    @Test
    void aHangingRedisBecomesSlowFailuresThenTheBreakerAnswersWithoutWaiting() throws Exception {
        client.set("hang:key", "kept");
        long rejectedBefore = (Long) AgentInThisJvm.attribute("redis", "NotPermittedCallsTotal");
        redis.freeze(); // SIGSTOP: connections stay open, nothing answers
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(client.get("hang:key")).isEqualTo("kept"); // each waits for the socket timeout, then memory answers
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("redis").equals("open"));
            for (int i = 0; i < 100; i++) {
                assertThat(client.get("hang:key")).isEqualTo("kept");
            }
            // Those 100 calls never waited on Redis: the breaker refused them and memory answered.
            assertThat((Long) AgentInThisJvm.attribute("redis", "NotPermittedCallsTotal")).isGreaterThanOrEqualTo(rejectedBefore + 100);
        } finally {
            redis.thaw();
        }
    }

    @Test
    void binaryApiGetsBinaryAnswers() {
        byte[] key = "bin:key".getBytes(StandardCharsets.UTF_8);
        client.set(key, new byte[] {1, 2, 3});
        assertThat(client.get(key)).containsExactly(1, 2, 3);
        redis.kill();
        for (int i = 0; i < 6; i++) {
            assertThat(client.get(key)).containsExactly(1, 2, 3);
        }
        byte[] hashKey = "bin:hash".getBytes(StandardCharsets.UTF_8);
        assertThat(client.hset(hashKey, Map.of("f".getBytes(StandardCharsets.UTF_8), new byte[] {9}))).isEqualTo(1L);
        assertThat(client.hget(hashKey, "f".getBytes(StandardCharsets.UTF_8))).containsExactly(9);
        Map<byte[], byte[]> all = client.hgetAll(hashKey);
        assertThat(all).hasSize(1);
        assertThat(all.get("f".getBytes(StandardCharsets.UTF_8))).containsExactly(9); // Jedis' byte-array map, looked up by content
    }

    @Test
    void unsupportedCommandsFailFastWithTheApplicationsOwnExceptionWhileOpen() {
        redis.kill();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> client.lpush("list", "x")).isInstanceOf(JedisConnectionException.class);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("redis").equals("open"));
        assertThatThrownBy(() -> client.lpush("list", "x"))
                .isExactlyInstanceOf(JedisConnectionException.class)
                .hasMessageContaining("circuit breaker 'redis' is OPEN")
                .hasMessageContaining("LPUSH")
                .hasMessageNotContaining("list");
    }

    @Test
    void pipelinesAndTransactionsFailFastWhileOpenButPingIsUntouched() throws Exception {
        AgentInThisJvm.invoke("redis", "forceOpen");
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertThat(jedis.ping()).isEqualTo("PONG"); // the connection's own probe still reaches Redis
            assertThatThrownBy(() -> {
                        var pipeline = jedis.pipelined();
                        pipeline.set("p", "1");
                        pipeline.sync();
                    })
                    .isInstanceOf(JedisConnectionException.class)
                    .hasMessageContaining("pipelined and transaction commands");
        } finally {
            AgentInThisJvm.invoke("redis", "reset");
        }
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            var pipeline = jedis.pipelined();
            pipeline.set("p", "2");
            pipeline.sync();
            assertThat(redis.command("GET p")).isEqualTo("2"); // closed again: pipelines work as before
        }
    }

    @Test
    void dataErrorsAreNotFailures() throws Exception {
        client.hset("a-hash", "f", "v");
        long failedBefore = (Long) AgentInThisJvm.attribute("redis", "FailedCallsTotal");
        for (int i = 0; i < 7; i++) {
            assertThatThrownBy(() -> client.get("a-hash")).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
        }
        assertThat(AgentInThisJvm.state("redis")).isEqualTo("closed");
        assertThat((Long) AgentInThisJvm.attribute("redis", "FailedCallsTotal")).isEqualTo(failedBefore);
        assertThat((Long) AgentInThisJvm.attribute("redis", "IgnoredCallsTotal")).isGreaterThanOrEqualTo(7);
    }

    @Test
    void theBreakerClosesAgainOnceRedisIsBack() {
        redis.kill();
        for (int i = 0; i < 5; i++) {
            client.get("k");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("redis").equals("open"));
        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            client.get("k");
            return AgentInThisJvm.state("redis").equals("closed");
        });
        client.set("after", "recovery");
        assertThat(redis.command("GET after")).isEqualTo("recovery");
    }

    @Test
    void classicJedisFromAPoolIsProtectedToo() {
        try (JedisPool pool = new JedisPool("127.0.0.1", redis.port())) {
            Jedis jedis = pool.getResource();
            jedis.set("pooled", "yes");
            redis.kill();
            for (int i = 0; i < 6; i++) {
                assertThat(jedis.get("pooled")).isEqualTo("yes");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("redis").equals("open"));
            redis.restart();
            jedis.close(); // returning a broken connection is Jedis' own business once Redis is back
        }
    }

    @Test
    void operatorsCanForceTheBreakerOpenAndResetItOverJmx() throws Exception {
        client.set("forced", "1");
        assertThat(AgentInThisJvm.invoke("redis", "forceOpen")).isEqualTo("forceOpen: closed -> forced_open");
        assertThat(client.get("forced")).isEqualTo("1"); // served from memory, Redis untouched
        assertThat(AgentInThisJvm.invoke("redis", "reset")).isEqualTo("reset: forced_open -> closed");
    }
}
