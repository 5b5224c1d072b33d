package io.breakwater.benchmarks;

import java.util.Locale;
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

/**
 * Benchmark 3: a GET answered from the agent's memory while the {@code redis} breaker is OPEN.
 * The fork runs with the agent; its set-up waits for the agent's MBeans (the memory mirrors Redis
 * from then on), writes and reads the key once with the breaker closed (so memory mirrors it), opens the breaker through JMX ({@code forceOpen}, as an operator would in
 * JConsole), then stops redis-server altogether: every measured call is served from memory, none
 * can reach the network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = AgentProbe.JAVAAGENT_FAST_JMX)
public class RedisOpenFallbackBenchmark {
    @Param({"Jedis", "RedisClient"})
    public String client;

    private RedisProcess redis;
    private JedisClient jedis;
    private Supplier<String> get;
    private ObjectName breaker;
    private long fallbacksAtStart;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AgentProbe.expect(true);
        redis = RedisProcess.start();
        jedis = JedisClient.open(client, redis.port());
        get = jedis.get();
        // Memory mirrors Redis once the agent takes the application to be up: it registers its MBeans right after.
        breaker = AgentProbe.awaitRedisBreaker(10, TimeUnit.SECONDS);
        jedis.setAndGet(); // closed: from Redis, and mirrored into memory
        AgentProbe.invoke(breaker, "forceOpen");
        String state = (String) AgentProbe.attribute(breaker, "State");
        if (!state.toLowerCase(Locale.ROOT).contains("open")) {
            throw new IllegalStateException("breaker is " + state + " after forceOpen");
        }
        redis.close(); // from here on, nothing can come from the network
        fallbacksAtStart = (Long) AgentProbe.attribute(breaker, "FallbackCallsTotal");
        if (!JedisClient.VALUE.equals(get.get())) {
            throw new IllegalStateException("the open breaker did not answer the GET from memory");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        long served = (Long) AgentProbe.attribute(breaker, "FallbackCallsTotal") - fallbacksAtStart;
        String state = (String) AgentProbe.attribute(breaker, "State");
        jedis.close();
        if (served < 100 || !state.toLowerCase(Locale.ROOT).contains("open")) {
            throw new IllegalStateException("only " + served + " GETs served from memory, breaker " + state);
        }
    }

    @Benchmark
    public String get_open() {
        return get.get();
    }
}
