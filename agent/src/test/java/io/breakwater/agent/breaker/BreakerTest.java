package io.breakwater.agent.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.agent.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BreakerTest {
    private static final long FAST = 1_000_000; // 1 ms
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private Breaker breaker(Duration reset) {
        return new Breaker(new BreakerSettings("test", true, 5, 2, Duration.ofSeconds(1), reset), scheduler);
    }

    private static void fail(Breaker b, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(b.tryAcquirePermission()).isTrue();
            b.record(FAST, Outcome.FAILURE, new IOException("down"));
        }
    }

    private static void succeed(Breaker b, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(b.tryAcquirePermission()).isTrue();
            b.record(FAST, Outcome.SUCCESS, null);
        }
    }

    /** The automatic transition runs on the scheduler thread: wait until its bookkeeping is done too. */
    private static void awaitHalfOpen(Breaker b) {
        await().atMost(Duration.ofSeconds(5)).until(() -> b.state().equals("half_open")
                && !b.history().isEmpty() && b.history().get(b.history().size() - 1).to().equals("half_open"));
    }

    /**
     * Transitions made by many threads at once: whatever their order, the breaker must never be left OPEN with no
     * reset timer (it would refuse every call for good): once the storm is over it still reaches HALF_OPEN and closes
     * on two successful probes. (An event-driven Breaker once lost its reset timer to a late event this way.)
     */
    @Test
    void aStormOfConcurrentTransitionsNeverLeavesTheBreakerStuckOpen() throws Exception {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Breaker b = new Breaker(new BreakerSettings("storm", true, 5, 2, Duration.ofMillis(2),
                        Duration.ofMillis(1)), timers);
                Thread[] threads = new Thread[4];
                long until = System.nanoTime() + 100_000_000L;
                for (int t = 0; t < threads.length; t++) {
                    boolean failing = t % 2 == 0;
                    threads[t] = new Thread(() -> {
                        while (System.nanoTime() < until) {
                            if (b.tryAcquirePermission()) {
                                b.record(FAST, failing ? Outcome.FAILURE : Outcome.SUCCESS,
                                        failing ? new IOException("down") : null);
                            }
                        }
                    });
                    threads[t].start();
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                await("round " + round + " recovers from " + b.state()).atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(1)).until(() -> {
                            if (b.tryAcquirePermission()) {
                                b.record(FAST, Outcome.SUCCESS, null);
                            }
                            return b.state().equals("closed");
                        });
            }
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void fiveConsecutiveFailuresOpenTheBreaker() {
        Breaker b = breaker(Duration.ofMinutes(1));
        fail(b, 4);
        assertThat(b.state()).isEqualTo("closed");
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
        assertThat(b.tryAcquirePermission()).isFalse();
        assertThat(b.notPermittedCalls()).isEqualTo(1);
    }

    @Test
    void aSuccessInClosedResetsTheConsecutiveFailureCount() {
        Breaker b = breaker(Duration.ofMinutes(1));
        fail(b, 4);
        succeed(b, 1);
        fail(b, 4);
        assertThat(b.state()).isEqualTo("closed");
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
    }

    @Test
    void ignoredOutcomesNeitherOpenNorReset() {
        Breaker b = breaker(Duration.ofMinutes(1));
        fail(b, 4);
        for (int i = 0; i < 10; i++) {
            assertThat(b.tryAcquirePermission()).isTrue();
            b.record(FAST, Outcome.IGNORED, new IllegalStateException("WRONGTYPE"));
        }
        assertThat(b.state()).isEqualTo("closed");
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
        assertThat(b.ignoredCalls()).isEqualTo(10);
    }

    @Test
    void aSuccessSlowerThanTheCallTimeoutCountsAsAFailure() {
        Breaker b = breaker(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertThat(b.tryAcquirePermission()).isTrue();
            b.record(Duration.ofSeconds(2).toNanos(), Outcome.SUCCESS, null);
        }
        assertThat(b.state()).isEqualTo("open");
        assertThat(b.slowCalls()).isEqualTo(5);
        assertThat(b.failedCalls()).isEqualTo(5);
        assertThat(b.successfulCalls()).isZero();
    }

    @Test
    void anIdleOpenBreakerMovesToHalfOpenByItself() {
        Breaker b = breaker(Duration.ofMillis(200));
        fail(b, 5);
        assertThat(b.state()).isEqualTo("open");
        awaitHalfOpen(b);
    }

    @Test
    void twoSuccessfulProbesCloseAHalfOpenBreaker() {
        Breaker b = breaker(Duration.ofMillis(100));
        fail(b, 5);
        awaitHalfOpen(b);
        succeed(b, 1);
        assertThat(b.state()).isEqualTo("half_open");
        succeed(b, 1);
        assertThat(b.state()).isEqualTo("closed");
    }

    @Test
    void anyFailureInHalfOpenReopensAtOnce() {
        Breaker b = breaker(Duration.ofMillis(100));
        fail(b, 5);
        awaitHalfOpen(b);
        succeed(b, 1);
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
        assertThat(b.history()).extracting(StateTransition::to).containsExactly("open", "half_open", "open");
        assertThat(b.history().get(2).reason()).isEqualTo("probe call failed or timed out");
    }

    @Test
    void countersAreMonotonicAcrossTransitionsAndListenersHearEveryChange() {
        Breaker b = breaker(Duration.ofMillis(100));
        List<StateTransition> heard = new CopyOnWriteArrayList<>();
        b.addTransitionListener(heard::add);
        fail(b, 5);
        awaitHalfOpen(b);
        succeed(b, 2);
        assertThat(b.failedCalls()).isEqualTo(5);
        assertThat(b.successfulCalls()).isEqualTo(2);
        assertThat(b.totalCalls()).isEqualTo(7);
        // The OPEN -> HALF_OPEN transition ran on the scheduler thread: wait for its bookkeeping.
        await().atMost(Duration.ofSeconds(5)).until(() -> b.transitionCount() == 3);
        assertThat(b.windowMetrics().getNumberOfFailedCalls()).isZero(); // resilience4j's window was reset
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 3);
        assertThat(heard).extracting(StateTransition::to).containsExactly("open", "half_open", "closed");
    }

    @Test
    void operatorActionsAreRecordedWithTheirReason() {
        Breaker b = breaker(Duration.ofMinutes(1));
        b.forceOpen();
        assertThat(b.state()).isEqualTo("forced_open");
        assertThat(b.tryAcquirePermission()).isFalse();
        b.reset();
        assertThat(b.state()).isEqualTo("closed");
        assertThat(b.history()).extracting(StateTransition::reason).containsExactly("operator: forceOpen", "operator: reset");
    }

    @Test
    void concurrentCallersGetEveryTransitionReportedExactlyOnce() throws Exception {
        Breaker b = new Breaker(new BreakerSettings("test", true, 3, 2, Duration.ofSeconds(1), Duration.ofMillis(1)), scheduler);
        List<StateTransition> heard = new CopyOnWriteArrayList<>();
        b.addTransitionListener(heard::add);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(t);
            int caller = t;
            done.add(callers.submit(() -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                    if (caller == 0 && i % 5_000 == 4_999) {
                        b.reset();
                    }
                    if (b.tryAcquirePermission()) {
                        int roll = random.nextInt(10);
                        Outcome outcome = roll < 3 ? Outcome.FAILURE : roll < 4 ? Outcome.IGNORED : Outcome.SUCCESS;
                        b.record(FAST, outcome, new IOException("down"));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        callers.shutdown();
        b.forceOpen(); // a state without scheduled transitions, so the log can be compared at rest
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == b.transitionCount());

        assertThat(b.transitionCount()).isGreaterThan(10);
        // One report per transition: each one starts where the previous one ended, none is doubled or skipped.
        assertThat(heard.get(0).from()).isEqualTo("closed");
        for (int i = 1; i < heard.size(); i++) {
            assertThat(heard.get(i).from()).as("transition %d of %d", i, heard.size()).isEqualTo(heard.get(i - 1).to());
            assertThat(heard.get(i).from()).isNotEqualTo(heard.get(i).to());
        }
        assertThat(heard.get(heard.size() - 1).to()).isEqualTo("forced_open").isEqualTo(b.state());
        assertThat(b.history()).isEqualTo(heard.subList(heard.size() - b.history().size(), heard.size()));
    }

    // ---- the CLOSED fast path (a full window of fast successes skips resilience4j) ----

    private static String window(CircuitBreaker.Metrics m) {
        return "buffered=" + m.getNumberOfBufferedCalls() + " failed=" + m.getNumberOfFailedCalls()
                + " successful=" + m.getNumberOfSuccessfulCalls() + " slow=" + m.getNumberOfSlowCalls()
                + " slowFailed=" + m.getNumberOfSlowFailedCalls() + " failureRate=" + m.getFailureRate()
                + " slowRate=" + m.getSlowCallRate();
    }

    @Test
    void afterALongRunOfSuccessesFiveConsecutiveFailuresStillOpen() {
        Breaker b = breaker(Duration.ofMinutes(1));
        succeed(b, 100);
        fail(b, 4);
        assertThat(b.state()).isEqualTo("closed");
        assertThat(window(b.windowMetrics())).isEqualTo("buffered=5 failed=4 successful=1 slow=0 slowFailed=0 failureRate=80.0 slowRate=0.0");
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
        assertThat(b.successfulCalls()).isEqualTo(100);
        assertThat(b.failedCalls()).isEqualTo(5);
    }

    @Test
    void aSuccessStillResetsTheFailureCountOnceTheFastPathIsOn() {
        Breaker b = breaker(Duration.ofMinutes(1));
        succeed(b, 50);
        fail(b, 4);
        succeed(b, 1);
        fail(b, 4);
        assertThat(b.state()).isEqualTo("closed");
        succeed(b, 50);
        fail(b, 4);
        assertThat(b.state()).isEqualTo("closed");
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
    }

    @Test
    void halfOpenRulesHoldAfterTheFastPathWasOn() {
        Breaker b = breaker(Duration.ofMillis(100));
        succeed(b, 50);
        fail(b, 5);
        awaitHalfOpen(b);
        succeed(b, 1);
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open"); // one failure among the probes reopens
        awaitHalfOpen(b);
        succeed(b, 2);
        assertThat(b.state()).isEqualTo("closed");
        assertThat(b.windowMetrics().getNumberOfBufferedCalls()).isZero(); // a fresh window after closing
        succeed(b, 20);
        fail(b, 4);
        assertThat(b.state()).isEqualTo("closed");
        fail(b, 1);
        assertThat(b.state()).isEqualTo("open");
    }

    /**
     * The window resilience4j shows (buffered, failed, successful, slow calls, rates) and the state are,
     * after every call, exactly those of a plain resilience4j breaker with the same configuration fed
     * the same outcomes, whether or not the fast path skipped it.
     */
    @Test
    void theWindowMatchesPlainResilience4jAfterEveryCall() {
        for (long seed = 0; seed < 20; seed++) {
            Breaker b = breaker(Duration.ofMinutes(1));
            CircuitBreaker plain = CircuitBreaker.of("plain", CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(5).minimumNumberOfCalls(5).failureRateThreshold(100)
                    .permittedNumberOfCallsInHalfOpenState(2).waitDurationInOpenState(Duration.ofMinutes(1))
                    .slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(100).build());
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 2_000; i++) {
                // Long runs of successes (the fast path) broken by failures, slow calls and ignored outcomes.
                int roll = random.nextInt(100);
                assertThat(b.tryAcquirePermission()).isEqualTo(plain.tryAcquirePermission());
                if (roll < 8) {
                    b.record(FAST, Outcome.FAILURE, new IOException("down"));
                    plain.onError(FAST, TimeUnit.NANOSECONDS, new IOException("down"));
                } else if (roll < 10) {
                    long slowNanos = Duration.ofSeconds(2).toNanos();
                    b.record(slowNanos, Outcome.SUCCESS, null); // slower than the call timeout: a failure
                    plain.onError(slowNanos, TimeUnit.NANOSECONDS, new java.util.concurrent.TimeoutException());
                } else if (roll < 13) {
                    b.record(FAST, Outcome.IGNORED, new IllegalStateException("WRONGTYPE"));
                    plain.releasePermission();
                } else {
                    b.record(FAST, Outcome.SUCCESS, null);
                    plain.onSuccess(FAST, TimeUnit.NANOSECONDS);
                }
                assertThat(window(b.windowMetrics())).as("seed %d call %d", seed, i).isEqualTo(window(plain.getMetrics()));
                assertThat(b.state()).isEqualTo(Breaker.stateName(plain.getState()));
                if (!b.state().equals("closed")) {
                    b.reset();
                    plain.reset();
                }
            }
        }
    }

    // ---- the fast paths outside CLOSED (OPEN rejects without the lock until its deadline) ----

    /**
     * Many threads asking an OPEN breaker for permission across its reset deadline, none of them recording an
     * outcome (hung probes): exactly one OPEN -> HALF_OPEN transition (the breaker's own timer, on the single
     * scheduler thread listeners run on as in the agent, races the callers for it), exactly {@code successThreshold} calls
     * permitted, every other call counted as not permitted, and the listener hears open, half_open, closed in order.
     */
    @Test
    void manyThreadsAcrossTheResetDeadlineMakeExactlyOneTransitionAndTakeNoMoreProbePermitsThanAllowed() throws Exception {
        int threads = 8;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                Breaker b = new Breaker(new BreakerSettings("hammer", true, 5, 2, Duration.ofSeconds(30),
                        Duration.ofMillis(50)), scheduler);
                List<StateTransition> heard = new CopyOnWriteArrayList<>();
                b.addTransitionListener(heard::add);
                fail(b, 5);
                assertThat(b.state()).isEqualTo("open");

                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong permitted = new AtomicLong();
                AtomicLong rejected = new AtomicLong();
                AtomicLongArray callsAfterProbesOut = new AtomicLongArray(threads);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int caller = t;
                    done.add(callers.submit(() -> {
                        start.await();
                        while (!stop.get()) {
                            if (b.tryAcquirePermission()) {
                                permitted.incrementAndGet(); // a probe that never answers: no outcome recorded
                            } else {
                                rejected.incrementAndGet();
                            }
                            if (permitted.get() >= 2) {
                                callsAfterProbesOut.incrementAndGet(caller);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                // Hammer until every thread has made many calls after both probe permits went out.
                await("round " + round).atMost(Duration.ofSeconds(20)).until(() -> {
                    for (int t = 0; t < threads; t++) {
                        if (callsAfterProbesOut.get(t) < 2_000) {
                            return false;
                        }
                    }
                    return true;
                });
                stop.set(true);
                for (Future<?> f : done) {
                    f.get();
                }

                assertThat(permitted.get()).as("probe permits, round %d", round).isEqualTo(2);
                assertThat(b.state()).isEqualTo("half_open");
                assertThat(b.notPermittedCalls()).isEqualTo(rejected.get()).isPositive();
                assertThat(b.failedCalls()).isEqualTo(5);
                assertThat(b.totalCalls()).isEqualTo(5 + rejected.get()); // the two probes have not finished yet

                b.record(FAST, Outcome.SUCCESS, null);
                b.record(FAST, Outcome.SUCCESS, null);
                assertThat(b.state()).isEqualTo("closed");
                assertThat(b.successfulCalls()).isEqualTo(2);
                assertThat(b.totalCalls()).isEqualTo(5 + permitted.get() + rejected.get());
                assertThat(b.history()).extracting(StateTransition::to).containsExactly("open", "half_open", "closed");
                assertThat(b.history().get(1).reason()).isEqualTo("reset timeout of PT0.05S elapsed");
                await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 3);
                assertThat(heard).isEqualTo(b.history());
                assertThat(b.transitionCount()).isEqualTo(3);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Threads hammering a breaker whose probes all fail, across many reset deadlines (and the timers racing them):
     * every transition is reported once and in order (open, half_open, open, ...), no HALF_OPEN episode permits
     * more than {@code successThreshold} probes, and the counts add up.
     */
    @Test
    void failingProbesAcrossManyDeadlinesKeepTransitionsInOrderAndPermitsLimited() throws Exception {
        int threads = 6;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            Breaker b = new Breaker(new BreakerSettings("flapping", true, 5, 2, Duration.ofSeconds(30),
                    Duration.ofMillis(2)), scheduler);
            List<StateTransition> heard = new CopyOnWriteArrayList<>();
            b.addTransitionListener(heard::add);
            fail(b, 5);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong permitted = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(callers.submit(() -> {
                    start.await();
                    while (!stop.get()) {
                        if (b.tryAcquirePermission()) {
                            permitted.incrementAndGet();
                            b.record(FAST, Outcome.FAILURE, new IOException("still down"));
                        } else {
                            rejected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> b.transitionCount() >= 200);
            stop.set(true);
            for (Future<?> f : done) {
                f.get();
            }
            b.forceOpen(); // no timers in FORCED_OPEN: the log can be compared at rest
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == b.transitionCount());

            assertThat(heard.get(0).from()).isEqualTo("closed");
            long halfOpenEpisodes = 0;
            for (int i = 0; i < heard.size(); i++) {
                StateTransition t = heard.get(i);
                if (i > 0) {
                    assertThat(t.from()).as("transition %d of %d", i, heard.size()).isEqualTo(heard.get(i - 1).to());
                }
                if (i < heard.size() - 1) {
                    // Only open <-> half_open while the probes keep failing.
                    assertThat(t.from() + "->" + t.to()).isIn("closed->open", "open->half_open", "half_open->open");
                }
                if (t.to().equals("half_open")) {
                    halfOpenEpisodes++;
                }
            }
            assertThat(heard.get(heard.size() - 1).to()).isEqualTo("forced_open");
            // A failing probe reopens at once, so an episode sees one or two probes, never more.
            assertThat(permitted.get()).isBetween(halfOpenEpisodes - 1, 2 * halfOpenEpisodes);
            assertThat(b.failedCalls()).isEqualTo(5 + permitted.get());
            assertThat(b.notPermittedCalls()).isEqualTo(rejected.get());
            assertThat(b.totalCalls()).isEqualTo(5 + permitted.get() + rejected.get());
        } finally {
            callers.shutdownNow();
        }
    }

    /** Without the timer (a stopped scheduler), the first call after the reset timeout moves OPEN to HALF_OPEN itself. */
    @Test
    void theFirstCallAfterTheResetTimeoutMovesOpenToHalfOpenWithoutTheTimer() {
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdownNow();
        Breaker b = new Breaker(new BreakerSettings("no-timer", true, 5, 2, Duration.ofSeconds(30), Duration.ofMillis(100)), stopped);
        fail(b, 5);
        assertThat(b.tryAcquirePermission()).isFalse();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(b::tryAcquirePermission);
        assertThat(b.state()).isEqualTo("half_open");
        assertThat(b.tryAcquirePermission()).isTrue(); // the second probe
        assertThat(b.tryAcquirePermission()).isFalse(); // no third
        b.record(FAST, Outcome.IGNORED, new IllegalStateException("WRONGTYPE")); // gives its permit back
        assertThat(b.tryAcquirePermission()).isTrue();
        assertThat(b.tryAcquirePermission()).isFalse();
        b.record(FAST, Outcome.SUCCESS, null);
        b.record(FAST, Outcome.SUCCESS, null);
        assertThat(b.state()).isEqualTo("closed");
        assertThat(b.history()).extracting(StateTransition::to).containsExactly("open", "half_open", "closed");
    }

    @Test
    void aDisabledBreakerPermitsEveryCallAndNeverOpensUntilEnabled() {
        Breaker b = breaker(Duration.ofMinutes(1));
        b.disable();
        assertThat(b.state()).isEqualTo("disabled");
        fail(b, 20);
        succeed(b, 3);
        assertThat(b.state()).isEqualTo("disabled");
        assertThat(b.failedCalls()).isEqualTo(20);
        assertThat(b.successfulCalls()).isEqualTo(3);
        assertThat(b.notPermittedCalls()).isZero();
        assertThat(b.windowMetrics().getNumberOfBufferedCalls()).isZero(); // resilience4j records nothing when disabled
        b.enable();
        assertThat(b.state()).isEqualTo("closed");
        fail(b, 5);
        assertThat(b.state()).isEqualTo("open");
        assertThat(b.history()).extracting(StateTransition::to).containsExactly("disabled", "closed", "open");
    }

    @Test
    void aForcedOpenBreakerRejectsWithoutMovingToHalfOpen() {
        Breaker b = new Breaker(new BreakerSettings("forced", true, 5, 2, Duration.ofSeconds(1), Duration.ofMillis(1)), scheduler);
        b.forceOpen();
        long deadline = System.nanoTime() + Duration.ofMillis(50).toNanos();
        long calls = 0;
        while (System.nanoTime() < deadline) { // well past the reset timeout: FORCED_OPEN has none
            assertThat(b.tryAcquirePermission()).isFalse();
            calls++;
        }
        assertThat(b.state()).isEqualTo("forced_open");
        assertThat(b.notPermittedCalls()).isEqualTo(calls);
        assertThat(b.history()).extracting(StateTransition::to).containsExactly("forced_open");
    }
}
