package io.breakwater.benchmarks;

import io.breakwater.agent.boot.RedisInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.BreakerSettings;
import io.breakwater.agent.redis.RedisGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.RedisProtocol;

/**
 * Benchmark 2: the breaker path alone, without network, in ns per call, breaker CLOSED, no agent in
 * the JVM. The agent's classes come from the agent module (relocated inside benchmarks.jar, so
 * they never meet a real agent).
 * <ul>
 *   <li>{@code baseline}: the trivial operation alone (a field read);</li>
 *   <li>{@code timing_only}: the operation between the two {@code System.nanoTime()} calls every
 *       protected call makes (the breaker must time calls to count slow ones): the clock's share of
 *       {@code breaker}, a floor no breaker that times its calls can go below;</li>
 *   <li>{@code breaker}: the agent's {@link Breaker} around it, as its Redis guard drives it:
 *       {@code tryAcquirePermission}, two {@code System.nanoTime()}, {@code record(SUCCESS)};</li>
 *   <li>{@code guard_noFallback} / {@code guard_mirror}: the agent's whole per-call Redis path,
 *       {@link RedisGuard#enter} and {@link RedisGuard#exit} for a Jedis GET command object, with the
 *       memory fallback off, and on (the GET's reply is then mirrored into the Caffeine store), and
 *       for a SET with the fallback on ({@code guard_mirror_set}) — everything the inlined advice
 *       calls, without the advice's own few instructions;</li>
 *   <li>{@code resilience4j_*}: hand-written resilience4j with the same settings:
 *       {@code executeSupplier} (the usual idiom), a pre-built {@code decorateSupplier}, and
 *       {@code executeSupplier} on a breaker with a state-transition listener registered, as the
 *       agent's had before it detected transitions itself (what any event consumer costs).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class BreakerOverheadBenchmark {
    private String payload = "value";

    private ScheduledThreadPoolExecutor scheduler;
    private Breaker breaker;
    private Breaker guardNoFallbackBreaker;
    private Breaker guardMirrorBreaker;
    private RedisInterceptor guardNoFallback;
    private RedisInterceptor guardMirror;
    private CommandObject<String> getCommand;
    private CommandObject<String> setCommand;
    private String ok = "OK";
    private final Object client = new Object();
    private CircuitBreaker r4j;
    private CircuitBreaker r4jWithListener;
    private Supplier<String> r4jDecorated;

    @Setup(Level.Trial)
    public void setUp() {
        AgentProbe.expect(false);
        scheduler = daemonScheduler();
        breaker = new Breaker(BreakerSettings.redisDefaults(), scheduler);
        guardNoFallbackBreaker = new Breaker(BreakerSettings.redisDefaults(), scheduler);
        guardMirrorBreaker = new Breaker(BreakerSettings.redisDefaults(), scheduler);
        guardNoFallback = RedisGuard.create(guardNoFallbackBreaker, false, 64L << 20, 100_000);
        RedisGuard mirroring = RedisGuard.create(guardMirrorBreaker, true, 64L << 20, 100_000);
        mirroring.buildFallback(); // as the agent does once the application is up: from then on calls are mirrored
        guardMirror = mirroring;
        CommandObjects commands = new CommandObjects(RedisProtocol.RESP2);
        getCommand = commands.get(JedisClient.KEY);
        setCommand = commands.set(JedisClient.KEY, JedisClient.VALUE);
        r4j = Resilience4jBaseline.redisLike("r4j");
        r4jWithListener = Resilience4jBaseline.redisLike("r4j-listener");
        r4jWithListener.getEventPublisher().onStateTransition(event -> { });
        r4jDecorated = CircuitBreaker.decorateSupplier(r4j, this::operation);
    }

    /** The agent's breakers need a scheduler; a daemon one, as the agent's own. */
    static ScheduledThreadPoolExecutor daemonScheduler() {
        return new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bench-breaker-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
        for (Breaker b : new Breaker[] {breaker, guardNoFallbackBreaker, guardMirrorBreaker}) {
            // Every permitted call was recorded as a success, and nothing opened a breaker.
            if (!b.state().equals("closed") || b.failedCalls() != 0 || b.notPermittedCalls() != 0) {
                throw new IllegalStateException("breaker " + b.state() + " after " + b.successfulCalls() + " calls");
            }
        }
    }

    /** The trivial operation every variant protects. */
    private String operation() {
        return payload;
    }

    @Benchmark
    public String baseline() {
        return operation();
    }

    @Benchmark
    public long timing_only() {
        long start = System.nanoTime();
        String result = operation();
        return System.nanoTime() - start + result.length();
    }

    @Benchmark
    public String breaker() {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        long start = System.nanoTime();
        String result = operation();
        breaker.record(System.nanoTime() - start, Outcome.SUCCESS, null);
        return result;
    }

    @Benchmark
    public Object guard_noFallback() {
        return guarded(guardNoFallback, getCommand, payload);
    }

    @Benchmark
    public Object guard_mirror() {
        return guarded(guardMirror, getCommand, payload);
    }

    @Benchmark
    public Object guard_mirror_set() {
        return guarded(guardMirror, setCommand, ok);
    }

    /**
     * What {@code RedisCommandAdvice} does around {@code executeCommand}, minus the Dispatcher read;
     * the "call" answers {@code reply} (the value for GET, "OK" for SET).
     */
    private Object guarded(RedisInterceptor guard, CommandObject<String> command, String reply) {
        Object token = guard.enter(client, command);
        if (token instanceof ShortCircuit s) {
            return s.value;
        }
        long start = System.nanoTime();
        String result = reply;
        ShortCircuit replacement = token == null ? null : guard.exit(token, command, start, result, null);
        return replacement == null ? result : replacement.value;
    }

    @Benchmark
    public String resilience4j_executeSupplier() {
        return r4j.executeSupplier(this::operation);
    }

    @Benchmark
    public String resilience4j_decorated() {
        return r4jDecorated.get();
    }

    @Benchmark
    public String resilience4j_withListener_executeSupplier() {
        return r4jWithListener.executeSupplier(this::operation);
    }
}
