package io.breakwater.agent.jmx;

/** {@code io.breakwater:type=Fallback,name=<breaker>}: the in-memory copy that answers while Redis is away. */
public interface FallbackMBean {
    long getSize();

    long getWeightBytes();

    long getMaxWeightBytes();

    long getEvictions();

    long getServedTotal();
}
