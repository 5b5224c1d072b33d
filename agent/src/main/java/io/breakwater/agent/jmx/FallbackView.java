package io.breakwater.agent.jmx;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.redis.MemoryStore;

/** The JMX face of the Redis memory fallback. */
public final class FallbackView implements FallbackMBean {
    private final MemoryStore memory;
    private final Breaker breaker;
    private final long maxBytes;

    public FallbackView(MemoryStore memory, Breaker breaker, long maxBytes) {
        this.memory = memory;
        this.breaker = breaker;
        this.maxBytes = maxBytes;
    }

    @Override public long getSize() { return memory.size(); }
    @Override public long getWeightBytes() { return memory.weight(); }
    @Override public long getMaxWeightBytes() { return maxBytes; }
    @Override public long getEvictions() { return memory.stats().evictionCount(); }
    @Override public long getServedTotal() { return breaker.fallbackCalls(); }
}
