package io.breakwater.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The application for benchmarks/startup.sh: loads the Jedis classes the agent instruments (so a
 * {@code -javaagent} run pays for transforming them) and exits. With {@code --wait} it stays up
 * after printing {@code ready} until its standard input closes, as a target to attach to.
 */
public final class StartupProbe {
    private static final String[] INSTRUMENTED = {
        "redis.clients.jedis.Connection", "redis.clients.jedis.UnifiedJedis", "redis.clients.jedis.Jedis",
        "redis.clients.jedis.JedisPool", "redis.clients.jedis.RedisClient",
    };

    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        for (String name : INSTRUMENTED) {
            Class.forName(name, true, StartupProbe.class.getClassLoader());
        }
        System.out.println("ready");
        if (args.length > 0 && args[0].equals("--wait")) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // Until the benchmark closes our input.
                }
            }
        }
    }
}
