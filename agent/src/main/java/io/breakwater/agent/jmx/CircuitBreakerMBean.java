package io.breakwater.agent.jmx;

import javax.management.openmbean.CompositeData;

/**
 * {@code io.breakwater:type=CircuitBreaker,name=<breaker>}. Window values are resilience4j's
 * sliding window (they reset on transitions); {@code *Total} values are monotonic since start.
 */
@Description("A Breakwater circuit breaker in front of one remote service (Redis or the OCPP CSMS): its state, "
        + "counters and settings. Every state change is sent as an AttributeChangeNotification of State.")
public interface CircuitBreakerMBean {
    @Description("Breaker name, as in the MBean name and the Prometheus label 'name'")
    String getName();

    @Description("Current state: closed (calls pass), open (calls are refused or answered by the fallback), "
            + "half_open (probe calls pass), disabled, forced_open or metrics_only")
    String getState();

    @Description("One item per state: 1 for the current state, 0 for the others (exported to Prometheus as "
            + "resilience4j_circuitbreaker_state)")
    CompositeData getStates();

    @Description("Percentage of failed calls in the sliding window; -1 until the window holds enough calls")
    float getFailureRate();

    @Description("Percentage of calls slower than the call timeout in the sliding window; -1 until the window is full")
    float getSlowCallRate();

    @Description("Calls in the sliding window (reset on every state change)")
    int getBufferedCalls();

    @Description("Failed calls in the sliding window (reset on every state change)")
    int getFailedCalls();

    @Description("Successful calls in the sliding window (reset on every state change)")
    int getSuccessfulCalls();

    @Description("Calls slower than the call timeout in the sliding window")
    int getSlowCalls();

    @Description("Slow calls in the sliding window that otherwise succeeded")
    int getSlowSuccessfulCalls();

    @Description("Slow calls in the sliding window that failed")
    int getSlowFailedCalls();

    @Description("Every call that reached the breaker since start: permitted (any outcome) plus refused")
    long getTotalCalls();

    @Description("Permitted calls that succeeded, since start")
    long getSuccessfulCallsTotal();

    @Description("Permitted calls that failed (connection, socket or timeout error, or slower than the call timeout), "
            + "since start")
    long getFailedCallsTotal();

    @Description("Permitted calls whose error is not a failure of the service (a Redis error reply, an OCPP "
            + "CALLERROR), since start")
    long getIgnoredCallsTotal();

    @Description("Calls refused because the breaker did not permit them, since start")
    long getNotPermittedCallsTotal();

    @Description("Calls slower than the call timeout, since start")
    long getSlowCallsTotal();

    @Description("Calls answered by a fallback instead of the remote service, since start")
    long getFallbackCallsTotal();

    @Description("Seconds spent in calls that succeeded, since start")
    double getSuccessfulCallsSecondsSum();

    @Description("Seconds spent in calls that failed, since start")
    double getFailedCallsSecondsSum();

    @Description("Seconds spent in calls whose outcome was ignored, since start")
    double getIgnoredCallsSecondsSum();

    @Description("State changes since start")
    long getTransitionsTotal();

    @Description("The last 64 state changes, oldest first: time, from, to and reason")
    CompositeData[] getStateHistory();

    @Description("Setting: consecutive failures that open the breaker")
    int getFailureThreshold();

    @Description("Setting: successful probe calls in half_open that close the breaker")
    int getSuccessThreshold();

    @Description("Setting: a call slower than this many seconds counts as a failure")
    double getCallTimeoutSeconds();

    @Description("Setting: seconds in open before probe calls are let through")
    double getResetTimeoutSeconds();

    @Description("Back to closed with an empty sliding window, whatever the state; answers what it did")
    String reset();

    @Description("Open and stay open (forced_open) until forceClosed, reset or enable: every call is refused or "
            + "answered by the fallback")
    String forceOpen();

    @Description("Close now (from open, half_open, forced_open or disabled); answers what it did")
    String forceClosed();

    @Description("Same as forceClosed (the resilience4j name)")
    String transitionToClosed();

    @Description("Stop protecting: every call passes and nothing opens the breaker until enable")
    String disable();

    @Description("Protect again after disable (back to closed); refused in any other state")
    String enable();
}
