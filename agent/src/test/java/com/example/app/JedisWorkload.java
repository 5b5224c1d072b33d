package com.example.app;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * An application's use of Jedis, loaded by tests into an isolated class loader next to one Jedis
 * version (5, 6, 7 or 8). It only calls API that every one of those versions has (but for Jedis 8's
 * RedisClusterClient, used with Jedis 8 only), and talks to the test through JDK types: a command as a
 * list of strings in, Jedis' answer out.
 */
public final class JedisWorkload implements Function<List<String>, Object>, AutoCloseable {
    private static final JedisClientConfig CLUSTER_CONFIG =
            DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300).build();
    private final UnifiedJedis unified;
    private final JedisPool pool;
    private final String host;
    private final int port;
    private Jedis classic;

    /**
     * @param style {@code unified} (the given UnifiedJedis / JedisPooled / RedisClient), {@code pool}
     *     (classic Jedis borrowed from a JedisPool per command), {@code classic} (one Jedis),
     *     {@code cluster} (a JedisCluster seeded with host:port) or {@code clusterclient} (Jedis 8's
     *     RedisClusterClient, the same)
     */
    public JedisWorkload(String style, String host, int port, Object unifiedClient) {
        this.unified = switch (style) {
            case "unified" -> (UnifiedJedis) unifiedClient;
            case "cluster" -> new JedisCluster(Set.of(new HostAndPort(host, port)), CLUSTER_CONFIG, 2, Duration.ofMillis(600));
            case "clusterclient" -> Jedis8.clusterClient(host, port);
            default -> null;
        };
        this.pool = style.equals("pool") ? new JedisPool(host, port) : null;
        this.classic = style.equals("classic") ? new Jedis(host, port) : null;
        this.host = host;
        this.port = port;
    }

    @Override
    public Object apply(List<String> command) {
        if (pool != null) {
            try (Jedis jedis = pool.getResource()) {
                return run(jedis, null, command);
            }
        }
        if (classic != null && classic.isBroken()) {
            classic.close(); // what a robust application does with a single Jedis: start a new connection
            classic = new Jedis(host, port);
        }
        return run(classic, unified, command);
    }

    private static Object run(Jedis jedis, UnifiedJedis unified, List<String> c) {
        String key = c.get(1);
        switch (c.get(0)) {
            case "GET": return jedis != null ? jedis.get(key) : unified.get(key);
            case "SET": return jedis != null ? jedis.set(key, c.get(2)) : unified.set(key, c.get(2));
            case "INCR": return jedis != null ? jedis.incr(key) : unified.incr(key);
            case "DEL": return jedis != null ? jedis.del(key) : unified.del(key);
            case "HSET": return jedis != null ? jedis.hset(key, c.get(2), c.get(3)) : unified.hset(key, c.get(2), c.get(3));
            case "HGETALL": return jedis != null ? jedis.hgetAll(key) : unified.hgetAll(key);
            case "BGET": return jedis != null ? jedis.get(key.getBytes()) : unified.get(key.getBytes());
            case "BSET": return jedis != null ? jedis.set(key.getBytes(), c.get(2).getBytes()) : unified.set(key.getBytes(), c.get(2).getBytes());
            case "LPUSH": return jedis != null ? jedis.lpush(key, c.get(2)) : unified.lpush(key, c.get(2));
            default: throw new IllegalArgumentException(c.get(0));
        }
    }

    @Override
    public void close() {
        if (unified != null) {
            unified.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (classic != null) {
            classic.close();
        }
    }

    /** Jedis 8 API, in a class of its own: verifying it loads RedisClusterClient, which older versions lack. */
    private static final class Jedis8 {
        static UnifiedJedis clusterClient(String host, int port) {
            return RedisClusterClient.builder().nodes(Set.of(new HostAndPort(host, port)))
                    .clientConfig(CLUSTER_CONFIG).maxAttempts(2).maxTotalRetriesDuration(Duration.ofMillis(600)).build();
        }
    }
}
