package io.breakwater.benchmarks;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Four threads asking an OPEN breaker for permission at once (ns per call and thread), no agent in
 * the JVM: the agent's {@link Breaker}, which asks resilience4j under its own lock outside the
 * CLOSED fast path, against resilience4j alone. The breakers opened by five failures with a 30 s
 * reset timeout, longer than a fork runs, so every call is a rejection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(4)
public class BreakerOpenContentionBenchmark {
    private ScheduledThreadPoolExecutor scheduler;
    private Breaker breaker;
    private CircuitBreaker r4j;

    @Setup(Level.Trial)
    public void setUp() {
        AgentProbe.expect(false);
        scheduler = BreakerOverheadBenchmark.daemonScheduler();
        breaker = new Breaker(BreakerSettings.redisDefaults(), scheduler);
        for (int i = 0; i < 5; i++) {
            breaker.tryAcquirePermission();
            breaker.record(1_000, Outcome.FAILURE, new IOException("down"));
        }
        r4j = Resilience4jBaseline.redisLike("r4j-open");
        r4j.transitionToOpenState();
        if (!breaker.state().equals("open") || r4j.getState() != CircuitBreaker.State.OPEN) {
            throw new IllegalStateException("not open: " + breaker.state() + ", " + r4j.getState());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
        if (!breaker.state().equals("open")) {
            throw new IllegalStateException("breaker left OPEN: " + breaker.state());
        }
    }

    @Benchmark
    public boolean breaker_open() {
        return breaker.tryAcquirePermission();
    }

    @Benchmark
    public boolean resilience4j_open() {
        return r4j.tryAcquirePermission();
    }
}
