package io.breakwater.agent.config;

import java.time.Duration;

/**
 * How the OCPP breaker behaves as an offline charge point (OCPP 1.6 §3.7, §4.9 and the
 * configuration keys of the same names).
 *
 * @param maxQueuedMessages bound of all offline queues together; overflow drops the oldest
 *     MeterValues first, never a StartTransaction or StopTransaction
 * @param transactionMessageAttempts deliveries of a transaction message the CSMS rejected (CALLERROR) or left unanswered
 * @param transactionMessageRetryInterval wait before retry n is n times this
 */
public record OfflineSettings(
        boolean queueTransactions,
        int maxQueuedMessages,
        int transactionMessageAttempts,
        Duration transactionMessageRetryInterval,
        boolean localAuthorizeOffline,
        boolean allowOfflineTxForUnknownId,
        int authorizationCacheEntries) {

    public static OfflineSettings defaults() {
        return new OfflineSettings(true, 10_000, 3, Duration.ofSeconds(10), true, false, 10_000);
    }
}
