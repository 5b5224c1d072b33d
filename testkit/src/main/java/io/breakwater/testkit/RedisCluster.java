package io.breakwater.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real three-node Redis cluster on loopback: three {@code redis-server --cluster-enabled yes}
 * processes joined by {@code redis-cli --cluster create}, each persisting to an append-only file so
 * that the whole cluster can be killed and restarted with its data and slot map.
 */
public final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {}

    public static RedisCluster start() {
        String cli = Prerequisites.require("redis-cli");
        RedisCluster cluster = new RedisCluster();
        for (int i = 0; i < 3; i++) {
            cluster.nodes.add(RedisServer.startClusterNode());
        }
        List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
        for (RedisServer node : cluster.nodes) {
            create.add("127.0.0.1:" + node.port());
        }
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        cluster.awaitHealthy();
        return cluster;
    }

    public List<Integer> ports() {
        return nodes.stream().map(RedisServer::port).toList();
    }

    public void killAll() {
        nodes.forEach(RedisServer::kill);
    }

    public void restartAll() {
        nodes.forEach(RedisServer::restart);
        awaitHealthy();
    }

    /** Reads a key from whichever node owns it, with plain sockets (following MOVED), never through Jedis. */
    public String get(String key) {
        return command(key, "GET " + key);
    }

    /** Sends an inline command about {@code key} to the node that owns it (see {@link RedisServer#command}). */
    public String command(String key, String inline) {
        RedisServer node = nodes.get(0);
        for (int hop = 0; hop < 3; hop++) {
            String reply = node.command(inline);
            if (!reply.startsWith("-MOVED")) {
                return reply;
            }
            int port = Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1).trim());
            node = nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
        }
        throw new IllegalStateException("too many redirects for " + key);
    }

    private void awaitHealthy() {
        // CLUSTER INFO is a bulk reply whose first line is the state.
        await("redis cluster state ok").atMost(Duration.ofSeconds(30)).until(() ->
                nodes.stream().allMatch(n -> {
                    try {
                        return n.command("CLUSTER INFO").startsWith("cluster_state:ok");
                    } catch (UncheckedIOException e) {
                        return false;
                    }
                }));
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
