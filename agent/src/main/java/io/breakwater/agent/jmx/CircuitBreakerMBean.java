package io.breakwater.agent.jmx;

import javax.management.openmbean.CompositeData;

/**
 * {@code io.breakwater:type=CircuitBreaker,name=<breaker>}. Window values are resilience4j's
 * sliding window (they reset on transitions); {@code *Total} values are monotonic since start.
 */
public interface CircuitBreakerMBean {
    String getName();

    /** closed, open, half_open, disabled, forced_open or metrics_only. */
    String getState();

    /** One-hot: each state name mapped to 1 for the current state, 0 otherwise (for Prometheus). */
    CompositeData getStates();

    float getFailureRate();

    float getSlowCallRate();

    int getBufferedCalls();

    int getFailedCalls();

    int getSuccessfulCalls();

    int getSlowCalls();

    int getSlowSuccessfulCalls();

    int getSlowFailedCalls();

    long getTotalCalls();

    long getSuccessfulCallsTotal();

    long getFailedCallsTotal();

    long getIgnoredCallsTotal();

    long getNotPermittedCallsTotal();

    long getSlowCallsTotal();

    long getFallbackCallsTotal();

    double getSuccessfulCallsSecondsSum();

    double getFailedCallsSecondsSum();

    double getIgnoredCallsSecondsSum();

    long getTransitionsTotal();

    CompositeData[] getStateHistory();

    int getFailureThreshold();

    int getSuccessThreshold();

    double getCallTimeoutSeconds();

    double getResetTimeoutSeconds();

    String reset();

    String forceOpen();

    String forceClosed();

    String transitionToClosed();

    String disable();

    String enable();
}
