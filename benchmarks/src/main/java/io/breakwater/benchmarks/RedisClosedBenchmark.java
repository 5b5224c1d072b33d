package io.breakwater.benchmarks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.ObjectName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Benchmark 1: what a Jedis GET and SET against a real local {@code redis-server} cost, breaker
 * CLOSED, in three JVMs:
 * <ul>
 *   <li>{@code *_plain}: no agent, no breaker;</li>
 *   <li>{@code *_agent}: the same calls in a JVM started with {@code -javaagent:breakwater-agent.jar}
 *       (defaults: breaker {@code redis}, memory fallback on, so every call is also mirrored);</li>
 *   <li>{@code *_resilience4j}: no agent, each call wrapped by hand in
 *       {@code CircuitBreaker.decorateSupplier} with the agent's breaker settings (no fallback).</li>
 * </ul>
 * Each fork starts its own redis-server. {@code client}: see {@link JedisClient}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RedisClosedBenchmark {
    @Param({"Jedis", "RedisClient"})
    public String client;

    private RedisProcess redis;
    private JedisClient jedis;
    private Supplier<String> get;
    private Supplier<String> set;
    private Supplier<String> getProtected;
    private Supplier<String> setProtected;
    private boolean withAgent;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        withAgent = params.getBenchmark().endsWith("_agent");
        AgentProbe.expect(withAgent);
        redis = RedisProcess.start();
        jedis = JedisClient.open(client, redis.port());
        get = jedis.get();
        set = jedis.set();
        CircuitBreaker breaker = Resilience4jBaseline.redisLike("redis");
        getProtected = CircuitBreaker.decorateSupplier(breaker, get);
        setProtected = CircuitBreaker.decorateSupplier(breaker, set);
        jedis.setAndGet();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            if (withAgent) {
                // The measured calls went through the agent's breaker, and it stayed closed throughout.
                ObjectName breaker = AgentProbe.awaitRedisBreaker(5, TimeUnit.SECONDS);
                long successful = (Long) AgentProbe.attribute(breaker, "SuccessfulCallsTotal");
                String state = (String) AgentProbe.attribute(breaker, "State");
                if (successful < 100 || !"closed".equalsIgnoreCase(state)) {
                    throw new IllegalStateException("agent breaker saw " + successful + " successful calls, state " + state);
                }
            }
        } finally {
            jedis.close();
            redis.close();
        }
    }

    @Benchmark
    public String get_plain() {
        return get.get();
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = AgentProbe.JAVAAGENT)
    public String get_agent() {
        return get.get();
    }

    @Benchmark
    public String get_resilience4j() {
        return getProtected.get();
    }

    @Benchmark
    public String set_plain() {
        return set.get();
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = AgentProbe.JAVAAGENT)
    public String set_agent() {
        return set.get();
    }

    @Benchmark
    public String set_resilience4j() {
        return setProtected.get();
    }
}
