package io.breakwater.agent.ocpp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.breakwater.agent.util.BuiltLater;
import java.time.Instant;

/**
 * OCPP's authorization cache: the IdTagInfo the CSMS last returned for each idTag (in Authorize,
 * StartTransaction and StopTransaction replies), used to answer Authorize while the CSMS is
 * unreachable. Bounded, in memory only; idTags are personal data and are never logged.
 *
 * <p>The Caffeine cache behind it initialises JDK logging, so it is built by {@link #build} once the
 * application is up, or else by the first reply worth remembering (so that no IdTagInfo the CSMS gave
 * is lost); answering while nothing was learnt yet needs no cache.
 */
final class AuthorizationCache {
    private static final IdTagInfo EXPIRED = IdTagInfo.withStatus("Expired");
    private static final IdTagInfo ACCEPTED = IdTagInfo.withStatus("Accepted");

    private final BuiltLater<Cache<String, IdTagInfo>> entries;
    private final boolean localAuthorizeOffline;
    private final boolean allowOfflineTxForUnknownId;

    AuthorizationCache(int maxEntries, boolean localAuthorizeOffline, boolean allowOfflineTxForUnknownId) {
        this.entries = new BuiltLater<>(() -> Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build());
        this.localAuthorizeOffline = localAuthorizeOffline;
        this.allowOfflineTxForUnknownId = allowOfflineTxForUnknownId;
    }

    /** Learns what the CSMS replied about {@code idTag} to {@code action}; {@code null}s are ignored. */
    void learn(String action, String idTag, IdTagInfo info) {
        if (carriesIdTagInfo(action) && idTag != null && info != null) {
            entries.get().put(idTag, info);
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
        Cache<String, IdTagInfo> learnt = entries.ifBuilt();
        IdTagInfo known = idTag == null || learnt == null ? null : learnt.getIfPresent(idTag);
        if (known != null) {
            // Accepted and valid, or Blocked/Invalid/ConcurrentTx as the CSMS said; an expired acceptance is Expired.
            return known.isAccepted() && known.hasExpired(Instant.now()) ? EXPIRED : known;
        }
        return allowOfflineTxForUnknownId ? ACCEPTED : null;
    }

    /** Builds the cache ahead of need; for the agent's thread once the application is up. */
    void build() {
        entries.get();
    }

    boolean isBuilt() {
        return entries.ifBuilt() != null;
    }

    long size() {
        Cache<String, IdTagInfo> learnt = entries.ifBuilt();
        return learnt == null ? 0 : learnt.estimatedSize();
    }
}
