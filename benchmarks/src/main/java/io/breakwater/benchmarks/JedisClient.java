package io.breakwater.benchmarks;

import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * The application side of the Redis benchmarks: one Jedis client and the GET and SET of one key on
 * it, as suppliers so every variant (plain, agent, resilience4j) runs exactly the same call.
 *
 * @param kind {@code Jedis}: a single-connection {@link Jedis}; {@code RedisClient}: a pooled
 *     {@link RedisClient} (a {@code UnifiedJedis}, as the sample simulator uses, on which the agent
 *     sees two nested {@code executeCommand} calls and counts one)
 */
record JedisClient(String kind, AutoCloseable closeable, Supplier<String> get, Supplier<String> set) implements AutoCloseable {
    static final String KEY = "breakwater:bench:key";
    static final String VALUE = "charge-point-0042:Available:connector-1"; // 38 bytes, like the simulator's state

    static JedisClient open(String kind, int port) {
        return switch (kind) {
            case "Jedis" -> {
                Jedis jedis = new Jedis("127.0.0.1", port);
                yield new JedisClient(kind, jedis, () -> jedis.get(KEY), () -> jedis.set(KEY, VALUE));
            }
            case "RedisClient" -> {
                RedisClient client = RedisClient.create("127.0.0.1", port);
                yield new JedisClient(kind, client, () -> client.get(KEY), () -> client.set(KEY, VALUE));
            }
            default -> throw new IllegalArgumentException("unknown client " + kind + " (Jedis, RedisClient)");
        };
    }

    /** SET then GET once, from Redis (or, with the agent, through it), checking the answers. */
    void setAndGet() {
        if (!"OK".equals(set.get()) || !VALUE.equals(get.get())) {
            throw new IllegalStateException(kind + ": redis-server does not answer as expected");
        }
    }

    @Override
    public void close() throws Exception {
        closeable.close();
    }
}
