package io.breakwater.agent.jmx;

import io.breakwater.agent.ocpp.OcppGuard;

/** The JMX face of the OCPP offline queues. */
public final class OfflineQueueView implements OfflineQueueMBean {
    private final OcppGuard guard;
    private final int capacity;

    public OfflineQueueView(OcppGuard guard, int capacity) {
        this.guard = guard;
        this.capacity = capacity;
    }

    @Override public int getQueued() { return guard.queuedMessages(); }
    @Override public int getCapacity() { return capacity; }
    @Override public long getDeliveredTotal() { return guard.deliveredMessages(); }
    @Override public long getDroppedTotal() { return guard.droppedMessages(); }
    @Override public long getFailedTotal() { return guard.failedDeliveries(); }
    @Override public double getOldestAgeSeconds() { return guard.oldestQueuedSeconds(); }
    @Override public long getCachedAuthorizations() { return guard.cachedAuthorizations(); }
}
