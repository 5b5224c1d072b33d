package io.breakwater.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final MemoryStore store = new MemoryStore(1 << 20, now::get);

    private static byte[][] cmd(String... parts) {
        byte[][] args = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            args[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }

    private Object run(String... parts) {
        return store.execute(cmd(parts));
    }

    private static String text(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    @Test
    void stringsBehaveAsInRedis() {
        assertThat(run("GET", "k")).isNull();
        assertThat(text(run("SET", "k", "v"))).isEqualTo("OK");
        assertThat(text(run("GET", "k"))).isEqualTo("v");
        assertThat(run("SET", "k", "w", "NX")).isNull();
        assertThat(text(run("SET", "k", "w", "XX", "GET"))).isEqualTo("v");
        assertThat(run("SETNX", "k", "x")).isEqualTo(0L);
        assertThat(run("EXISTS", "k", "missing")).isEqualTo(1L);
        assertThat(text(run("GETDEL", "k"))).isEqualTo("w");
        assertThat(run("DEL", "k")).isEqualTo(0L);
        run("MSET", "a", "1", "b", "2");
        List<Object> values = new ArrayList<>((List<?>) run("MGET", "a", "missing", "b"));
        assertThat(values).hasSize(3);
        assertThat(text(values.get(0))).isEqualTo("1");
        assertThat(values.get(1)).isNull();
        assertThat(run("DEL", "a", "b", "c")).isEqualTo(2L);
    }

    @Test
    void aKeyPastItsTtlIsAbsentToEveryCommand() {
        run("SET", "s", "v", "PX", "100");
        run("SET", "n", "41", "PX", "100");
        run("HSET", "h", "f", "1");
        run("PEXPIRE", "h", "100");
        run("SET", "x", "v", "PX", "100");
        run("SET", "d", "v", "PX", "100");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(101));

        assertThat(run("EXISTS", "s", "n", "h")).isEqualTo(0L);
        assertThat(run("MGET", "s")).isEqualTo(java.util.Collections.singletonList(null));
        assertThat(run("SETNX", "s", "w")).isEqualTo(1L);
        assertThat(text(run("GET", "s"))).isEqualTo("w");
        assertThat(run("TTL", "s")).isEqualTo(-1L);
        assertThat(run("INCR", "n")).isSameAs(MemoryStore.UNSUPPORTED); // a counter memory does not hold
        assertThat(run("HGET", "h", "f")).isNull();
        assertThat(run("HSET", "h", "g", "2")).isEqualTo(1L);
        assertThat(flatten(run("HGETALL", "h"))).containsExactly("g", "2");
        assertThat(run("SET", "x", "w", "XX")).isNull(); // XX: only if present, and it is not
        assertThat(run("EXPIRE", "x", "10")).isEqualTo(0L);
        assertThat(run("DEL", "d")).isEqualTo(0L);
    }

    private static List<String> flatten(Object reply) {
        List<String> texts = new ArrayList<>();
        ((List<?>) reply).forEach(item -> texts.add(text(item)));
        return texts;
    }

    @Test
    void mirroringTakesRedisVerdictNotMemorysOwnCopy() {
        store.mirror(cmd("GET", "k"), "v1"); // learnt from a read: memory does not know Redis' TTL
        store.mirror(cmd("SET", "k", "v2", "NX"), "OK"); // Redis accepted it: the key had expired there
        assertThat(text(run("GET", "k"))).isEqualTo("v2");
        store.mirror(cmd("SETNX", "k", "v3"), 1L);
        assertThat(text(run("GET", "k"))).isEqualTo("v3");
        store.mirror(cmd("GET", "gone"), "old");
        store.mirror(cmd("EXPIRE", "gone", "100"), 0L); // Redis has no such key any more
        assertThat(run("GET", "gone")).isNull();
        store.mirror(cmd("SETNX", "other", "x"), 0L); // Redis holds a value memory never saw
        assertThat(run("EXISTS", "other")).isEqualTo(0L);
        store.mirror(cmd("SET", "t", "v", "EX", "10"), "OK");
        assertThat(run("TTL", "t")).isEqualTo(10L);
        store.mirror(cmd("SET", "t", "w", "KEEPTTL"), "OK"); // the TTL Redis kept may not be memory's: forget
        assertThat(run("GET", "t")).isNull();
    }

    @Test
    void theSweepRemovesOnlyValuesPastTheirTtl() {
        assertThat(store.sweepExpired()).as("no TTL ever stored").isZero();
        for (int i = 0; i < 50; i++) {
            run("SET", "dead:" + i, "v", "PX", "100");
            run("SET", "alive:" + i, "v", "EX", "100");
            run("SET", "forever:" + i, "v");
        }
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(101));
        assertThat(store.sweepExpired()).isEqualTo(50);
        assertThat(store.size()).isEqualTo(100);
        assertThat(run("EXISTS", "alive:7", "forever:7", "dead:7")).isEqualTo(2L);
        assertThat(store.sweepExpired()).isZero();
    }

    @Test
    void countersAndTheirErrors() {
        assertThat(run("INCR", "n")).as("a counter memory does not hold").isSameAs(MemoryStore.UNSUPPORTED);
        assertThat(run("DECRBY", "n", "3")).isSameAs(MemoryStore.UNSUPPORTED);
        run("SET", "n", "0");
        assertThat(run("INCR", "n")).isEqualTo(1L);
        assertThat(run("INCRBY", "n", "41")).isEqualTo(42L);
        assertThat(run("DECRBY", "n", "2")).isEqualTo(40L);
        assertThat(run("DECR", "n")).isEqualTo(39L);
        run("SET", "s", "abc");
        assertThatThrownBy(() -> run("INCR", "s")).isInstanceOf(MemoryStore.RedisError.class).hasMessageStartingWith("ERR value is not an integer");
    }

    @Test
    void ttlsAreHonoured() {
        run("SETEX", "k", "10", "v");
        assertThat(run("TTL", "k")).isEqualTo(10L);
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));
        assertThat(run("TTL", "k")).isEqualTo(6L);
        now.addAndGet(TimeUnit.SECONDS.toNanos(7));
        assertThat(run("GET", "k")).isNull();
        assertThat(run("TTL", "k")).isEqualTo(-2L);
        run("SET", "p", "v", "PX", "500");
        assertThat(run("PTTL", "p")).isEqualTo(500L);
        run("SET", "q", "v");
        assertThat(run("TTL", "q")).isEqualTo(-1L);
        assertThat(run("EXPIRE", "q", "5")).isEqualTo(1L);
        assertThat(run("EXPIRE", "missing", "5")).isEqualTo(0L);
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertThat(run("EXISTS", "q")).isEqualTo(0L);
    }

    @Test
    void hashesBehaveAsInRedis() {
        assertThat(run("HSET", "h", "a", "1", "b", "2")).isEqualTo(2L);
        assertThat(run("HSET", "h", "a", "3")).isEqualTo(0L);
        assertThat(text(run("HGET", "h", "a"))).isEqualTo("3");
        assertThat(run("HEXISTS", "h", "b")).isEqualTo(1L);
        assertThat(run("HINCRBY", "h", "c", "5")).as("a field memory does not hold").isSameAs(MemoryStore.UNSUPPORTED);
        run("HSET", "h", "c", "0");
        assertThat(run("HINCRBY", "h", "c", "5")).isEqualTo(5L);
        assertThat((List<?>) run("HGETALL", "h")).hasSize(6);
        assertThat(run("HDEL", "h", "a", "b", "c")).isEqualTo(3L);
        assertThat(run("EXISTS", "h")).isEqualTo(0L);
        assertThat((List<?>) run("HGETALL", "h")).isEmpty();
    }

    @Test
    void wrongTypeIsRedisOwnError() {
        run("HSET", "h", "f", "v");
        assertThatThrownBy(() -> run("GET", "h")).hasMessageStartingWith("WRONGTYPE");
        run("SET", "s", "v");
        assertThatThrownBy(() -> run("HGET", "s", "f")).hasMessageStartingWith("WRONGTYPE");
    }

    @Test
    void unsupportedCommandsSaySo() {
        assertThat(run("LPUSH", "l", "x")).isSameAs(MemoryStore.UNSUPPORTED);
        assertThat(run("SET", "k", "v", "WEIRD")).isSameAs(MemoryStore.UNSUPPORTED);
    }

    @Test
    void mirroringLearnsFromWhatTheApplicationSaw() {
        store.mirror(cmd("GET", "k"), "from-redis");
        assertThat(text(run("GET", "k"))).isEqualTo("from-redis");
        store.mirror(cmd("HGETALL", "h"), Map.of("f", "v"));
        assertThat(text(run("HGET", "h", "f"))).isEqualTo("v");
        store.mirror(cmd("INCR", "n"), 7L);
        assertThat(run("INCR", "n")).isEqualTo(8L);
        store.mirror(cmd("GET", "k"), null);
        assertThat(run("GET", "k")).isNull();
        store.mirror(cmd("SET", "x", "1", "NX"), null); // declined: Redis kept a value we do not know
        assertThat(run("GET", "x")).isNull();
        store.mirror(cmd("LPUSH", "k2", "x"), 1L);
        assertThat(run("EXISTS", "k2")).isEqualTo(0L);
    }

    @Test
    void memoryIsBoundedByBytes() {
        MemoryStore small = new MemoryStore(64 * 1024, now::get);
        byte[] big = new byte[1024];
        for (int i = 0; i < 1_000; i++) {
            small.execute(new byte[][] {"SET".getBytes(), ("k" + i).getBytes(), big});
        }
        small.stats(); // maintenance runs on the caller
        assertThat(small.weight()).isLessThanOrEqualTo(64 * 1024);
        assertThat(small.stats().evictionCount()).isPositive();
    }

    @Test
    void aMirroredGetKeepsTheTtlAndLearnsAChangedValue() {
        run("SETEX", "k", "10", "v");
        store.mirror(cmd("GET", "k"), "v"); // what memory holds already
        assertThat(run("TTL", "k")).isEqualTo(10L);
        store.mirror(cmd("GET", "k"), "w"); // Redis holds something else now
        assertThat(text(run("GET", "k"))).isEqualTo("w");
        assertThat(run("TTL", "k")).isEqualTo(10L);
        store.mirror(cmd("GET", "k"), "wé"); // not ASCII: compared by its UTF-8 bytes
        assertThat(text(run("GET", "k"))).isEqualTo("wé");
        store.mirror(cmd("GET", "b"), new byte[] {1, 2});
        store.mirror(cmd("GET", "b"), new byte[] {1, 3});
        assertThat((byte[]) run("GET", "b")).containsExactly(1, 3);
    }

    @Test
    void commandNamesAndSetOptionsInAnyCase() {
        assertThat(text(run("set", "k", "v", "ex", "10"))).isEqualTo("OK");
        assertThat(run("ttl", "k")).isEqualTo(10L);
        assertThat(text(run("Set", "k", "w"))).isEqualTo("OK"); // no option: the TTL goes too, as in Redis
        assertThat(run("TTL", "k")).isEqualTo(-1L);
        assertThat(text(run("gEt", "k"))).isEqualTo("w");
        assertThat(run("set", "k", "x", "nx")).isNull();
        assertThat(text(run("set", "k", "x", "keepttl", "get"))).isEqualTo("w");
    }
}
