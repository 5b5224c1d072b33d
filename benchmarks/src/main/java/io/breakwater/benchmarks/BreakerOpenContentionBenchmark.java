package io.breakwater.benchmarks;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
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
 * One and four threads asking an OPEN breaker for permission (ns per call and thread), no agent in
 * the JVM: the agent's {@link Breaker} against hand-written resilience4j with the same settings,
 * both its bare {@code tryAcquirePermission} (what the agent's breaker answers) and
 * {@code executeSupplier}, as an application would write it (the rejection is a
 * {@code CallNotPermittedException}, without a stack trace as the agent configures it). The
 * breakers opened by five failures with a 30 s reset timeout, longer than a fork runs, so every
 * call is a rejection. Each method sets its own thread count, so one run measures all of them:
 * do not pass {@code -t}, which would override both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
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
    @Threads(1)
    public boolean breaker_open_1t() {
        return breaker.tryAcquirePermission();
    }

    @Benchmark
    @Threads(4)
    public boolean breaker_open_4t() {
        return breaker.tryAcquirePermission();
    }

    @Benchmark
    @Threads(1)
    public boolean resilience4j_open_1t() {
        return r4j.tryAcquirePermission();
    }

    @Benchmark
    @Threads(4)
    public boolean resilience4j_open_4t() {
        return r4j.tryAcquirePermission();
    }

    @Benchmark
    @Threads(1)
    public Object resilience4j_executeSupplier_open_1t() {
        return executeSupplier();
    }

    @Benchmark
    @Threads(4)
    public Object resilience4j_executeSupplier_open_4t() {
        return executeSupplier();
    }

    private Object executeSupplier() {
        try {
            return r4j.executeSupplier(this::neverCalled);
        } catch (CallNotPermittedException rejected) {
            return rejected;
        }
    }

    private Object neverCalled() {
        throw new IllegalStateException("an OPEN breaker let a call through");
    }
}
