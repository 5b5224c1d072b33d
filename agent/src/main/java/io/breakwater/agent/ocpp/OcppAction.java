package io.breakwater.agent.ocpp;

/** What an offline charge point does with each kind of CP-to-CSMS message (OCPP 1.6 §3.7, §4). */
enum OcppAction {
    /** Never short-circuited: the charge point's own probe of the CSMS. */
    BOOT,
    /** StartTransaction, StopTransaction and MeterValues of a transaction: queued, delivered in order. */
    TRANSACTION,
    /** Only the latest per connector is kept, and sent after the queue. */
    STATUS,
    /** Answered from the authorization cache. */
    AUTHORIZE,
    /** Dropped: a heartbeat has no value later. */
    HEARTBEAT,
    /** Everything else fails fast. */
    OTHER;

    /** @param hasTransactionId whether the request carries a {@code transactionId} */
    static OcppAction of(String action, boolean hasTransactionId) {
        return switch (action) {
            case "BootNotification" -> BOOT;
            case "StartTransaction", "StopTransaction" -> TRANSACTION;
            // MeterValues outside a transaction are only a snapshot: not worth queueing.
            case "MeterValues" -> hasTransactionId ? TRANSACTION : OTHER;
            case "StatusNotification" -> STATUS;
            case "Authorize" -> AUTHORIZE;
            case "Heartbeat" -> HEARTBEAT;
            default -> OTHER;
        };
    }
}
