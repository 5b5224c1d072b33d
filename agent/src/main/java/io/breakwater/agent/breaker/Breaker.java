package io.breakwater.agent.breaker;

import io.breakwater.agent.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One protected resource: a resilience4j circuit breaker configured with the seed's semantics, plus
 * the monotonic counters resilience4j does not keep (its own metrics reset on every transition).
 *
 * <p>Two rules are enforced here rather than by resilience4j: any failure in HALF_OPEN reopens at
 * once (resilience4j would close on one success and one failure), and OPEN moves to HALF_OPEN after
 * the reset timeout even when no call arrives. The latter uses the agent's own daemon scheduler,
 * because resilience4j's automatic transition runs on a non-daemon thread that would keep the host
 * JVM from exiting.
 */
public final class Breaker {
    private static final int HISTORY_LIMIT = 64;

    private final BreakerSettings settings;
    private final CircuitBreaker circuitBreaker;
    private final long callTimeoutNanos;
    private final ScheduledExecutorService scheduler;

    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder notPermitted = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder successfulNanos = new LongAdder();
    private final LongAdder failedNanos = new LongAdder();
    private final LongAdder ignoredNanos = new LongAdder();
    private final AtomicLong transitions = new AtomicLong();
    private final ArrayDeque<StateTransition> history = new ArrayDeque<>();
    private final List<Consumer<StateTransition>> listeners = new CopyOnWriteArrayList<>();
    /** Guards {@link #timerGeneration}: only the newest state timer may act. */
    private final Object timerLock = new Object();
    private long timerGeneration;

    /** Set by an operator action just before it transitions the breaker; read by the event handler. */
    private volatile String operatorReason;

