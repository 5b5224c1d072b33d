package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;

/**
 * The shaded agent in a JVM whose application brings its own resilience4j 1.7.1, Caffeine 2 and
 * Byte Buddy 1.12: both sides keep their own copies, and Redis is still protected.
 */
class ConflictingDependenciesEndToEndTest {

    @Test
    void theApplicationsOwnCopiesOfOurDependenciesAreUntouchedAndRedisIsProtected() throws Exception {
        String classPath = SimulatorJvm.applicationClassPath();
        try (RedisServer redis = RedisServer.start()) {
            Process app = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-javaagent:" + SimulatorJvm.AGENT_JAR + "=redis.resetTimeout=500ms,ocpp.enabled=false,jmx.registerDelay=100ms",
                            "-cp", classPath, "com.example.isolated.ConflictingDependenciesApp",
                            "127.0.0.1", String.valueOf(redis.port())))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter in = new PrintWriter(app.getOutputStream(), true, StandardCharsets.UTF_8)) {
                assertThat(line(out)).isEqualTo("READY resilience4j=resilience4j-circuitbreaker-1.7.1.jar"
                        + " caffeine=caffeine-2.9.3.jar bytebuddy=byte-buddy-1.12.23.jar");
                // The memory mirrors what Redis answers once the agent takes the application to be up (when it
                // registers its MBeans), not before: see docs/configuration.md.
                try (JMXConnector jmx = SimulatorJvm.connectJmx(app.pid())) {
                    await("the agent takes the application to be up").atMost(Duration.ofSeconds(15)).until(() -> jmx
                            .getMBeanServerConnection().isRegistered(new ObjectName("io.breakwater:type=Fallback,name=redis")));
                }
                in.println("SET conflict:key value");
                assertThat(line(out)).isEqualTo("OK OK");
                in.println("GET conflict:key");
                assertThat(line(out)).isEqualTo("OK value");

                redis.kill();
                for (int i = 0; i < 8; i++) {
                    in.println("GET conflict:key");
                    assertThat(line(out)).as("answered from memory while Redis is down").isEqualTo("OK value");
                }
                redis.restart();
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    in.println("SET conflict:after back");
                    return line(out).equals("OK OK") && "back".equals(redis.command("GET conflict:after"));
                });
            } finally {
                app.destroy();
                app.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String line(BufferedReader out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(20, TimeUnit.SECONDS);
    }
}
