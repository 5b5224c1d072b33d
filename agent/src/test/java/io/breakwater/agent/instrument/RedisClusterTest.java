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
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** JedisCluster against a real three-node Redis cluster: the whole cluster dies, the application carries on, nothing is lost. */
class RedisClusterTest {
    private static RedisCluster cluster;
    private static JedisCluster client;

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        cluster = RedisCluster.start();
        Set<HostAndPort> nodes = new HashSet<>();
        cluster.ports().forEach(p -> nodes.add(new HostAndPort("127.0.0.1", p)));
        client = new JedisCluster(nodes,
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300).build(),
                2, Duration.ofMillis(600));
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void theClusterDiesAndComesBackWithEveryWriteTheApplicationMade() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            client.get("cluster:probe");
            return AgentInThisJvm.state("redis").equals("closed");
        });
        Map<String, String> expected = new LinkedHashMap<>();
        long callsBefore = (Long) AgentInThisJvm.attribute("redis", "TotalCalls");
        for (int i = 0; i < 30; i++) { // keys spread over all three nodes' slots
            client.set("cluster:" + i, "before");
            expected.put("cluster:" + i, "before");
        }
        // One logical operation is one call, however many node connections the cluster client used for it.
        assertThat((Long) AgentInThisJvm.attribute("redis", "TotalCalls") - callsBefore).isEqualTo(30);

        cluster.killAll();
        for (int i = 0; i < 30; i++) {
            assertThat(client.get("cluster:" + i)).isEqualTo("before");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> AgentInThisJvm.state("redis").equals("open"));
        for (int i = 0; i < 30; i += 3) {
            assertThat(client.set("cluster:" + i, "during")).isEqualTo("OK");
            expected.put("cluster:" + i, "during");
        }

        cluster.restartAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            client.get("cluster:probe");
            return AgentInThisJvm.state("redis").equals("closed")
                    && expected.entrySet().stream().allMatch(e -> e.getValue().equals(cluster.get(e.getKey())));
        });
        for (int i = 0; i < 30; i++) {
            assertThat(client.get("cluster:" + i)).isEqualTo(expected.get("cluster:" + i));
        }
    }
}
