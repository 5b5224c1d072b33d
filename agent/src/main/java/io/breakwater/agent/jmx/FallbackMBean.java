package io.breakwater.agent.jmx;

/** {@code io.breakwater:type=Fallback,name=<breaker>}: the in-memory copy that answers while Redis is away. */
@Description("The in-memory copy of Redis that answers supported commands while the Redis breaker does not permit calls")
public interface FallbackMBean {
    @Description("Keys held in memory")
    long getSize();

    @Description("Approximate bytes held in memory")
    long getWeightBytes();

    @Description("Bound on the bytes held (redis.fallback.maxBytes); least recently used keys are evicted beyond it")
    long getMaxWeightBytes();

    @Description("Keys evicted to stay within the bound, since start")
    long getEvictions();

    @Description("Calls answered from memory instead of Redis, since start")
    long getServedTotal();
}
