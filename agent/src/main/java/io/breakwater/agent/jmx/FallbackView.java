package io.breakwater.agent.jmx;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.redis.MemoryStore;
import io.breakwater.agent.redis.WriteJournal;
import io.breakwater.agent.util.BuiltLater;
import java.util.function.ToLongFunction;

/** The JMX face of the Redis memory fallback; an empty memory until it is built (reading never builds it). */
public final class FallbackView implements FallbackMBean {
    private final BuiltLater<MemoryStore> memory;
    private final WriteJournal journal;
    private final Breaker breaker;
    private final long maxBytes;

    public FallbackView(BuiltLater<MemoryStore> memory, WriteJournal journal, Breaker breaker, long maxBytes) {
        this.memory = memory;
        this.journal = journal;
        this.breaker = breaker;
        this.maxBytes = maxBytes;
    }

    @Override public long getSize() { return ofMemory(MemoryStore::size); }
    @Override public long getWeightBytes() { return ofMemory(MemoryStore::weight); }
    @Override public long getMaxWeightBytes() { return maxBytes; }
    @Override public long getEvictions() { return ofMemory(m -> m.stats().evictionCount()); }
    @Override public long getServedTotal() { return breaker.fallbackCalls(); }
    @Override public int getJournalLength() { return journal.size(); }
    @Override public int getJournalCapacity() { return journal.capacity(); }
    @Override public long getJournaledTotal() { return journal.appended(); }
    @Override public long getReplayedTotal() { return journal.replayed(); }
    @Override public long getSupersededTotal() { return journal.superseded(); }
    @Override public long getJournalDroppedTotal() { return journal.dropped(); }
    @Override public long getReplayFailedTotal() { return journal.failed(); }

    /** {@code figure} of the memory, or 0 while it is not built. */
    private long ofMemory(ToLongFunction<MemoryStore> figure) {
        MemoryStore built = memory.ifBuilt();
        return built == null ? 0 : figure.applyAsLong(built);
    }
}
