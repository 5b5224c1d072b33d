package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The sample simulator in its own JVM, optionally with the Breakwater agent and the Prometheus JMX
 * exporter, as a user would start it. Output goes to a log file per run under target/jvm-logs.
 */
final class SimulatorJvm implements AutoCloseable {
    static final Path AGENT_JAR = path("breakwater.agentJar");
    static final Path SIMULATOR_JAR = path("breakwater.simulatorJar");
    static final Path EXPORTER_JAR = path("breakwater.exporterJar");
    static final Path EXPORTER_CONFIG = path("breakwater.exporterConfig");
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final Process process;
    private final Path log;
    private JMXConnector jmx;

    private SimulatorJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property " + property + " (set by the e2e-tests pom)").isNotNull();
        return Path.of(value).toAbsolutePath().normalize();
    }

    /**
     * @param agentArguments {@code null} for no Breakwater agent
     * @param exporterPort {@code 0} for no exporter
     */
    static SimulatorJvm start(String name, String agentArguments, int exporterPort, List<String> simulatorArguments) {
        return start(name, JAVA, List.of(), agentArguments, exporterPort, simulatorArguments);
    }

    /** As above, with another {@code java} binary and extra JVM options. */
    static SimulatorJvm start(String name, Path java, List<String> jvmOptions, String agentArguments, int exporterPort,
            List<String> simulatorArguments) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        if (agentArguments != null) {
            command.add("-javaagent:" + AGENT_JAR + (agentArguments.isEmpty() ? "" : "=" + agentArguments));
        }
        if (exporterPort != 0) {
            command.add("-javaagent:" + EXPORTER_JAR + "=127.0.0.1:" + exporterPort + ":" + EXPORTER_CONFIG);
        }
        command.add("-jar");
        command.add(SIMULATOR_JAR.toString());
        command.addAll(simulatorArguments);
        return launch(name, command);
    }

    /** Any {@code java} command line, its output in {@code <logDir>/<name>.log}. */
    static SimulatorJvm launch(String name, List<String> command) {
        try {
            Path dir = Path.of(System.getProperty("breakwater.logDir", "target/jvm-logs"));
            Files.createDirectories(dir);
            Path log = dir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new SimulatorJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small fleet: one connector per charge point, short sessions, MeterValues every second. */
    static List<String> runArguments(int csmsPort, String redisUri, int chargePoints, int healthPort) {
        return List.of("run", "--csms", "ws://127.0.0.1:" + csmsPort + "/ocpp", "--redis", redisUri,
                "--charge-points", String.valueOf(chargePoints), "--connectors", "1", "--meter-interval", "1",
                "--session-seconds", "3", "--health-port", String.valueOf(healthPort));
    }

    /** This module's test class path without the agent, for an application main of its own (com.example.*). */
    static String applicationClassPath() {
        return java.util.Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                        .split(File.pathSeparator))
                .filter(entry -> !entry.contains("breakwater-agent") && !entry.contains("/agent/target/"))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one line to the JVM's standard input. */
    void println(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> breakwaterLines() {
        return output().lines().filter(l -> l.startsWith("[breakwater]")).toList();
    }

    /** Connects the way JConsole does for a local JVM: Attach API, then the local connector address. */
    MBeanServerConnection jmx() {
        if (jmx == null) {
            jmx = connectJmx(process.pid());
        }
        try {
            return jmx.getMBeanServerConnection();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects to the JVM {@code pid} the way JConsole does for a local JVM: Attach API, then the local connector address. */
    static JMXConnector connectJmx(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
            try {
                return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect over JMX to " + pid, e);
        }
    }

    /** A breaker's attribute over JMX, or {@code null} while the MBean is not registered yet. */
    Object breakerAttribute(String breaker, String attribute) {
        try {
            ObjectName name = new ObjectName("io.breakwater:type=CircuitBreaker,name=" + breaker);
            MBeanServerConnection connection = jmx();
            return connection.isRegistered(name) ? connection.getAttribute(name, attribute) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any MBean's attribute over JMX, or {@code null} while it is not registered. */
    Object mbeanAttribute(String objectName, String attribute) {
        try {
            ObjectName name = new ObjectName(objectName);
            MBeanServerConnection connection = jmx();
            return connection.isRegistered(name) ? connection.getAttribute(name, attribute) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String breakerState(String breaker) {
        return (String) breakerAttribute(breaker, "State");
    }

    static String httpGet(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        try {
            if (jmx != null) {
                jmx.close();
            }
        } catch (IOException ignored) {
            // the JVM is going away anyway
        }
        stop(process);
    }

    /** Asks a process to end (SIGTERM), and kills it after 10 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean exists(Path file) {
        return new File(file.toString()).isFile();
    }
}
