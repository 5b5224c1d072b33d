package io.breakwater.agent.jmx;

import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.redis.MemoryStore;
import io.breakwater.agent.redis.WriteJournal;
import io.breakwater.agent.util.BuiltLater;

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

    @Override public long getSize() { MemoryStore m = memory.ifBuilt(); return m == null ? 0 : m.size(); }
    @Override public long getWeightBytes() { MemoryStore m = memory.ifBuilt(); return m == null ? 0 : m.weight(); }
    @Override public long getMaxWeightBytes() { return maxBytes; }
    @Override public long getEvictions() { MemoryStore m = memory.ifBuilt(); return m == null ? 0 : m.stats().evictionCount(); }
    @Override public long getServedTotal() { return breaker.fallbackCalls(); }
    @Override public int getJournalLength() { return journal.size(); }
    @Override public int getJournalCapacity() { return journal.capacity(); }
    @Override public long getJournaledTotal() { return journal.appended(); }
    @Override public long getReplayedTotal() { return journal.replayed(); }
    @Override public long getSupersededTotal() { return journal.superseded(); }
    @Override public long getJournalDroppedTotal() { return journal.dropped(); }
    @Override public long getReplayFailedTotal() { return journal.failed(); }
}
