package io.breakwater.agent.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.agent.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
     * Transitions made by many threads at once are published to the breaker's own bookkeeping in any order. Whatever
     * that order, the breaker must never be left OPEN with no reset timer (it would refuse every call for good): once
     * the storm is over it still reaches HALF_OPEN and closes on two successful probes.
     */
    @Test
    void aTransitionEventArrivingLateDoesNotCancelTheResetTimerOfANewerOpen() {
        Breaker b = breaker(Duration.ofMillis(200));
        awaitHalfOpenAfterFailures(b);
        succeed(b, 2);
        fail(b, 5); // OPEN again: its reset timer runs
        assertThat(b.state()).isEqualTo("open");
        // The event of the earlier OPEN -> HALF_OPEN, from a thread descheduled until now.
        b.onTransition(new CircuitBreakerOnStateTransitionEvent("test", CircuitBreaker.StateTransition.OPEN_TO_HALF_OPEN));

        awaitHalfOpen(b);
    }

    private void awaitHalfOpenAfterFailures(Breaker b) {
        fail(b, 5);
        awaitHalfOpen(b);
    }

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
}
