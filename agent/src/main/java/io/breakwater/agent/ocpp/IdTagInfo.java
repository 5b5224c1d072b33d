package io.breakwater.agent.ocpp;

import java.time.Instant;

/**
 * What the CSMS said about an idTag (OCPP 1.6 IdTagInfo), whatever stack it came from.
 *
 * @param status {@code Accepted}, {@code Blocked}, {@code Expired}, {@code Invalid} or {@code ConcurrentTx}
 * @param expiry when an acceptance ends, or {@code null}
 * @param original the stack's own form of it to answer with unchanged, JSON text only (never an
 *     application object: the cache would pin its class loader), or {@code null}
 */
record IdTagInfo(String status, Instant expiry, Object original) {

    /** One the agent answers with itself: only a status. */
    static IdTagInfo withStatus(String status) {
        return new IdTagInfo(status, null, null);
    }

    boolean isAccepted() {
        return "Accepted".equals(status);
    }

    boolean hasExpired(Instant now) {
        return expiry != null && expiry.isBefore(now);
    }
}
