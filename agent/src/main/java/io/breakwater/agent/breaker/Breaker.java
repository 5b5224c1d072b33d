package io.breakwater.agent.breaker;

import io.breakwater.agent.config.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p><b>Transitions without resilience4j's events.</b> Subscribing to resilience4j's event
 * publisher would make it build an event (with {@code ZonedDateTime.now()}) for every call. Instead,
 * every resilience4j call that can change its state is made here, under {@link #lock}, and followed
 * by {@link #settle}, which compares the state with the last one reported and reports the
 * difference. Each such call makes at most one transition and resilience4j reports no same-state
 * transition, so this sees exactly the transitions its events would, once each. The only calls made
 * without the lock are ones that cannot change the state: {@code releasePermission} while
 * {@link #closed} is set, and nothing at all for the permission while {@link #closed} or
 * {@link #fast} decides it (resilience4j's CLOSED, DISABLED and METRICS_ONLY states answer
 * {@code true} and record nothing; see below for OPEN, FORCED_OPEN and HALF_OPEN).
 *
 * <p><b>CLOSED fast path.</b> The window is COUNT_BASED with {@code failureThreshold} slots; once
 * it holds nothing but fast successes, recording another fast success replaces the oldest slot by
 * an identical one: the counts, rates and state resilience4j shows stay exactly what they were
 * (the ring's position and summed duration change, and neither is observable through
 * {@link CircuitBreaker.Metrics}). {@link #cleanWindow} says so, and a success then skips
 * resilience4j and its synchronized window. Linearisability: the flag is set only under
 * {@link #lock}, after a success left resilience4j CLOSED with a full window of successes, and
 * every locked section clears it before it touches resilience4j (a volatile write that precedes,
 * in synchronisation order, any change that section makes). A caller that reads {@code true}
 * therefore read it at a moment when the window was clean and nothing was changing it: its success
 * takes effect at that moment, where recording it would have changed nothing. A failure, a slow
 * call, a HALF_OPEN probe, an operator action or any transition goes through the lock and so
 * clears the flag first; an ignored outcome leaves it, because in CLOSED resilience4j's
 * {@code releasePermission} touches neither window nor state. Only for the COUNT_BASED window: with
 * a time-based one, each success would change the counts.
 *
 * <p><b>Fast paths outside CLOSED.</b> During an outage every application thread meets the OPEN
 * breaker, so its rejection must not serialise them. {@link #fast} is, like {@link #closed}, set
 * only by {@link #settle} and cleared by every locked section before it touches resilience4j; it
 * says what resilience4j's current state would answer without the lock:
 * <ul>
 * <li>{@code OPEN} with this episode's deadline ({@code System.nanoTime()}, the reset timeout after
 *     the transition was reported): before it, reject without asking resilience4j at all (its
 *     OPEN state would only count the rejection in a counter no MBean shows and build a
 *     {@code CallNotPermittedEvent} nobody listens to). A caller that sees the deadline passed
 *     takes the lock, and there, if the breaker is still OPEN of that episode, moves it to
 *     HALF_OPEN itself: resilience4j's own clock-driven move inside {@code tryAcquirePermission} is
 *     never used, because resilience4j's OPEN {@code tryAcquirePermission} is never called (not
 *     even under the lock: before the deadline the locked path rejects as the fast one does), so
 *     no wall-clock jump or delayed thread can change its state outside the lock. The scheduled
 *     transition of the same episode (for an idle breaker) still runs; whichever comes first
 *     makes the one transition, the other finds a later episode.</li>
 * <li>{@code FORCED_OPEN}: reject. {@code DISABLED}: permit, and record nothing in resilience4j,
 *     whose DISABLED state ignores every outcome. {@code METRICS_ONLY}: permit (resilience4j's
 *     answer, no side effect); its outcomes still go through the lock, because they are recorded
 *     in resilience4j's window, which would be another state's window if an operator moved the
 *     breaker meanwhile (resilience4j's COUNT_BASED window is itself synchronized, so the lock
 *     adds little there; and no agent operation enters METRICS_ONLY).</li>
 * <li>{@code HALF_OPEN}: only once every probe permit is handed out ({@link #halfOpenGranted},
 *     counted under the lock, reaches {@code successThreshold}): reject. A caller that could still
 *     get a permit takes the lock, so resilience4j's permit count and the transitions its probes
 *     make stay ordered with everything else; that is at most {@code successThreshold} callers per
 *     episode plus one per permit given back.</li>
 * </ul>
 * The argument is the one for {@link #closed}: a caller that reads a non-null {@code fast} read it
 * while the state was the one it describes and no locked section had begun since; its decision
 * takes effect at that moment. A deadline read with it belongs to the same episode.
 */
public final class Breaker {
    private final BreakerSettings settings;
    private final CircuitBreaker circuitBreaker;
    private final long callTimeoutNanos;
    private final ScheduledExecutorService scheduler;
    private final TransitionLog transitions;

    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder notPermitted = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder successfulNanos = new LongAdder();
    private final LongAdder failedNanos = new LongAdder();
    private final LongAdder ignoredNanos = new LongAdder();

    /** Held around every resilience4j call that can change its state, and while reporting the change. */
    private final Object lock = new Object();
    /** The state last reported; guarded by {@link #lock}. */
    private CircuitBreaker.State reported;
    /**
     * Set (under {@link #lock}) only while resilience4j is CLOSED and no call that could change that is
     * under way: every locked section clears it first and {@link #settle} sets it again from the state
     * it leaves. So a caller that reads {@code true} knows resilience4j is CLOSED at that moment.
     */
    private volatile boolean closed;
    /** Set (under {@link #lock}) only while {@link #closed} and the window holds nothing but fast successes. */
    private volatile boolean cleanWindow;
    /**
     * What a caller may decide without the lock outside CLOSED, or {@code null}: take the lock. Set
     * only by {@link #settle}, cleared by {@link #enterLocked} (see the class comment).
     */
    private volatile Fast fast;
    /** The OPEN episode's deadline, {@code System.nanoTime()} based; guarded by {@link #lock}. */
    private long openUntilNanos;
    /** The {@link Fast} of the current OPEN episode; guarded by {@link #lock}. */
    private Fast openFast;
    /** Probe permits resilience4j granted (less those given back) in this HALF_OPEN episode; guarded by {@link #lock}. */
    private int halfOpenGranted;
    private final int halfOpenPermits;
    private final long resetTimeoutNanos;
    /** The fast path is exact only for a COUNT_BASED window (see the class comment). */
    private final boolean countBasedWindow;
    private final int windowSize;

    public Breaker(BreakerSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.transitions = new TransitionLog(scheduler);
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
        this.countBasedWindow = config.getSlidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED;
        this.windowSize = config.getSlidingWindowSize();
        this.halfOpenPermits = config.getPermittedNumberOfCallsInHalfOpenState();
        this.resetTimeoutNanos = settings.resetTimeout().toNanos();
        synchronized (lock) {
            reported = circuitBreaker.getState();
            closed = reported == CircuitBreaker.State.CLOSED;
            fast = fastPathFor(reported);
        }
    }

    public String name() {
        return settings.name();
    }

    public BreakerSettings settings() {
        return settings;
    }

    /** @return whether the call may go to the remote service; counts a rejection when not */
    public boolean tryAcquirePermission() {
        if (closed) {
            return true; // what resilience4j's CLOSED state answers, without side effects
        }
        Fast f = fast;
        if (f != null) {
            if (f.reject && (!f.untilDeadline || System.nanoTime() - f.deadlineNanos < 0)) {
                notPermitted.increment();
                return false;
            }
            if (f.permit) {
                return true; // DISABLED, METRICS_ONLY: resilience4j answers true and records nothing
            }
            // OPEN and its reset timeout has elapsed: the lock decides who moves it to HALF_OPEN.
        }
        if (acquireLocked()) {
            return true;
        }
        notPermitted.increment();
        return false;
    }

    private boolean acquireLocked() {
        synchronized (lock) {
            enterLocked();
            try {
                CircuitBreaker.State state = circuitBreaker.getState();
                if (state == CircuitBreaker.State.OPEN) {
                    if (System.nanoTime() - openUntilNanos < 0) {
                        return false; // as the fast path answers; resilience4j's OPEN state is never asked
                    }
                    transitionQuietly(circuitBreaker::transitionToHalfOpenState);
                    settle(null); // reports OPEN -> HALF_OPEN before this call takes a probe permit
                    enterLocked();
                    state = circuitBreaker.getState();
                    if (state == CircuitBreaker.State.OPEN) {
                        return false;
                    }
                }
                // Outside OPEN resilience4j's tryAcquirePermission changes no state (no
                // maxWaitDurationInHalfOpenState: the agent's own timer bounds HALF_OPEN).
                boolean permitted = circuitBreaker.tryAcquirePermission();
                if (permitted && state == CircuitBreaker.State.HALF_OPEN) {
                    halfOpenGranted++;
                }
                return permitted;
            } finally {
                settle(null);
            }
        }
    }

    /** Gives back a permission that was acquired for a call that did not happen after all. */
    public void releasePermission() {
        if (closed) {
            circuitBreaker.releasePermission(); // CLOSED: touches neither window nor state
            return;
        }
        Fast f = fast;
        if (f != null && f != HALF_OPEN_FULL) {
            return; // OPEN, FORCED_OPEN, DISABLED, METRICS_ONLY: resilience4j's releasePermission does nothing
        }
        synchronized (lock) {
            enterLocked();
            try {
                boolean halfOpen = circuitBreaker.getState() == CircuitBreaker.State.HALF_OPEN;
                circuitBreaker.releasePermission(); // never changes the state; in HALF_OPEN a probe permit returns
                if (halfOpen && halfOpenGranted > 0) {
                    halfOpenGranted--;
                }
            } finally {
                settle(null);
            }
        }
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
                if (cleanWindow || fast == DISABLED) {
                    return; // recording it would change nothing resilience4j shows (see the class comment)
                }
                synchronized (lock) {
                    enterLocked();
                    try {
                        circuitBreaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS); // HALF_OPEN may close
                    } finally {
                        settle(null);
                    }
                    cleanWindow = closed && countBasedWindow && windowHoldsOnlySuccesses();
                }
            }
            case FAILURE -> {
                failed.increment();
                failedNanos.add(durationNanos);
                if (fast == DISABLED) {
                    return; // resilience4j's DISABLED state ignores every outcome
                }
                synchronized (lock) {
                    enterLocked();
                    try {
                        if (circuitBreaker.getState() == CircuitBreaker.State.HALF_OPEN) {
                            // Reopen before resilience4j evaluates the probe window, which could close it.
                            transitionQuietly(circuitBreaker::transitionToOpenState);
                            settle(null);
                            enterLocked();
                        }
                        circuitBreaker.onError(durationNanos, TimeUnit.NANOSECONDS, cause); // CLOSED may open
                    } finally {
                        settle(null);
                    }
                }
            }
            case IGNORED -> {
                ignored.increment();
                ignoredNanos.add(durationNanos);
                releasePermission(); // in CLOSED: touches neither window nor state
            }
        }
    }

    /** First thing in every section under {@link #lock}: the fast paths are off until {@link #settle}. */
    private void enterLocked() {
        closed = false;
        cleanWindow = false;
        fast = null;
    }

    /** Under {@link #lock}: whether the window is full and every call in it a fast success. */
    private boolean windowHoldsOnlySuccesses() {
        CircuitBreaker.Metrics m = circuitBreaker.getMetrics();
        return m.getNumberOfBufferedCalls() == windowSize && m.getNumberOfSuccessfulCalls() == windowSize
                && m.getNumberOfSlowCalls() == 0;
    }

    /** Counts a call answered by a fallback instead of the remote service. */
    public void fallbackServed() {
        fallbacks.increment();
    }

    /** {@code listener} hears every state change, on the agent's scheduler thread. */
    public void addTransitionListener(Consumer<StateTransition> listener) {
        transitions.addListener(listener);
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

    private void operate(String reason, Runnable action) {
        synchronized (lock) {
            enterLocked();
            try {
                action.run();
            } finally {
                settle(reason);
            }
        }
    }

    private static void transitionQuietly(Runnable transition) {
        try {
            transition.run();
        } catch (IllegalStateException illegal) {
            // Not a transition resilience4j allows from the current state: the state stands.
        }
    }

    /**
     * Under {@link #lock}, after a resilience4j call: reports the transition it made, if any, and
     * re-arms {@link #closed}.
     *
     * @param reason the operator's reason, or {@code null} for an automatic transition
     */
    private void settle(String reason) {
        CircuitBreaker.State now = circuitBreaker.getState();
        CircuitBreaker.State from = reported;
        if (now != from) {
            reported = now;
            if (now == CircuitBreaker.State.OPEN) {
                openUntilNanos = System.nanoTime() + resetTimeoutNanos;
                openFast = new Fast(false, true, true, openUntilNanos);
            } else if (now == CircuitBreaker.State.HALF_OPEN) {
                halfOpenGranted = 0;
            }
            try {
                transitions.add(stateName(from), stateName(now), reason != null ? reason : automaticReason(from, now));
                if (now == CircuitBreaker.State.OPEN) {
                    scheduleAfter(settings.resetTimeout(), CircuitBreaker.State.OPEN, circuitBreaker::transitionToHalfOpenState);
                } else if (now == CircuitBreaker.State.HALF_OPEN) {
                    // A hung probe must not pin HALF_OPEN: give the probes twice the call timeout.
                    scheduleAfter(settings.callTimeout().multipliedBy(2), CircuitBreaker.State.HALF_OPEN, circuitBreaker::transitionToOpenState);
                }
            } catch (RejectedExecutionException stopped) {
                // The agent's scheduler is shut down (detach): no more automatic transitions.
            }
        }
        closed = now == CircuitBreaker.State.CLOSED;
        fast = fastPathFor(now);
    }

    /** Under {@link #lock}: what callers may decide without it in {@code state} (see the class comment). */
    private Fast fastPathFor(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN -> openFast;
            case HALF_OPEN -> halfOpenGranted >= halfOpenPermits ? HALF_OPEN_FULL : null;
            case FORCED_OPEN -> FORCED_OPEN;
            case DISABLED -> DISABLED;
            case METRICS_ONLY -> METRICS_ONLY;
            case CLOSED -> null; // the closed flag is the CLOSED fast path
        };
    }

    private static final Fast FORCED_OPEN = new Fast(false, true, false, 0);
    private static final Fast HALF_OPEN_FULL = new Fast(false, true, false, 0);
    private static final Fast DISABLED = new Fast(true, false, false, 0);
    private static final Fast METRICS_ONLY = new Fast(true, false, false, 0);

    /**
     * A decision callers may take without the lock: permit every call, or reject every call (until
     * {@code deadlineNanos} if {@code untilDeadline}, after which they take the lock).
     */
    private static final class Fast {
        final boolean permit;
        final boolean reject;
        final boolean untilDeadline;
        final long deadlineNanos;

        Fast(boolean permit, boolean reject, boolean untilDeadline, long deadlineNanos) {
            this.permit = permit;
            this.reject = reject;
            this.untilDeadline = untilDeadline;
            this.deadlineNanos = deadlineNanos;
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

    /** Runs {@code transition} after {@code delay} if the breaker is still in {@code expected} state of the same episode. */
    private void scheduleAfter(Duration delay, CircuitBreaker.State expected, Runnable transition) {
        long episode = transitions.count();
        scheduler.schedule(() -> {
            synchronized (lock) {
                enterLocked();
                try {
                    if (transitions.count() == episode && circuitBreaker.getState() == expected) {
                        transitionQuietly(transition);
                    }
                } finally {
                    settle(null);
                }
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
    public long transitionCount() { return transitions.count(); }

    /** Calls that reached the breaker: permitted (any outcome) plus rejected. */
    public long totalCalls() {
        return successfulCalls() + failedCalls() + ignoredCalls() + notPermittedCalls();
    }

    public List<StateTransition> history() {
        return transitions.history();
    }
}
