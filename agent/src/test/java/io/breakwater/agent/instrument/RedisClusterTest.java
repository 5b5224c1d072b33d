package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.RedisCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The cluster clients, {@code JedisCluster} and Jedis 8's {@code RedisClusterClient}, against a
 * real three-node Redis cluster: the whole cluster dies, the application carries on, nothing is lost.
 */
class RedisClusterTest {
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static UnifiedJedis client(String style) {
        Set<HostAndPort> nodes = new HashSet<>();
        cluster.ports().forEach(p -> nodes.add(new HostAndPort("127.0.0.1", p)));
        JedisClientConfig config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300).build();
        return switch (style) {
            case "JedisCluster" -> new JedisCluster(nodes, config, 2, Duration.ofMillis(600));
            case "RedisClusterClient" -> RedisClusterClient.builder().nodes(nodes).clientConfig(config)
                    .maxAttempts(2).maxTotalRetriesDuration(Duration.ofMillis(600)).build();
            default -> throw new IllegalArgumentException(style);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"JedisCluster", "RedisClusterClient"})
    void theClusterDiesAndComesBackWithEveryWriteTheApplicationMade(String style) throws Exception {
        String prefix = "cluster:" + style + ":";
        try (UnifiedJedis client = client(style)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                client.get(prefix + "probe");
                return AgentInThisJvm.state("redis").equals("closed");
            });
            Map<String, String> expected = new LinkedHashMap<>();
            long callsBefore = (Long) AgentInThisJvm.attribute("redis", "TotalCalls");
            for (int i = 0; i < 30; i++) { // keys spread over all three nodes' slots
                client.set(prefix + i, "before");
                expected.put(prefix + i, "before");
            }
            // One logical operation is one call, however many node connections the cluster client used for it.
            assertThat((Long) AgentInThisJvm.attribute("redis", "TotalCalls") - callsBefore).isEqualTo(30);

            cluster.killAll();
            for (int i = 0; i < 30; i++) {
                assertThat(client.get(prefix + i)).isEqualTo("before");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> AgentInThisJvm.state("redis").equals("open"));
            for (int i = 0; i < 30; i += 3) {
                assertThat(client.set(prefix + i, "during")).isEqualTo("OK");
                expected.put(prefix + i, "during");
            }

            cluster.restartAll();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                client.get(prefix + "probe");
                return AgentInThisJvm.state("redis").equals("closed")
                        && expected.entrySet().stream().allMatch(e -> e.getValue().equals(cluster.get(e.getKey())));
            });
            for (int i = 0; i < 30; i++) {
                assertThat(client.get(prefix + i)).isEqualTo(expected.get(prefix + i));
            }
        }
    }
}
