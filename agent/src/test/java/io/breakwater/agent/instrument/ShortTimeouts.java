package io.breakwater.agent.instrument;

import io.breakwater.testkit.RedisServer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** A pooled Jedis client for the tests, with 500 ms timeouts so a dead Redis fails fast. */
final class ShortTimeouts {
    private ShortTimeouts() {}

    static RedisClient client(RedisServer redis) {
        return RedisClient.builder()
                .hostAndPort(new HostAndPort("127.0.0.1", redis.port()))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(500).build())
                .build();
    }
}
