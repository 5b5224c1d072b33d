package io.breakwater.agent.jmx;

/** {@code io.breakwater:type=OfflineQueue,name=<breaker>}: OCPP messages waiting for the CSMS. */
@Description("OCPP transaction messages kept while the CSMS is unreachable, delivered in order once it is back")
public interface OfflineQueueMBean {
    @Description("Messages waiting in all charge points' queues")
    int getQueued();

    @Description("Bound on all queues together (ocpp.offline.maxQueuedMessages)")
    int getCapacity();

    @Description("Queued messages delivered to the CSMS, since start")
    long getDeliveredTotal();

    @Description("Messages dropped, since start: MeterValues when the queues were full (any message past twice the"
            + " bound), and those waiting for a charge point connection the application discarded")
    long getDroppedTotal();

    @Description("Queued messages given up after ocpp.offline.transactionMessageAttempts CALLERRORs or timeouts, since start")
    long getFailedTotal();

    @Description("Age of the oldest waiting message, in seconds (0 when none waits)")
    double getOldestAgeSeconds();

    @Description("idTags in the authorization cache (the tags themselves are never shown)")
    long getCachedAuthorizations();
}
