package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.breakwater.agent.BreakwaterAgent;
import io.breakwater.testkit.FreePort;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code agentmain("detach")} in this JVM: the advice is taken out of the Jedis classes (not merely
 * switched off), MBeans and thread go, and a new attach installs afresh. The test leaves the agent
 * attached again, as the other tests in this JVM expect it.
 *
 * <p>The boot classes are reached reflectively in the bootstrap loader: a symbolic reference from
 * this class could load the application loader's copies first and break the agent's linking.
 */
class DetachInThisJvmTest {
    private static RedisClient deadRedis;

    @BeforeAll
    static void start() {
        AgentInThisJvm.install();
        deadRedis = RedisClient.builder()
                .hostAndPort(new HostAndPort("127.0.0.1", FreePort.find()))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(200).build())
                .build();
    }

    @AfterAll
    static void stop() {
        deadRedis.close();
    }

    @Test
    void detachRestoresTheClassesAndAReattachProtectsAgain() throws Exception {
        assertThat(deadRedis.get("never-written")).isNull(); // protected: a miss answered from memory
        Object first = dispatcher("installation");

        BreakwaterAgent.agentmain(BreakwaterAgent.DETACH, ByteBuddyAgent.install());
        try {
            assertThat(dispatcher("installation")).isNull();
            assertThat(dispatcher("redis")).isNull();
            assertThat(dispatcher("ocpp")).isNull();
            assertThat(System.getProperty(BreakwaterAgent.INSTALLED_PROPERTY)).isNull();
            assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("io.breakwater:*"), null)).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("breakwater-scheduler")));

            // Advice left in a class would call whatever interceptor is installed; none is called.
            AtomicInteger calls = new AtomicInteger();
            setDispatcher("redis", countingInterceptor(calls));
            try {
                assertThatThrownBy(() -> deadRedis.get("never-written")).isInstanceOf(JedisConnectionException.class);
            } finally {
                setDispatcher("redis", null);
            }
            assertThat(calls).hasValue(0);
        } finally {
            BreakwaterAgent.agentmain(AgentInThisJvm.ARGUMENTS, ByteBuddyAgent.install());
        }

        assertThat(dispatcher("installation")).isNotNull().isNotSameAs(first);
        assertThat(System.getProperty(BreakwaterAgent.INSTALLED_PROPERTY)).endsWith(" attached");
        assertThat(AgentInThisJvm.state("redis")).isEqualTo("closed"); // registered at once on attach
        assertThat(deadRedis.get("never-written")).isNull();
        AgentInThisJvm.invoke("redis", "reset"); // leave an empty window to the tests that follow
    }

    @Test
    void aSecondAttachLeavesTheFirstInstallationAlone() throws Exception {
        Object first = dispatcher("installation");
        BreakwaterAgent.agentmain(AgentInThisJvm.ARGUMENTS, ByteBuddyAgent.install());
        assertThat(dispatcher("installation")).isSameAs(first);
    }

    @Test
    void detachingTwiceIsHarmless() throws Exception {
        BreakwaterAgent.agentmain(BreakwaterAgent.DETACH, ByteBuddyAgent.install());
        try {
            BreakwaterAgent.agentmain(BreakwaterAgent.DETACH, ByteBuddyAgent.install());
            assertThat(dispatcher("installation")).isNull();
        } finally {
            BreakwaterAgent.agentmain(AgentInThisJvm.ARGUMENTS, ByteBuddyAgent.install());
        }
        assertThat(dispatcher("installation")).isNotNull();
    }

    private static Class<?> bootClass(String simpleName) throws ClassNotFoundException {
        return Class.forName("io.breakwater.agent.boot." + simpleName, false, null);
    }

    private static Object dispatcher(String field) throws ReflectiveOperationException {
        return bootClass("Dispatcher").getField(field).get(null);
    }

    private static void setDispatcher(String field, Object value) throws ReflectiveOperationException {
        bootClass("Dispatcher").getField(field).set(null, value);
    }

    /** Counts every call of the advice into it, whatever the interceptor's signature; it never short-circuits. */
    private static Object countingInterceptor(AtomicInteger calls) throws ClassNotFoundException {
        return Proxy.newProxyInstance(DetachInThisJvmTest.class.getClassLoader(), new Class<?>[] {bootClass("RedisInterceptor")},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("equals") ? proxy == args[0] : method.getName().equals("hashCode")
                                ? System.identityHashCode(proxy) : "counting interceptor";
                    }
                    calls.incrementAndGet();
                    return null;
                });
    }
}
