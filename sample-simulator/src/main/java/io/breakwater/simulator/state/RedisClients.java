package io.breakwater.simulator.state;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/** Builds the Jedis client from a {@code redis://} URL with short timeouts, so an outage costs seconds, not minutes. */
public final class RedisClients {

    public static final int TIMEOUT_MILLIS = 2_000;
    public static final int DEFAULT_PORT = 6379;

    private RedisClients() {
    }

    /** {@code redis://[[user]:password@]host[:port][/db]}; connects lazily, so Redis may be down at start-up. */
    public static RedisClient create(URI url, int maxConnections) {
        URI uri = withDefaultPort(url);
        if (!JedisURIHelper.isValid(uri) || !"redis".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a redis:// URL with host and port");
        }
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS);
        String user = JedisURIHelper.getUser(uri);
        String password = JedisURIHelper.getPassword(uri);
        if (user != null && !user.isEmpty()) {
            config.user(user);
        }
        if (password != null && !password.isEmpty()) {
            config.password(password);
        }
        if (JedisURIHelper.hasDbIndex(uri)) {
            config.database(JedisURIHelper.getDBIndex(uri));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        // Never wait forever for a pooled connection.
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    /** Jedis insists on a port; Redis users expect 6379 when there is none. */
    static URI withDefaultPort(URI uri) {
        if (uri.getPort() != -1 || uri.getHost() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(),
                    DEFAULT_PORT, uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (URISyntaxException e) {
            return uri;
        }
    }

    /** The URL without credentials, for log lines. */
    public static String redact(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path;
    }
}