    public Breaker(BreakerSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.callTimeoutNanos = settings.callTimeout().toNanos();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.failureThreshold())
                .minimumNumberOfCalls(settings.failureThreshold())
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(settings.successThreshold())
                .waitDurationInOpenState(settings.resetTimeout())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .slowCallDurationThreshold(settings.callTimeout())
                .slowCallRateThreshold(100)
                .writableStackTraceEnabled(false)
                .build();
        this.circuitBreaker = CircuitBreaker.of(settings.name(), config);
        circuitBreaker.getEventPublisher().onStateTransition(this::onTransition);
    }

    public String name() {
        return settings.name();
    }

    public BreakerSettings settings() {
        return settings;
    }

    /** @return whether the call may go to the remote service; counts a rejection when not */
    public boolean tryAcquirePermission() {
        if (circuitBreaker.tryAcquirePermission()) {
            return true;
        }
        notPermitted.increment();
        return false;
    }

    /** Gives back a permission that was acquired for a call that did not happen after all. */
    public void releasePermission() {
        circuitBreaker.releasePermission();
    }

    /** Records a permitted call's outcome. A success slower than the call timeout is a failure. */
    public void record(long durationNanos, Outcome outcome, Throwable cause) {
        if (outcome == Outcome.SUCCESS && durationNanos > callTimeoutNanos) {
            slow.increment();
            outcome = Outcome.FAILURE;
            cause = new TimeoutException("call took longer than " + settings.callTimeout());
        }
        switch (outcome) {
            case SUCCESS -> {
                successful.increment();
                successfulNanos.add(durationNanos);
                circuitBreaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
            }
            case FAILURE -> {
                failed.increment();
                failedNanos.add(durationNanos);
                if (circuitBreaker.getState() == CircuitBreaker.State.HALF_OPEN) {
                    // Reopen before resilience4j evaluates the probe window, which could close it.
                    transitionQuietly(circuitBreaker::transitionToOpenState);
                }
                circuitBreaker.onError(durationNanos, TimeUnit.NANOSECONDS, cause);
            }
            case IGNORED -> {
                ignored.increment();
                ignoredNanos.add(durationNanos);
                circuitBreaker.releasePermission();
            }
        }
    }

    /** Counts a call answered by a fallback instead of the remote service. */
    public void fallbackServed() {
        fallbacks.increment();
    }

    public void addTransitionListener(Consumer<StateTransition> listener) {
        listeners.add(listener);
    }

    public boolean isCallPermittedState() {
        CircuitBreaker.State s = circuitBreaker.getState();
        return s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.HALF_OPEN
                || s == CircuitBreaker.State.DISABLED || s == CircuitBreaker.State.METRICS_ONLY;
    }

    /** The state as users see it: {@code closed}, {@code open}, {@code half_open}, ... */
    public String state() {
        return stateName(circuitBreaker.getState());
    }

    public static String stateName(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The message of the exception a rejected call gets. */
    public String rejectionMessage() {
        return "circuit breaker '" + name() + "' is " + state().toUpperCase(Locale.ROOT) + " and does not permit calls";
    }

    // ---- operator actions (JMX) ----

    public void reset() {
        operate("operator: reset", circuitBreaker::reset);
    }

    public void forceOpen() {
        operate("operator: forceOpen", circuitBreaker::transitionToForcedOpenState);
    }

    public void forceClosed() {
        operate("operator: forceClosed", circuitBreaker::transitionToClosedState);
    }

    public void disable() {
        operate("operator: disable", circuitBreaker::transitionToDisabledState);
    }

    public void enable() {
        operate("operator: enable", circuitBreaker::transitionToClosedState);
    }

    private synchronized void operate(String reason, Runnable action) {
        operatorReason = reason;
        try {
            action.run();
        } finally {
            operatorReason = null;
        }
    }

    private void transitionQuietly(Runnable transition) {
        try {
            transition.run();
        } catch (IllegalStateException raced) {
            // Another thread moved the breaker first; its transition stands.
        }
    }

    /** Package-private for tests, which deliver an event late as a descheduled thread would. */
    void onTransition(CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.StateTransition t = event.getStateTransition();
        String from = stateName(t.getFromState());
        String to = stateName(t.getToState());
        String reason = operatorReason != null ? operatorReason : automaticReason(t.getFromState(), t.getToState());
        StateTransition entry = new StateTransition(Instant.now(), from, to, reason);
        transitions.incrementAndGet();
        synchronized (history) {
            if (history.size() == HISTORY_LIMIT) {
                history.removeFirst();
            }
            history.addLast(entry);
        }
        scheduleStateTimer();
        // Listeners (JMX notifications) run on the agent's thread, never on the application's.
        for (Consumer<StateTransition> listener : listeners) {
            scheduler.execute(() -> listener.accept(entry));
        }
    }

    private String automaticReason(CircuitBreaker.State from, CircuitBreaker.State to) {
        if (from == CircuitBreaker.State.CLOSED && to == CircuitBreaker.State.OPEN) {
            return settings.failureThreshold() + " consecutive failures";
        }
        if (from == CircuitBreaker.State.OPEN && to == CircuitBreaker.State.HALF_OPEN) {
            return "reset timeout of " + settings.resetTimeout() + " elapsed";
        }
        if (from == CircuitBreaker.State.HALF_OPEN && to == CircuitBreaker.State.CLOSED) {
            return settings.successThreshold() + " successful probe calls";
        }
        if (from == CircuitBreaker.State.HALF_OPEN && to == CircuitBreaker.State.OPEN) {
            return "probe call failed or timed out";
        }
        return "state change";
    }

    /**
     * The timer of the state the breaker is in now: OPEN moves to HALF_OPEN after the reset timeout, and a HALF_OPEN
     * whose probes hang moves back to OPEN after twice the call timeout. Each call replaces the previous timer.
     *
     * <p>It follows the current state, not the event's: transitions made by different threads publish their events
     * in any order (a thread can be descheduled between changing the state and publishing), so an event can arrive
     * after later transitions. Following the event's state (and counting events to spot stale timers, as this class
     * once did) let such a late event cancel the reset timer of a newer OPEN and leave the breaker OPEN for good,
     * refusing every call: seen with 1,000 charge points recovering from an outage.
     */
    private void scheduleStateTimer() {
        synchronized (timerLock) {
            long generation = ++timerGeneration;
            CircuitBreaker.State now = circuitBreaker.getState();
            if (now == CircuitBreaker.State.OPEN) {
                scheduleAfter(settings.resetTimeout(), generation, now, circuitBreaker::transitionToHalfOpenState);
            } else if (now == CircuitBreaker.State.HALF_OPEN) {
                scheduleAfter(settings.callTimeout().multipliedBy(2), generation, now,
                        circuitBreaker::transitionToOpenState);
            }
        }
    }

    /** Runs {@code transition} after {@code delay} if no newer timer replaced this one and the state is still {@code expected}. */
    private void scheduleAfter(Duration delay, long generation, CircuitBreaker.State expected, Runnable transition) {
        scheduler.schedule(() -> {
            synchronized (timerLock) {
                if (timerGeneration != generation) {
                    return;
                }
            }
            if (circuitBreaker.getState() == expected) {
                transitionQuietly(transition);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- read side ----

    public CircuitBreaker.Metrics windowMetrics() {
        return circuitBreaker.getMetrics();
    }

    public long successfulCalls() { return successful.sum(); }
    public long failedCalls() { return failed.sum(); }
    public long ignoredCalls() { return ignored.sum(); }
    public long notPermittedCalls() { return notPermitted.sum(); }
    public long slowCalls() { return slow.sum(); }
    public long fallbackCalls() { return fallbacks.sum(); }
    public double successfulSeconds() { return successfulNanos.sum() / 1e9; }
    public double failedSeconds() { return failedNanos.sum() / 1e9; }
    public double ignoredSeconds() { return ignoredNanos.sum() / 1e9; }
    public long transitionCount() { return transitions.get(); }

    /** Calls that reached the breaker: permitted (any outcome) plus rejected. */
    public long totalCalls() {
        return successfulCalls() + failedCalls() + ignoredCalls() + notPermittedCalls();
    }

    public List<StateTransition> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }
}
