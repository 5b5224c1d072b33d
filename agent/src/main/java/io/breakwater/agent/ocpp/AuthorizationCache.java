package io.breakwater.agent.ocpp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;

/**
 * OCPP's authorization cache: the IdTagInfo the CSMS last returned for each idTag (in Authorize,
 * StartTransaction and StopTransaction replies), used to answer Authorize while the CSMS is
 * unreachable. Bounded, in memory only; idTags are personal data and are never logged.
 */
final class AuthorizationCache {
    private static final IdTagInfo EXPIRED = IdTagInfo.withStatus("Expired");
    private static final IdTagInfo ACCEPTED = IdTagInfo.withStatus("Accepted");

    private final Cache<String, IdTagInfo> entries;
    private final boolean localAuthorizeOffline;
    private final boolean allowOfflineTxForUnknownId;

    AuthorizationCache(int maxEntries, boolean localAuthorizeOffline, boolean allowOfflineTxForUnknownId) {
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
        this.localAuthorizeOffline = localAuthorizeOffline;
        this.allowOfflineTxForUnknownId = allowOfflineTxForUnknownId;
    }

    /** Learns what the CSMS replied about {@code idTag} to {@code action}; {@code null}s are ignored. */
    void learn(String action, String idTag, IdTagInfo info) {
        if (carriesIdTagInfo(action) && idTag != null && info != null) {
            entries.put(idTag, info);
        }
    }

    /** Whether the CSMS's reply to {@code action} has an IdTagInfo (OCPP 1.6: Authorize, StartTransaction, StopTransaction). */
    static boolean carriesIdTagInfo(String action) {
        return action.equals("Authorize") || action.equals("StartTransaction") || action.equals("StopTransaction");
    }

    /** What to answer an Authorize for {@code idTag} with while offline, or {@code null} when it must fail. */
    IdTagInfo answerOffline(String idTag) {
        if (!localAuthorizeOffline) {
            return null;
        }
        IdTagInfo known = idTag == null ? null : entries.getIfPresent(idTag);
        if (known != null) {
            // Accepted and valid, or Blocked/Invalid/ConcurrentTx as the CSMS said; an expired acceptance is Expired.
            return known.isAccepted() && known.hasExpired(Instant.now()) ? EXPIRED : known;
        }
        return allowOfflineTxForUnknownId ? ACCEPTED : null;
    }

    long size() {
        return entries.estimatedSize();
    }
}
