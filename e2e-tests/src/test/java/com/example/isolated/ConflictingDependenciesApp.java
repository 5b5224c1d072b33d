package com.example.isolated;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import net.bytebuddy.ByteBuddy;
import redis.clients.jedis.RedisClient;

/**
 * An application with its own (older) resilience4j, Caffeine and Byte Buddy, run in its own JVM
 * with the Breakwater agent. It uses all three, then answers Redis commands read from standard
 * input, one reply line per command.
 */
public final class ConflictingDependenciesApp {
    public static void main(String[] args) throws Exception {
        String r4j = CircuitBreaker.ofDefaults("app").executeSupplier(() -> version(CircuitBreaker.class));
        Cache<String, String> cache = Caffeine.newBuilder().maximumSize(10).build();
        cache.put("caffeine", version(Caffeine.class));
        String bytebuddy = new ByteBuddy().subclass(Object.class).make()
                .load(ConflictingDependenciesApp.class.getClassLoader()).getLoaded().getName().isEmpty() ? "?" : version(ByteBuddy.class);
        System.out.println("READY resilience4j=" + r4j + " caffeine=" + cache.getIfPresent("caffeine") + " bytebuddy=" + bytebuddy);

        try (RedisClient redis = RedisClient.create(args[0], Integer.parseInt(args[1]));
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split(" ");
                try {
                    Object result = switch (c[0]) {
                        case "SET" -> redis.set(c[1], c[2]);
                        case "GET" -> redis.get(c[1]);
                        default -> "unknown command";
                    };
                    System.out.println("OK " + result);
                } catch (RuntimeException e) {
                    System.out.println("ERR " + e.getClass().getName());
                }
            }
        }
    }

    private static String version(Class<?> type) {
        String jar = type.getProtectionDomain().getCodeSource().getLocation().getPath();
        return jar.substring(jar.lastIndexOf('/') + 1);
    }
}
