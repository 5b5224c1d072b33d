package io.breakwater.agent.jmx;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.StateTransition;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/** The JMX face of one {@link Breaker}: attributes, operator actions, and a notification per state change. */
public final class CircuitBreakerView extends NotificationBroadcasterSupport implements CircuitBreakerMBean {
    private static final String[] STATES = stateNames();
    private static final CompositeType STATES_TYPE;
    private static final CompositeType HISTORY_TYPE;

    static {
        try {
            OpenType<?>[] ints = new OpenType<?>[STATES.length];
            java.util.Arrays.fill(ints, SimpleType.INTEGER);
            STATES_TYPE = new CompositeType("BreakerStates", "1 for the current state, 0 for the others", STATES, STATES, ints);
            String[] items = {"time", "from", "to", "reason"};
            HISTORY_TYPE = new CompositeType("StateTransition", "One state change of a circuit breaker", items,
                    new String[] {"When (ISO-8601)", "Previous state", "New state", "Why"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Breaker breaker;
    private final AtomicLong sequence = new AtomicLong();

    public CircuitBreakerView(Breaker breaker) {
        super(new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                AttributeChangeNotification.class.getName(), "Sent on every state change of the circuit breaker"));
        this.breaker = breaker;
        breaker.addTransitionListener(this::notifyTransition);
    }

    private static String[] stateNames() {
        CircuitBreaker.State[] states = CircuitBreaker.State.values();
        String[] names = new String[states.length];
        for (int i = 0; i < states.length; i++) {
            names[i] = Breaker.stateName(states[i]);
        }
        return names;
    }

    private void notifyTransition(StateTransition t) {
        AttributeChangeNotification n = new AttributeChangeNotification(this, sequence.incrementAndGet(),
                t.time().toEpochMilli(), "circuit breaker '" + breaker.name() + "' " + t.from() + " -> " + t.to() + ": " + t.reason(),
                "State", String.class.getName(), t.from(), t.to());
        n.setUserData(t.reason());
        sendNotification(n);
    }

    @Override public String getName() { return breaker.name(); }
    @Override public String getState() { return breaker.state(); }

    @Override
    public CompositeData getStates() {
        String current = breaker.state();
        Object[] values = new Object[STATES.length];
        for (int i = 0; i < STATES.length; i++) {
            values[i] = STATES[i].equals(current) ? 1 : 0;
        }
        try {
            return new CompositeDataSupport(STATES_TYPE, STATES, values);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public float getFailureRate() { return breaker.windowMetrics().getFailureRate(); }
    @Override public float getSlowCallRate() { return breaker.windowMetrics().getSlowCallRate(); }
    @Override public int getBufferedCalls() { return breaker.windowMetrics().getNumberOfBufferedCalls(); }
    @Override public int getFailedCalls() { return breaker.windowMetrics().getNumberOfFailedCalls(); }
    @Override public int getSuccessfulCalls() { return breaker.windowMetrics().getNumberOfSuccessfulCalls(); }
    @Override public int getSlowCalls() { return breaker.windowMetrics().getNumberOfSlowCalls(); }
    @Override public int getSlowSuccessfulCalls() { return breaker.windowMetrics().getNumberOfSlowSuccessfulCalls(); }
    @Override public int getSlowFailedCalls() { return breaker.windowMetrics().getNumberOfSlowFailedCalls(); }
    @Override public long getTotalCalls() { return breaker.totalCalls(); }
    @Override public long getSuccessfulCallsTotal() { return breaker.successfulCalls(); }
    @Override public long getFailedCallsTotal() { return breaker.failedCalls(); }
    @Override public long getIgnoredCallsTotal() { return breaker.ignoredCalls(); }
    @Override public long getNotPermittedCallsTotal() { return breaker.notPermittedCalls(); }
    @Override public long getSlowCallsTotal() { return breaker.slowCalls(); }
    @Override public long getFallbackCallsTotal() { return breaker.fallbackCalls(); }
    @Override public double getSuccessfulCallsSecondsSum() { return breaker.successfulSeconds(); }
    @Override public double getFailedCallsSecondsSum() { return breaker.failedSeconds(); }
    @Override public double getIgnoredCallsSecondsSum() { return breaker.ignoredSeconds(); }
    @Override public long getTransitionsTotal() { return breaker.transitionCount(); }

    @Override
    public CompositeData[] getStateHistory() {
        List<StateTransition> history = breaker.history();
        CompositeData[] rows = new CompositeData[history.size()];
        try {
            for (int i = 0; i < rows.length; i++) {
                StateTransition t = history.get(i);
                rows[i] = new CompositeDataSupport(HISTORY_TYPE, new String[] {"time", "from", "to", "reason"},
                        new Object[] {t.time().toString(), t.from(), t.to(), t.reason()});
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    @Override public int getFailureThreshold() { return breaker.settings().failureThreshold(); }
    @Override public int getSuccessThreshold() { return breaker.settings().successThreshold(); }
    @Override public double getCallTimeoutSeconds() { return breaker.settings().callTimeout().toMillis() / 1000.0; }
    @Override public double getResetTimeoutSeconds() { return breaker.settings().resetTimeout().toMillis() / 1000.0; }

    @Override public String reset() { return operate("reset", breaker::reset); }
    @Override public String forceOpen() { return operate("forceOpen", breaker::forceOpen); }
    @Override public String forceClosed() { return operate("forceClosed", breaker::forceClosed); }
    @Override public String transitionToClosed() { return operate("transitionToClosed", breaker::forceClosed); }
    @Override public String disable() { return operate("disable", breaker::disable); }

    /** Only undoes disable: from any other state it would silently close a breaker the operator did not mean to. */
    @Override
    public String enable() {
        String state = breaker.state();
        if (!state.equals("disabled") && !state.equals("metrics_only")) {
            return "enable refused in state " + state + ": only a disabled breaker can be enabled (use forceClosed or reset)";
        }
        return operate("enable", breaker::enable);
    }

    /** Runs an operator action and answers in words; an illegal transition is a message, not a stack trace. */
    private String operate(String action, Runnable operation) {
        String before = breaker.state();
        try {
            operation.run();
            return action + ": " + before + " -> " + breaker.state();
        } catch (RuntimeException e) {
            return action + " refused in state " + before + ": " + e.getMessage();
        }
    }
}
