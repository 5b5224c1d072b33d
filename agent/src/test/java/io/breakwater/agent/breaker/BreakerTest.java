package io.breakwater.agent.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.agent.config.BreakerSettings;
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
}
