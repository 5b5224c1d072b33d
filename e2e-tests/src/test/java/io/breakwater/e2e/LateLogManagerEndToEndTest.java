package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.logging.LateLogManagerApp;
import io.breakwater.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An application that names its own {@code java.util.logging} LogManager only after it has used
 * Redis ({@link LateLogManagerApp}), as one on JBoss Modules or WildFly does. Nothing the agent does
 * at start-up may initialise JDK logging before the application is up (no Caffeine: its classes
 * take a {@code System.Logger}; no JMX), or the application silently gets the JDK's LogManager and
 * loses its logging configuration. {@code jmx.registerDelay} is longer than the test, so until a
 * breaker changes state nothing the agent does may initialise it. Redis is protected all the same.
 * Which classes were initialised is read from the JVM's own {@code -Xlog:class+init} log.
 * (ManagementFactory itself may be: on a GraalVM JDK Byte Buddy asks it for the JVM's arguments,
 * which initialises no logging.)
 */
class LateLogManagerEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** A line of {@code -Xlog:class+init=info}: {@code ... Initializing 'java/util/logging/LogManager' ...}. */
    private static final Pattern INITIALIZING = Pattern.compile("Initializing '([^']+)'");

    private final AtomicInteger commands = new AtomicInteger();

    @Test
    void theApplicationGetsItsOwnLogManagerAndRedisIsStillProtected() throws Exception {
        Path classInit = Path.of(System.getProperty("breakwater.logDir", "target/jvm-logs"), "late-logmanager-class-init.log")
                .toAbsolutePath();
        Files.createDirectories(classInit.getParent());
        Files.deleteIfExists(classInit);
        try (RedisServer redis = RedisServer.start();
                SimulatorJvm app = SimulatorJvm.launch("late-logmanager", List.of(SimulatorJvm.JAVA.toString(), "-Xmx128m",
                        "-Xlog:class+init=info:file=" + classInit,
                        "-javaagent:" + SimulatorJvm.AGENT_JAR + "=jmx.registerDelay=1h,redis.resetTimeout=1h",
                        "-cp", SimulatorJvm.applicationClassPath(), LateLogManagerApp.class.getName(), String.valueOf(redis.port())))) {
            await("the application used Redis").atMost(PATIENCE).until(() -> app.output().contains("READY yes"));
            await("the agent's start is complete").atMost(PATIENCE)
                    .until(() -> app.breakwaterLines().stream().anyMatch(l -> l.contains("protecting redis")));
            assertThat(initialised(classInit)).as("classes the JVM initialised before the application named its LogManager")
                    .contains("redis/clients/jedis/Connection")
                    .noneMatch(name -> name.equals("java/util/logging/LogManager") || name.contains("/caffeine/")
                            || name.equals("com/sun/jmx/mbeanserver/JmxMBeanServer")); // the platform MBeanServer

            assertThat(reply(app, "LOGMANAGER")).isEqualTo("OK " + LateLogManagerApp.AppLogManager.class.getName());

            redis.kill();
            for (int i = 0; i < 6; i++) {
                assertThat(reply(app, "SET late-logmanager:outage kept-" + i)).as("answered from memory while Redis is down")
                        .isEqualTo("OK OK");
            }
            assertThat(reply(app, "GET late-logmanager:outage")).isEqualTo("OK kept-5");
            await("the breaker opened (its MBeans appear at the first state change)").atMost(PATIENCE)
                    .until(() -> "open".equals(app.breakerState("redis")));
            assertThat(app.isAlive()).isTrue();
        }
    }

    /** Internal names of the classes the class+init log says were initialised, so far. */
    private static List<String> initialised(Path classInit) {
        try {
            return Files.readAllLines(classInit).stream()
                    .map(INITIALIZING::matcher)
                    .filter(Matcher::find)
                    .map(found -> found.group(1))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code command} to the application and waits for its reply line. */
    private String reply(SimulatorJvm app, String command) {
        String id = "c" + commands.incrementAndGet();
        app.println(id + " " + command);
        String prefix = id + " ";
        await("reply to " + command).atMost(PATIENCE).until(() -> app.output().lines().anyMatch(l -> l.startsWith(prefix)));
        return app.output().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }
}
