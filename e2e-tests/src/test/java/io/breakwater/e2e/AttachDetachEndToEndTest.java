package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import com.sun.tools.attach.VirtualMachine;
import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.RedisServer;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The attach CLI against a simulator JVM started without any agent: attach, protect, refuse a
 * second copy, detach back to the simulator's own behaviour, attach again, and 20 cycles that
 * leave the JVM's threads and classes where they were.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttachDetachEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static SimulatorRig rig;
    private static RedisServer redis;
    private static EmbeddedCsms csms;
    private static SimulatorJvm simulator;
    private static String pid;
    private static int healthPort;
    private static int exporterPort;

    @BeforeAll
    static void start() throws Exception {
        healthPort = FreePort.find();
        exporterPort = FreePort.find();
        rig = SimulatorRig.start("attach-detach", SimulatorJvm.JAVA, List.of(), null, 2, healthPort);
        redis = rig.redis;
        csms = rig.csms;
        simulator = rig.simulator;
        pid = rig.pid();
        await("simulator charging").atMost(PATIENCE).until(() -> csms.count("MeterValues") >= 2);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    @Order(1)
    void listShowsTheSimulatorWithoutBreakwater() {
        BreakwaterCli.Result list = BreakwaterCli.run("list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().filter(l -> l.startsWith(pid + " ")))
                .singleElement().asString().contains(" no ").endsWith("sample-simulator.jar");
    }

    @Test
    @Order(2)
    void attachLoadsBreakwaterAndTheExporter() {
        BreakwaterCli.Result attach = BreakwaterCli.run("attach", pid, "redis.resetTimeout=1s,ocpp.resetTimeout=1s",
                "--prometheus", "127.0.0.1:" + exporterPort);
        assertThat(attach.exitCode()).as(attach.err()).isZero();
        assertThat(attach.out()).contains("attached to JVM " + pid).contains("http://127.0.0.1:" + exporterPort + "/metrics");

        BreakwaterCli.Result status = BreakwaterCli.run("status", pid);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains(", attached");
        assertThat(status.out().lines()).anyMatch(l -> l.startsWith("redis ") && l.contains("closed"))
                .anyMatch(l -> l.startsWith("ocpp-csms ") && l.contains("closed"))
                .anyMatch(l -> l.startsWith("fallback redis: "));
        assertThat(BreakwaterCli.run("list").out()).contains("yes (").contains(", attached)");
        await("exporter serves the breakers").atMost(PATIENCE).until(() -> SimulatorJvm.httpGet(
                "http://127.0.0.1:" + exporterPort + "/metrics").contains("resilience4j_circuitbreaker_state{name=\"redis\",state=\"closed\"} 1.0"));
        assertThat(simulator.breakwaterLines()).filteredOn(l -> l.contains("protecting")).hasSize(1);
    }

    @Test
    @Order(3)
    void aSecondCopyIsRefusedByTheCliAndByTheTargetItself() throws Exception {
        BreakwaterCli.Result again = BreakwaterCli.run("attach", pid);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.errorLine()).contains("already loaded in JVM " + pid).contains(", attached)");

        // Past the CLI, straight through the Attach API: the agent in the target refuses too.
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(SimulatorJvm.AGENT_JAR.toString(), "");
        } finally {
            vm.detach();
        }
        assertThat(simulator.breakwaterLines()).contains("[breakwater] already installed in this JVM; ignoring this attach request")
                .filteredOn(l -> l.contains("protecting")).hasSize(1);
        assertThat(simulator.jmx().queryNames(new ObjectName("io.breakwater:type=CircuitBreaker,*"), null)).hasSize(2);
    }

    @Test
    @Order(4)
    void whileAttachedARedisOutageIsAnsweredFromMemory() {
        long failedBefore = redisCommandsFailed();
        redis.kill();
        await("redis breaker OPEN").atMost(PATIENCE).until(() -> "open".equals(simulator.breakerState("redis")));
        await("fallback answers").atMost(PATIENCE).until(() -> (Long) simulator.breakerAttribute("redis", "FallbackCallsTotal") >= 10);
        assertThat(redisCommandsFailed()).as("Redis failures that reached the simulator").isEqualTo(failedBefore);

        redis.restart();
        await("redis breaker CLOSED").atMost(PATIENCE).until(() -> "closed".equals(simulator.breakerState("redis")));
    }

    @Test
    @Order(5)
    void detachGivesTheSimulatorItsOwnBehaviourBack() throws Exception {
        BreakwaterCli.Result detach = BreakwaterCli.run("detach", pid);
        assertThat(detach.exitCode()).as(detach.err()).isZero();
        assertThat(detach.out()).contains("detached from JVM " + pid);

        assertThat(simulator.jmx().queryNames(new ObjectName("io.breakwater:*"), null)).isEmpty();
        assertThat(threadNames()).noneMatch(name -> name.startsWith("breakwater"));
        assertThat(BreakwaterCli.run("list").out().lines().filter(l -> l.startsWith(pid + " "))).singleElement()
                .asString().contains(" no ");
        BreakwaterCli.Result status = BreakwaterCli.run("status", pid);
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.errorLine()).contains("not loaded in JVM " + pid);

        long failedBefore = redisCommandsFailed();
        redis.kill();
        await("Redis failures reach the simulator again").atMost(PATIENCE).until(() -> redisCommandsFailed() >= failedBefore + 5);
        assertThat(SimulatorJvm.httpGet("http://127.0.0.1:" + healthPort + "/health")).contains("\"breakers\":{}");
        redis.restart();
    }

    @Test
    @Order(6)
    void aSecondExporterIsRefusedBeforeTheTargetIsTouchedAndAReattachProtectsAgain() {
        // The exporter loaded in step 2 is still there (on its port, or asked for another), and a second would exit the JVM.
        for (int port : new int[] {exporterPort, FreePort.find()}) {
            BreakwaterCli.Result secondExporter = BreakwaterCli.run("attach", pid, "--prometheus", "127.0.0.1:" + port);
            assertThat(secondExporter.exitCode()).isEqualTo(1);
            assertThat(secondExporter.errorLine()).isEqualTo("breakwater: JVM " + pid + " already runs the Prometheus exporter"
                    + " (at http://127.0.0.1:" + exporterPort + "/metrics, loaded by an earlier attach), which serves"
                    + " Breakwater's MBeans too; a second one would exit the JVM: attach without --prometheus");
            assertThat(simulator.isAlive()).isTrue();
            assertThat(BreakwaterCli.run("status", pid).exitCode()).as("nothing attached").isEqualTo(1);
        }

        BreakwaterCli.Result attach = BreakwaterCli.run("attach", pid);
        assertThat(attach.exitCode()).as(attach.err()).isZero();
        long calls = (Long) simulator.breakerAttribute("redis", "TotalCalls");
        await("the new breakers count the simulator's calls").atMost(PATIENCE)
                .until(() -> (Long) simulator.breakerAttribute("redis", "TotalCalls") > calls);
        assertThat(BreakwaterCli.run("detach", pid).exitCode()).isZero();
    }

    @Test
    @Order(7)
    void twentyAttachDetachCyclesLeaveThreadsAndLoadedClassesBounded() throws Exception {
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(simulator.jmx(),
                ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        ClassLoadingMXBean classes = ManagementFactory.newPlatformMXBeanProxy(simulator.jmx(),
                ManagementFactory.CLASS_LOADING_MXBEAN_NAME, ClassLoadingMXBean.class);
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(simulator.jmx(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            cycle(vm);
            memory.gc();
            int threadsAfterFirst = threads.getThreadCount();
            int classesAfterFirst = classes.getLoadedClassCount();
            // HotSpot counts every class version a retransformation makes as a loaded class, and attach and
            // detach each retransform every instrumented class once: those counts are not classes left behind.
            int retransformed = 0;
            for (int i = 2; i <= 20; i++) {
                retransformed += 2 * cycle(vm);
            }
            memory.gc();
            int growth = classes.getLoadedClassCount() - classesAfterFirst - retransformed;
            System.out.printf("cycles 2-20: threads %d -> %d; loaded classes +%d, of which %d retransformed class versions%n",
                    threadsAfterFirst, threads.getThreadCount(), growth + retransformed, retransformed);
            assertThat(threads.getThreadCount()).isLessThanOrEqualTo(threadsAfterFirst + 3);
            // What remains is the JVM's, not the agent's: the lambdas it links anew in each restored application
            // class (one or two per cycle here) and reflection accessors it generates once. A per-cycle leak of
            // the agent's own (a class or thread per attach) would break these bounds.
            assertThat(growth).isLessThanOrEqualTo(100);
        } finally {
            vm.detach();
        }
        assertThat(simulator.isAlive()).isTrue();
        long meterValues = csms.count("MeterValues");
        await("still charging").atMost(PATIENCE).until(() -> csms.count("MeterValues") > meterValues);
    }

    /** @return how many classes the agent had instrumented while attached */
    private static int cycle(VirtualMachine vm) throws Exception {
        vm.loadAgent(SimulatorJvm.AGENT_JAR.toString(), "");
        assertThat(vm.getSystemProperties().getProperty("breakwater.agent")).endsWith(" attached");
        int instrumented = ((String[]) simulator.jmx().getAttribute(new ObjectName("io.breakwater:type=Agent"),
                "InstrumentedClasses")).length;
        vm.loadAgent(SimulatorJvm.AGENT_JAR.toString(), "detach");
        assertThat(vm.getSystemProperties().getProperty("breakwater.agent")).isNull();
        return instrumented;
    }

    private static String[] threadNames() throws Exception {
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(simulator.jmx(),
                ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        return Arrays.stream(threads.dumpAllThreads(false, false)).map(ThreadInfo::getThreadName).toArray(String[]::new);
    }

    /** Redis commands that failed in the simulator's own code: what it sees of Redis outages. */
    private static long redisCommandsFailed() {
        String body = SimulatorJvm.httpGet("http://127.0.0.1:" + healthPort + "/health/detailed");
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("simulator").get("redisCommandsFailed").getAsLong();
    }
}
