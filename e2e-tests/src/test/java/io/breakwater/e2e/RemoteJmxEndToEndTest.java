package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.breakwater.testkit.FreePort;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote JMX set up from the jmx-config templates as docs/operations.md tells (TLS off for the
 * test, on a free loopback port): the read-only role reads but cannot act, the operator can.
 */
class RemoteJmxEndToEndTest {
    private static final Path JMX_CONFIG = Path.of(System.getProperty("breakwater.projectDir"), "jmx-config");
    private static final String MONITOR_PASSWORD = "monitor-test-password";
    private static final String OPERATOR_PASSWORD = "operator-test-password";
    @TempDir
    static Path dir;
    private static int port;
    private static SimulatorJvm simulator;

    @BeforeAll
    static void start() throws IOException {
        port = FreePort.find();
        Path passwords = dir.resolve("jmxremote.password");
        Files.writeString(passwords, Files.readString(JMX_CONFIG.resolve("jmxremote.password.template"))
                .replace("CHANGE-ME-monitor-password", MONITOR_PASSWORD)
                .replace("CHANGE-ME-operator-password", OPERATOR_PASSWORD));
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));

        Properties management = new Properties();
        try (Reader in = Files.newBufferedReader(JMX_CONFIG.resolve("management.properties"))) {
            management.load(in);
        }
        management.setProperty("com.sun.management.jmxremote.port", String.valueOf(port));
        management.setProperty("com.sun.management.jmxremote.rmi.port", String.valueOf(port));
        management.setProperty("com.sun.management.jmxremote.host", "127.0.0.1");
        management.setProperty("com.sun.management.jmxremote.password.file", passwords.toString());
        management.setProperty("com.sun.management.jmxremote.access.file", JMX_CONFIG.resolve("jmxremote.access").toString());
        management.setProperty("com.sun.management.jmxremote.ssl", "false");
        management.setProperty("com.sun.management.jmxremote.registry.ssl", "false");
        management.remove("com.sun.management.jmxremote.ssl.config.file");
        Path file = dir.resolve("management.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            management.store(out, "from jmx-config/management.properties, TLS off for the test");
        }

        // No Redis and no CSMS: the breakers exist all the same, which is all this test reads.
        simulator = SimulatorJvm.start("remote-jmx", SimulatorJvm.JAVA,
                List.of("-Dcom.sun.management.config.file=" + file, "-Djava.rmi.server.hostname=127.0.0.1"),
                "jmx.registerDelay=100ms", 0,
                SimulatorJvm.runArguments(FreePort.find(), "redis://127.0.0.1:" + FreePort.find(), 1, 0));
        await("remote connector up, breakers registered").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> {
                    try (JMXConnector c = connect("monitor", MONITOR_PASSWORD)) {
                        return c.getMBeanServerConnection().isRegistered(breaker());
                    }
                });
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private static ObjectName breaker() throws Exception {
        return new ObjectName("io.breakwater:type=CircuitBreaker,name=ocpp-csms");
    }

    private static JMXConnector connect(String user, String password) throws IOException {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        Map<String, Object> environment = user == null ? Map.of() : Map.of(JMXConnector.CREDENTIALS, new String[] {user, password});
        return JMXConnectorFactory.connect(url, environment);
    }

    @Test
    void theReadOnlyRoleReadsEverythingButCannotInvokeOperations() throws Exception {
        try (JMXConnector c = connect("monitor", MONITOR_PASSWORD)) {
            MBeanServerConnection jmx = c.getMBeanServerConnection();
            assertThat(jmx.getAttribute(breaker(), "State")).isEqualTo("closed");
            assertThat(jmx.getAttribute(breaker(), "StateHistory")).isNotNull();
            assertThat(jmx.getMBeanInfo(breaker()).getOperations()).isNotEmpty(); // JConsole lists them, greyed out in effect
            assertThatThrownBy(() -> jmx.invoke(breaker(), "forceOpen", null, null))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("Access denied");
            assertThat(jmx.getAttribute(breaker(), "State")).isEqualTo("closed");
        }
    }

    @Test
    void theOperatorRoleInvokesOperations() throws Exception {
        try (JMXConnector c = connect("operator", OPERATOR_PASSWORD)) {
            MBeanServerConnection jmx = c.getMBeanServerConnection();
            assertThat(jmx.invoke(breaker(), "forceOpen", null, null)).isEqualTo("forceOpen: closed -> forced_open");
            assertThat(jmx.invoke(breaker(), "reset", null, null)).isEqualTo("reset: forced_open -> closed");
        }
    }

    @Test
    void aWrongPasswordOrNoneIsRefused() {
        assertThatThrownBy(() -> connect("operator", "guess").close())
                .isInstanceOf(SecurityException.class).hasMessageContaining("Authentication failed");
        assertThatThrownBy(() -> connect(null, null).close()).isInstanceOf(SecurityException.class);
    }
}
