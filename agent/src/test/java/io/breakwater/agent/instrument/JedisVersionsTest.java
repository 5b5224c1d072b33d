package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.RedisCluster;
import io.breakwater.testkit.RedisServer;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Jedis 5, 6, 7 and 8 in every client style — UnifiedJedis/JedisPooled/RedisClient, JedisPool, a
 * single Jedis, JedisCluster and RedisClusterClient against a real three-node cluster — each loaded by
 * an isolated class loader whose parent is the platform loader (as fat-jar launchers and app servers
 * load applications): kill Redis mid-load (or freeze it with SIGSTOP), keep reading and writing,
 * restart it (it persists what it acknowledged), and compare what Redis holds with what the
 * application last wrote.
 */
class JedisVersionsTest {
    private static RedisServer redis;
    private static RedisCluster cluster;

    /** What the test needs of the Redis it kills: a single server or a whole cluster. */
    private interface Outage {
        /** Prefixes the test's keys, so no scenario meets another's data in the persistent Redis. */
        String name();

        void kill();

        void restart();

        /** An inline command about {@code key}, sent with a plain socket (no Jedis, no agent). */
        String command(String key, String inline);
    }

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        redis = RedisServer.startPersistent();
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
        cluster.close();
    }

    @ParameterizedTest(name = "Jedis {0}, {1}")
    @CsvSource({"5, unified", "5, pool", "5, classic", "6, unified", "6, pool", "6, classic",
                "7, unified", "7, pool", "7, classic", "8, unified", "8, pool", "8, classic"})
    void outageAndRecoveryLoseNoWrite(int major, String style) throws Exception {
        redis.restart();
        Outage single = new Outage() {
            @Override public String name() { return "killed"; }
            @Override public void kill() { redis.kill(); }
            @Override public void restart() { redis.restart(); }
            @Override public String command(String key, String inline) { return redis.command(inline); }
        };
        try (URLClassLoader loader = isolatedLoader(major)) {
            Object client = style.equals("unified") ? unifiedClient(loader, major) : null;
            outageAndRecovery(loader, major, style, redis.port(), client, single);
        }
    }

    /** Redis hangs (SIGSTOP) instead of dying: calls fail at the client's socket timeout until the breaker opens. */
    @ParameterizedTest(name = "Jedis {0}, {1}, Redis hanging")
    @CsvSource({"5, classic", "6, pool", "7, unified", "8, unified"})
    void hangingRedisLosesNoWrite(int major, String style) throws Exception {
        redis.restart();
        Outage hang = new Outage() {
            @Override public String name() { return "hanging"; }
            @Override public void kill() { redis.freeze(); }
            @Override public void restart() { redis.thaw(); }
            @Override public String command(String key, String inline) { return redis.command(inline); }
        };
        try (URLClassLoader loader = isolatedLoader(major)) {
            Object client = style.equals("unified") ? unifiedClient(loader, major) : null;
            outageAndRecovery(loader, major, style, redis.port(), client, hang);
        } finally {
            redis.thaw();
        }
    }

    @ParameterizedTest(name = "Jedis {0}, {1} against a three-node cluster")
    @CsvSource({"5, cluster", "6, cluster", "7, cluster", "8, cluster", "8, clusterclient"})
    void clusterOutageAndRecoveryLoseNoWrite(int major, String style) throws Exception {
        Outage whole = new Outage() {
            @Override public String name() { return "cluster"; }
            @Override public void kill() { cluster.killAll(); }
            @Override public void restart() { cluster.restartAll(); }
            @Override public String command(String key, String inline) { return cluster.command(key, inline); }
        };
        try (URLClassLoader loader = isolatedLoader(major)) {
            outageAndRecovery(loader, major, style, cluster.ports().get(0), null, whole);
        }
    }

    /**
     * Load, kill Redis mid-load, keep reading and writing, restart it (it persists what it
     * acknowledged), and compare what Redis holds with what the application last wrote.
     */
    @SuppressWarnings("unchecked")
    private static void outageAndRecovery(URLClassLoader loader, int major, String style, int port, Object client, Outage outage)
            throws Exception {
        Function<List<String>, Object> app = (Function<List<String>, Object>) loader.loadClass("com.example.app.JedisWorkload")
                .getConstructor(String.class, String.class, int.class, Object.class)
                .newInstance(style, "127.0.0.1", port, client);
        assertThat(loader.loadClass("redis.clients.jedis.Jedis").getClassLoader()).isSameAs(loader);
        String p = outage.name() + ":v" + major + style + ":";
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            app.apply(List.of("GET", p + "probe"));
            return AgentInThisJvm.state("redis").equals("closed");
        });

        Map<String, String> expected = new LinkedHashMap<>();
        long callsBefore = (Long) AgentInThisJvm.attribute("redis", "TotalCalls");
        for (int i = 0; i < 10; i++) {
            app.apply(List.of("SET", p + i, "before"));
            expected.put(p + i, "before");
        }
        // One logical operation is one call, however many connections (pool, cluster nodes) served it.
        assertThat((Long) AgentInThisJvm.attribute("redis", "TotalCalls") - callsBefore).isEqualTo(10);
        app.apply(List.of("HSET", p + "hash", "f", "1"));
        app.apply(List.of("BSET", p + "bin", "bytes"));

        outage.kill();
        for (int i = 0; i < 10; i++) {
            assertThat(app.apply(List.of("GET", p + i))).isEqualTo("before"); // from memory
        }
        assertThat((byte[]) app.apply(List.of("BGET", p + "bin"))).isEqualTo("bytes".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> AgentInThisJvm.state("redis").equals("open"));
        for (int i = 0; i < 10; i += 2) {
            assertThat(app.apply(List.of("SET", p + i, "during"))).isEqualTo("OK");
            expected.put(p + i, "during");
        }
        assertThat(app.apply(List.of("HSET", p + "hash", "g", "2"))).isEqualTo(1L);
        assertThat(app.apply(List.of("HGETALL", p + "hash"))).isEqualTo(Map.of("f", "1", "g", "2"));
        assertThat(app.apply(List.of("SET", p + "n", "0"))).isEqualTo("OK");
        assertThat(app.apply(List.of("INCR", p + "n"))).isEqualTo(1L);
        Class<?> connectionException = loader.loadClass("redis.clients.jedis.exceptions.JedisConnectionException");
        assertThatThrownBy(() -> app.apply(List.of("LPUSH", p + "list", "x"))).isInstanceOf(connectionException);

        outage.restart();
        // The application carries on; its calls drive the replay until Redis holds what it last wrote.
        List<String> differences = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            app.apply(List.of("GET", p + "probe"));
            differences.clear();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String actual = outage.command(e.getKey(), "GET " + e.getKey());
                if (!e.getValue().equals(actual)) {
                    differences.add(e.getKey() + ": expected " + e.getValue() + " but Redis has " + actual);
                }
            }
            if (!"2".equals(outage.command(p + "hash", "HGET " + p + "hash g"))) {
                differences.add(p + "hash g: expected 2");
            }
            if (!"1".equals(outage.command(p + "n", "GET " + p + "n"))) {
                differences.add(p + "n: expected 1");
            }
            return differences.isEmpty() && AgentInThisJvm.state("redis").equals("closed");
        });
        assertThat(differences).isEmpty();
        ((AutoCloseable) app).close();
    }

    private static URLClassLoader isolatedLoader(int major) throws Exception {
        List<URL> urls = new ArrayList<>();
        File[] jars = Path.of("target", "jedis-" + major).toFile().listFiles((dir, name) -> name.endsWith(".jar"));
        assertThat(jars).as("Jedis %s jars in target/jedis-%s (copied by the build)", major, major).isNotEmpty();
        for (File jar : jars) {
            urls.add(jar.toURI().toURL());
        }
        // The workload class only; everything it uses comes from the jars above or the JDK.
        urls.add(JedisVersionsTest.class.getProtectionDomain().getCodeSource().getLocation());
        return new URLClassLoader("jedis-" + major, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static Object unifiedClient(ClassLoader loader, int major) throws Exception {
        if (major >= 8) {
            return loader.loadClass("redis.clients.jedis.RedisClient").getMethod("create", String.class, int.class)
                    .invoke(null, "127.0.0.1", redis.port());
        }
        return loader.loadClass("redis.clients.jedis.JedisPooled").getConstructor(String.class, int.class)
                .newInstance("127.0.0.1", redis.port());
    }
}
