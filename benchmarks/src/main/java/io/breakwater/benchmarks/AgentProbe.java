package io.breakwater.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a benchmark fork knows about the Breakwater agent in its own JVM: whether it is there (the
 * system property the agent sets once installed) and the {@code redis} breaker's MBean. Each
 * benchmark checks that its fork has the agent exactly when it should, so a wrong working directory
 * (the {@code -javaagent} path is relative to the repository root) fails loudly instead of
 * measuring the wrong thing.
 */
final class AgentProbe {
    /** The JVM option of the instrumented forks; relative to the repository root, where run.sh starts JMH. */
    static final String JAVAAGENT = "-javaagent:agent/target/breakwater-agent.jar";
    /** The same, with the MBeans registered 100 ms after start instead of 2 s. */
    static final String JAVAAGENT_FAST_JMX = JAVAAGENT + "=jmx.registerDelay=100ms";

    static final String REDIS_BREAKER = "io.breakwater:type=CircuitBreaker,name=redis";

    private AgentProbe() {}

    static boolean installed() {
        String value = System.getProperty("breakwater.agent");
        return value != null && !value.isEmpty();
    }

    /** Throws unless the agent is installed in this JVM exactly when {@code expected}. */
    static void expect(boolean expected) {
        boolean installed = installed();
        if (installed != expected) {
            throw new IllegalStateException(expected
                    ? "the Breakwater agent is not installed in this fork: run from the repository root after building "
                            + "agent/target/breakwater-agent.jar (benchmarks/run.sh does both); JVM arguments: "
                            + ManagementFactory.getRuntimeMXBean().getInputArguments()
                    : "the Breakwater agent is installed in a fork meant to run without it");
        }
    }

    /** The redis breaker's MBean, waiting (bounded) for the agent to register it. */
    static ObjectName awaitRedisBreaker(long timeout, TimeUnit unit) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(REDIS_BREAKER);
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("MBean " + name + " not registered within " + timeout + " " + unit);
            }
            Thread.sleep(10);
        }
        return name;
    }

    static Object attribute(ObjectName name, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
    }

    static Object invoke(ObjectName name, String operation) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().invoke(name, operation, null, null);
    }
}
