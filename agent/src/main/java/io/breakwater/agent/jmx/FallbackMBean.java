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

    @Description("Writes made while Redis was unavailable and not yet replayed to it")
    int getJournalLength();

    @Description("Bound on the journal (redis.journal.maxEntries)")
    int getJournalCapacity();

    @Description("Writes journaled for replay, since start")
    long getJournaledTotal();

    @Description("Journaled writes replayed to Redis, since start")
    long getReplayedTotal();

    @Description("Journaled writes skipped at replay because a later write replaced their key, since start")
    long getSupersededTotal();

    @Description("Writes not journaled because the journal was full: they stayed in memory only and never reached Redis")
    long getJournalDroppedTotal();

    @Description("Journaled writes Redis answered with an error at replay (a write whose replay failed otherwise stays and is sent again)")
    long getReplayFailedTotal();
}
