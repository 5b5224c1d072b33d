package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What JConsole sees of a simulator started with {@code -javaagent}, over the same Attach-API
 * connection JConsole uses: descriptions, operations, notifications; and the CLI's view of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JmxEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String DEFAULT_ATTRIBUTE_TEXT = "Attribute exposed for management";
    private static final String DEFAULT_OPERATION_TEXT = "Operation exposed for management";
    private static SimulatorRig rig;
    private static RedisServer redis;
    private static EmbeddedCsms csms;
    private static SimulatorJvm simulator;
    private static String pid;

    @BeforeAll
    static void start() throws Exception {
        rig = SimulatorRig.start("jmx", SimulatorJvm.JAVA, List.of(), "redis.resetTimeout=1s,jmx.registerDelay=100ms", 1, 0);
        redis = rig.redis;
        csms = rig.csms;
        simulator = rig.simulator;
        pid = rig.pid();
        await("breakers registered").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("redis")));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static ObjectName breaker(String name) throws Exception {
        return new ObjectName("io.breakwater:type=CircuitBreaker,name=" + name);
    }

    @Test
    @Order(1)
    void everyMBeanAttributeAndOperationHasTheDescriptionJConsoleShows() throws Exception {
        MBeanServerConnection jmx = simulator.jmx();
        List<ObjectName> names = List.copyOf(jmx.queryNames(new ObjectName("io.breakwater:*"), null));
        assertThat(names).extracting(ObjectName::toString).containsExactlyInAnyOrder("io.breakwater:type=Agent",
                "io.breakwater:type=CircuitBreaker,name=redis", "io.breakwater:type=CircuitBreaker,name=ocpp-csms",
                "io.breakwater:type=Fallback,name=redis", "io.breakwater:type=OfflineQueue,name=ocpp-csms");
        for (ObjectName name : names) {
            MBeanInfo info = jmx.getMBeanInfo(name);
            assertThat(info.getDescription()).as(name.toString()).isNotBlank();
            for (MBeanAttributeInfo attribute : info.getAttributes()) {
                assertThat(attribute.getDescription()).as(name + " " + attribute.getName())
                        .isNotBlank().isNotEqualTo(DEFAULT_ATTRIBUTE_TEXT);
                jmx.getAttribute(name, attribute.getName()); // every one readable, as JConsole reads them all
            }
            for (MBeanOperationInfo operation : info.getOperations()) {
                assertThat(operation.getDescription()).as(name + " " + operation.getName())
                        .isNotBlank().isNotEqualTo(DEFAULT_OPERATION_TEXT);
            }
        }
        assertThat(jmx.getMBeanInfo(breaker("redis")).getOperations()).extracting(MBeanOperationInfo::getName)
                .contains("reset", "forceOpen", "forceClosed", "transitionToClosed", "disable", "enable");
        assertThat(jmx.getMBeanInfo(breaker("redis")).getNotifications()).singleElement()
                .satisfies(n -> assertThat(n.getNotifTypes()).containsExactly(AttributeChangeNotification.ATTRIBUTE_CHANGE));
    }

    @Test
    @Order(2)
    void everyStateChangeReachesAListenerWithFromToAndReason() throws Exception {
        List<AttributeChangeNotification> received = new CopyOnWriteArrayList<>();
        NotificationListener listener = (n, handback) -> received.add((AttributeChangeNotification) n);
        MBeanServerConnection jmx = simulator.jmx();
        jmx.addNotificationListener(breaker("redis"), listener, null, null);
        try {
            assertThat(jmx.invoke(breaker("redis"), "forceOpen", null, null)).isEqualTo("forceOpen: closed -> forced_open");
            assertThat(jmx.invoke(breaker("redis"), "disable", null, null)).isEqualTo("disable: forced_open -> disabled");
            assertThat(jmx.invoke(breaker("redis"), "enable", null, null)).isEqualTo("enable: disabled -> closed");
            redis.kill(); // and an automatic one: the simulator's own calls open the breaker
            await("notifications").atMost(PATIENCE).until(() -> received.size() >= 4);
        } finally {
            redis.restart();
        }
        assertThat(received.subList(0, 4)).extracting(n -> n.getAttributeName() + " " + n.getOldValue() + " -> "
                        + n.getNewValue() + ": " + n.getUserData())
                .containsExactly("State closed -> forced_open: operator: forceOpen",
                        "State forced_open -> disabled: operator: disable",
                        "State disabled -> closed: operator: enable",
                        "State closed -> open: 5 consecutive failures");
        assertThat(received.get(3).getMessage()).contains("'redis'").contains("closed -> open");
        await("closed again").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("redis")));
        jmx.removeNotificationListener(breaker("redis"), listener);
    }

    @Test
    @Order(3)
    void anIllegalTransitionAnswersInWordsNotWithAStackTrace() throws Exception {
        Object answer = simulator.jmx().invoke(breaker("ocpp-csms"), "enable", null, null);
        assertThat(answer).isEqualTo(
                "enable refused in state closed: only a disabled breaker can be enabled (use forceClosed or reset)");
        assertThat(simulator.breakerState("ocpp-csms")).isEqualTo("closed");
    }

    @Test
    @Order(4)
    void theCliRecognisesTheJavaagentAndNeverLoadsASecondCopy() {
        BreakwaterCli.Result attach = BreakwaterCli.run("attach", pid, "redis.resetTimeout=5s");
        assertThat(attach.exitCode()).isEqualTo(1);
        assertThat(attach.errorLine()).contains("already loaded in JVM " + pid).contains(", from -javaagent)");
        assertThat(simulator.breakwaterLines()).filteredOn(l -> l.contains("protecting")).hasSize(1);

        BreakwaterCli.Result status = BreakwaterCli.run("status", pid);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains(", from -javaagent").contains("ocpp-csms").contains("redis");
    }

    @Test
    @Order(5)
    void aJavaagentCanBeDetachedToo() throws Exception {
        BreakwaterCli.Result detach = BreakwaterCli.run("detach", pid);
        assertThat(detach.exitCode()).as(detach.err()).isZero();
        assertThat(simulator.jmx().queryNames(new ObjectName("io.breakwater:*"), null)).isEmpty();
        long meterValues = csms.count("MeterValues");
        await("still charging").atMost(PATIENCE).until(() -> csms.count("MeterValues") > meterValues);
    }
}
