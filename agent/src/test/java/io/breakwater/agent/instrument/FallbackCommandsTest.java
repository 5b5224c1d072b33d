package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Every command the memory fallback covers, in its {@code String} and its {@code byte[]} form: the
 * same script runs once against Redis (breaker closed) and once against memory alone (breaker
 * forced open, on keys memory never saw), and the application must get the same answers, of the
 * same types, both times.
 */
class FallbackCommandsTest {
    private static RedisServer redis;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        redis = RedisServer.start();
        client = ShortTimeouts.client(redis);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            client.get("probe");
            return AgentInThisJvm.state("redis").equals("closed");
        });
    }

    @AfterAll
    static void stop() {
        client.close();
        redis.close();
    }

    @Test
    void stringCommandsAnswerFromMemoryAsRedisDid() throws Exception {
        assertSameAnswersFromMemory(FallbackCommandsTest::stringScript);
    }

    @Test
    void binaryCommandsAnswerFromMemoryAsRedisDid() throws Exception {
        assertSameAnswersFromMemory(FallbackCommandsTest::binaryScript);
    }

    private static void assertSameAnswersFromMemory(Function<String, List<String>> script) throws Exception {
        List<String> fromRedis = script.apply("redis:");
        assertThat(AgentInThisJvm.invoke("redis", "forceOpen")).isEqualTo("forceOpen: closed -> forced_open");
        long fallbacksBefore = (Long) AgentInThisJvm.attribute("redis", "FallbackCallsTotal");
        List<String> fromMemory;
        try {
            fromMemory = script.apply("memory:");
        } finally {
            AgentInThisJvm.invoke("redis", "reset");
        }
        assertThat((Long) AgentInThisJvm.attribute("redis", "FallbackCallsTotal") - fallbacksBefore).isEqualTo(fromMemory.size());
        assertThat(fromMemory).isEqualTo(fromRedis);
        // Let the journaled writes reach this test's Redis, so no other test's client replays them.
        ObjectName fallback = new ObjectName("io.breakwater:type=Fallback,name=redis");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            client.get("drain");
            return (Integer) ManagementFactory.getPlatformMBeanServer().getAttribute(fallback, "JournalLength") == 0;
        });
    }

    /** Records each answer as the application saw it: its type and value. */
    private static final class Answers {
        final List<String> lines = new ArrayList<>();

        void add(String call, Supplier<Object> answer) {
            lines.add(call + " -> " + show(answer.get()));
        }

        /** A call Redis answers with an error: the exception the application got, type and message. */
        void error(String call, Supplier<Object> answer) {
            try {
                lines.add(call + " -> no error but " + show(answer.get()));
            } catch (RuntimeException e) {
                lines.add(call + " -> " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        /** A TTL as "about {@code full}" when it is within 10 % below it, so that elapsed time does not count. */
        void ttl(String call, long full, Supplier<Long> answer) {
            long t = answer.get();
            lines.add(call + " -> " + (t < 0 ? String.valueOf(t) : t <= full && t >= full * 9 / 10 ? "about " + full : "off: " + t));
        }

        static String show(Object v) {
            if (v == null) {
                return "null";
            }
            if (v instanceof byte[] b) {
                return "byte[]:" + new String(b, StandardCharsets.UTF_8);
            }
            if (v instanceof List<?> list) {
                return list.stream().map(Answers::show).collect(Collectors.joining(", ", "List[", "]"));
            }
            if (v instanceof Map<?, ?> map) {
                Map<String, String> sorted = new TreeMap<>();
                map.forEach((k, val) -> sorted.put(show(k), show(val)));
                return "Map" + sorted;
            }
            return v.getClass().getSimpleName() + ":" + v;
        }
    }

    private static List<String> stringScript(String p) {
        Answers a = new Answers();
        a.add("SET", () -> client.set(p + "k1", "v1"));
        a.add("GET", () -> client.get(p + "k1"));
        a.add("GET missing", () -> client.get(p + "missing"));
        a.add("SET EX", () -> client.set(p + "k2", "v2", SetParams.setParams().ex(100)));
        a.ttl("TTL after SET EX", 100, () -> client.ttl(p + "k2"));
        a.add("SET PX", () -> client.set(p + "k2p", "v2p", SetParams.setParams().px(100_000)));
        a.ttl("PTTL after SET PX", 100_000, () -> client.pttl(p + "k2p"));
        a.add("SET NX existing", () -> client.set(p + "k1", "nx", SetParams.setParams().nx()));
        a.add("SET NX new", () -> client.set(p + "k3", "v3", SetParams.setParams().nx()));
        a.add("SET XX missing", () -> client.set(p + "k4", "v4", SetParams.setParams().xx()));
        a.add("SET XX existing", () -> client.set(p + "k1", "xx", SetParams.setParams().xx()));
        a.add("GET after XX", () -> client.get(p + "k1"));
        a.add("SETEX", () -> client.setex(p + "k5", 60, "v5"));
        a.ttl("TTL after SETEX", 60, () -> client.ttl(p + "k5"));
        a.add("PSETEX", () -> client.psetex(p + "k6", 60_000, "v6"));
        a.ttl("PTTL after PSETEX", 60_000, () -> client.pttl(p + "k6"));
        a.add("SETNX new", () -> client.setnx(p + "k7", "a"));
        a.add("SETNX existing", () -> client.setnx(p + "k7", "b"));
        a.add("GETDEL", () -> client.getDel(p + "k7"));
        a.add("GET after GETDEL", () -> client.get(p + "k7"));
        a.add("MSET", () -> client.mset(p + "k8", "x", p + "k9", "y"));
        a.add("MGET", () -> client.mget(p + "k8", p + "k9", p + "missing"));
        a.add("DEL one", () -> client.del(p + "k8"));
        a.add("DEL many", () -> client.del(p + "k8", p + "k9"));
        a.add("EXISTS one", () -> client.exists(p + "k8"));
        a.add("EXISTS many", () -> client.exists(p + "k1", p + "k3", p + "k8"));
        a.add("EXPIRE", () -> client.expire(p + "k1", 100));
        a.ttl("TTL after EXPIRE", 100, () -> client.ttl(p + "k1"));
        a.add("PEXPIRE", () -> client.pexpire(p + "k1", 100_000));
        a.ttl("PTTL after PEXPIRE", 100_000, () -> client.pttl(p + "k1"));
        a.add("EXPIRE missing", () -> client.expire(p + "missing", 10));
        a.add("TTL missing", () -> client.ttl(p + "missing"));
        a.add("TTL no expiry", () -> client.ttl(p + "k3"));
        a.add("PTTL no expiry", () -> client.pttl(p + "k3"));
        a.add("SET counter", () -> client.set(p + "c", "0")); // memory answers counters it holds
        a.add("INCR", () -> client.incr(p + "c"));
        a.add("INCRBY", () -> client.incrBy(p + "c", 5));
        a.add("DECR", () -> client.decr(p + "c"));
        a.add("DECRBY", () -> client.decrBy(p + "c", 2));
        a.add("GET counter", () -> client.get(p + "c"));
        a.add("HSET one", () -> client.hset(p + "h", "f1", "a"));
        a.add("HSET map", () -> client.hset(p + "h", Map.of("f2", "b", "f3", "c")));
        a.add("HGET", () -> client.hget(p + "h", "f1"));
        a.add("HGET missing", () -> client.hget(p + "h", "fx"));
        a.add("HMGET", () -> client.hmget(p + "h", "f1", "f2", "fx"));
        a.add("HGETALL", () -> client.hgetAll(p + "h"));
        a.add("HGETALL missing", () -> client.hgetAll(p + "missing"));
        a.add("HDEL", () -> client.hdel(p + "h", "f1", "fx"));
        a.add("HEXISTS deleted", () -> client.hexists(p + "h", "f1"));
        a.add("HEXISTS present", () -> client.hexists(p + "h", "f2"));
        a.add("HSET counter field", () -> client.hset(p + "h", "n", "0"));
        a.add("HINCRBY", () -> client.hincrBy(p + "h", "n", 7));
        a.add("HINCRBY again", () -> client.hincrBy(p + "h", "n", -2));
        a.add("HGET counter", () -> client.hget(p + "h", "n"));
        // Error replies, as Redis gives them: the memory must answer the same JedisDataException, not fail.
        a.add("SET big", () -> client.set(p + "big", Long.toString(Long.MAX_VALUE - 1)));
        a.error("INCRBY overflow", () -> client.incrBy(p + "big", 5));
        a.error("DECRBY min", () -> client.decrBy(p + "c", Long.MIN_VALUE));
        a.error("INCR not a number", () -> client.incr(p + "k3"));
        a.error("GET on a hash", () -> client.get(p + "h"));
        a.error("HGET on a string", () -> client.hget(p + "k3", "f"));
        a.error("HINCRBY not a number", () -> client.hincrBy(p + "h", "f2", 1));
        a.add("HSET big", () -> client.hset(p + "h", "big", Long.toString(Long.MIN_VALUE + 1)));
        a.error("HINCRBY overflow", () -> client.hincrBy(p + "h", "big", -5));
        a.add("GET big after", () -> client.get(p + "big"));
        a.error("SET GET on a hash", () -> client.setGet(p + "h", "v", SetParams.setParams()));
        a.add("HGET after SET GET on a hash", () -> client.hget(p + "h", "f2"));
        a.error("SETEX 0", () -> client.setex(p + "bad", 0, "v"));
        a.error("PSETEX negative", () -> client.psetex(p + "bad", -5, "v"));
        a.error("SET EX 0", () -> client.set(p + "bad", "v", SetParams.setParams().ex(0)));
        a.error("SET PX overflowing", () -> client.set(p + "bad", "v", SetParams.setParams().px(Long.MAX_VALUE - 1)));
        a.error("SET EXAT overflowing", () -> client.set(p + "bad", "v", SetParams.setParams().exAt(Long.MAX_VALUE / 10)));
        a.add("GET after refused SETs", () -> client.get(p + "bad"));
        a.add("SET 007", () -> client.set(p + "z", "007"));
        a.error("INCR 007", () -> client.incr(p + "z"));
        a.add("SET +5", () -> client.set(p + "z", "+5"));
        a.error("INCR +5", () -> client.incr(p + "z"));
        a.add("SET -0", () -> client.set(p + "z", "-0"));
        a.error("INCR -0", () -> client.incr(p + "z"));
        a.add("SET 0", () -> client.set(p + "z", "0"));
        a.add("INCR 0", () -> client.incr(p + "z"));
        return a.lines;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> binaryScript(String prefix) {
        String p = "bin:" + prefix;
        Answers a = new Answers();
        a.add("SET", () -> client.set(b(p + "k1"), b("v1")));
        a.add("GET", () -> client.get(b(p + "k1")));
        a.add("GET missing", () -> client.get(b(p + "missing")));
        a.add("SET EX", () -> client.set(b(p + "k2"), b("v2"), SetParams.setParams().ex(100)));
        a.ttl("TTL after SET EX", 100, () -> client.ttl(b(p + "k2")));
        a.add("SET PX", () -> client.set(b(p + "k2p"), b("v2p"), SetParams.setParams().px(100_000)));
        a.ttl("PTTL after SET PX", 100_000, () -> client.pttl(b(p + "k2p")));
        a.add("SET NX existing", () -> client.set(b(p + "k1"), b("nx"), SetParams.setParams().nx()));
        a.add("SET NX new", () -> client.set(b(p + "k3"), b("v3"), SetParams.setParams().nx()));
        a.add("SET XX missing", () -> client.set(b(p + "k4"), b("v4"), SetParams.setParams().xx()));
        a.add("SET XX existing", () -> client.set(b(p + "k1"), b("xx"), SetParams.setParams().xx()));
        a.add("GET after XX", () -> client.get(b(p + "k1")));
        a.add("SETEX", () -> client.setex(b(p + "k5"), 60, b("v5")));
        a.ttl("TTL after SETEX", 60, () -> client.ttl(b(p + "k5")));
        a.add("PSETEX", () -> client.psetex(b(p + "k6"), 60_000, b("v6")));
        a.ttl("PTTL after PSETEX", 60_000, () -> client.pttl(b(p + "k6")));
        a.add("SETNX new", () -> client.setnx(b(p + "k7"), b("a")));
        a.add("SETNX existing", () -> client.setnx(b(p + "k7"), b("b")));
        a.add("GETDEL", () -> client.getDel(b(p + "k7")));
        a.add("GET after GETDEL", () -> client.get(b(p + "k7")));
        a.add("MSET", () -> client.mset(b(p + "k8"), b("x"), b(p + "k9"), b("y")));
        a.add("MGET", () -> client.mget(b(p + "k8"), b(p + "k9"), b(p + "missing")));
        a.add("DEL one", () -> client.del(b(p + "k8")));
        a.add("DEL many", () -> client.del(b(p + "k8"), b(p + "k9")));
        a.add("EXISTS one", () -> client.exists(b(p + "k8")));
        a.add("EXISTS many", () -> client.exists(b(p + "k1"), b(p + "k3"), b(p + "k8")));
        a.add("EXPIRE", () -> client.expire(b(p + "k1"), 100));
        a.ttl("TTL after EXPIRE", 100, () -> client.ttl(b(p + "k1")));
        a.add("PEXPIRE", () -> client.pexpire(b(p + "k1"), 100_000));
        a.ttl("PTTL after PEXPIRE", 100_000, () -> client.pttl(b(p + "k1")));
        a.add("EXPIRE missing", () -> client.expire(b(p + "missing"), 10));
        a.add("TTL missing", () -> client.ttl(b(p + "missing")));
        a.add("TTL no expiry", () -> client.ttl(b(p + "k3")));
        a.add("PTTL no expiry", () -> client.pttl(b(p + "k3")));
        a.add("SET counter", () -> client.set(b(p + "c"), b("0")));
        a.add("INCR", () -> client.incr(b(p + "c")));
        a.add("INCRBY", () -> client.incrBy(b(p + "c"), 5));
        a.add("DECR", () -> client.decr(b(p + "c")));
        a.add("DECRBY", () -> client.decrBy(b(p + "c"), 2));
        a.add("GET counter", () -> client.get(b(p + "c")));
        a.add("HSET one", () -> client.hset(b(p + "h"), b("f1"), b("a")));
        a.add("HSET map", () -> client.hset(b(p + "h"), Map.of(b("f2"), b("b"), b("f3"), b("c"))));
        a.add("HGET", () -> client.hget(b(p + "h"), b("f1")));
        a.add("HGET missing", () -> client.hget(b(p + "h"), b("fx")));
        a.add("HMGET", () -> client.hmget(b(p + "h"), b("f1"), b("f2"), b("fx")));
        a.add("HGETALL", () -> client.hgetAll(b(p + "h")));
        a.add("HGETALL missing", () -> client.hgetAll(b(p + "missing")));
        a.add("HDEL", () -> client.hdel(b(p + "h"), b("f1"), b("fx")));
        a.add("HEXISTS deleted", () -> client.hexists(b(p + "h"), b("f1")));
        a.add("HEXISTS present", () -> client.hexists(b(p + "h"), b("f2")));
        a.add("HSET counter field", () -> client.hset(b(p + "h"), b("n"), b("0")));
        a.add("HINCRBY", () -> client.hincrBy(b(p + "h"), b("n"), 7));
        a.add("HINCRBY again", () -> client.hincrBy(b(p + "h"), b("n"), -2));
        a.add("HGET counter", () -> client.hget(b(p + "h"), b("n")));
        return a.lines;
    }
}
