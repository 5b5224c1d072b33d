package io.breakwater.agent.instrument;

import io.breakwater.agent.BreakwaterAgent;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Installs the agent into the test JVM, the way {@code attach} does, with short timeouts. A JUnit
 * launcher listener ({@link InstallAgentFirst}) does it before any test class loads, so that the
 * bootstrap classes are never loaded from the test class path first.
 */
public final class AgentInThisJvm {
    static final String ARGUMENTS = "redis.resetTimeout=300ms,redis.callTimeout=2s,ocpp.resetTimeout=300ms,"
            + "ocpp.callTimeout=500ms,jmx.registerDelay=50ms,ocpp.offline.transactionMessageAttempts=2,ocpp.offline.transactionMessageRetryInterval=100ms,ocpp.targets=generic,"
            + "ocpp.generic.class=com.example.ocpp.FakeOcppClient,ocpp.generic.method=send,"
            + "ocpp.generic.failFastException=com.example.ocpp.FakeOcppClient$NotConnected";
    private AgentInThisJvm() {}

    /** Installs the agent unless it is (still or again) installed, and waits for its MBeans. */
    public static synchronized void install() {
        if (System.getProperty(BreakwaterAgent.INSTALLED_PROPERTY) == null) {
            BreakwaterAgent.agentmain(ARGUMENTS, ByteBuddyAgent.install());
        }
        org.awaitility.Awaitility.await("agent MBeans registered").atMost(java.time.Duration.ofSeconds(10))
                .until(() -> ManagementFactory.getPlatformMBeanServer()
                        .isRegistered(new ObjectName("io.breakwater:type=CircuitBreaker,name=ocpp-csms")));
    }

    static Object attribute(String breaker, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName("io.breakwater:type=CircuitBreaker,name=" + breaker), attribute);
    }

    static String state(String breaker) {
        try {
            return (String) attribute(breaker, "State");
        } catch (Exception e) {
            return "unregistered";
        }
    }

    static Object invoke(String breaker, String operation) throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName("io.breakwater:type=CircuitBreaker,name=" + breaker), operation, null, null);
    }
}
