package io.breakwater.agent.ocpp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * OCPP's authorization cache: the IdTagInfo the CSMS last returned for each idTag (in Authorize,
 * StartTransaction and StopTransaction replies), used to answer Authorize while the CSMS is
 * unreachable. Bounded, in memory only; idTags are personal data and are never logged.
 */
final class AuthorizationCache {
    private record Entry(String idTagInfo, Instant expiry) {}

    private final Cache<String, Entry> entries;
    private final boolean localAuthorizeOffline;
    private final boolean allowOfflineTxForUnknownId;

    AuthorizationCache(int maxEntries, boolean localAuthorizeOffline, boolean allowOfflineTxForUnknownId) {
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
        this.localAuthorizeOffline = localAuthorizeOffline;
        this.allowOfflineTxForUnknownId = allowOfflineTxForUnknownId;
    }

    /** Learns from a reply the CSMS gave to {@code action}. */
    void learn(String action, String request, String reply) {
        if (!action.equals("Authorize") && !action.equals("StartTransaction") && !action.equals("StopTransaction")) {
            return;
        }
        String idTag = JsonFields.string(request, "idTag");
        String info = JsonFields.raw(reply, "idTagInfo");
        if (idTag == null || info == null) {
            return;
        }
        String expiry = JsonFields.string(info, "expiryDate");
        Instant until = null;
        try {
            until = expiry == null ? null : Instant.parse(expiry);
        } catch (DateTimeParseException ignored) {
            // an unparseable expiry is treated as none
        }
        entries.put(idTag, new Entry(info, until));
    }

    /** The Authorize.conf payload to answer offline, or {@code null} when the request must fail. */
    String answerOffline(String request) {
        if (!localAuthorizeOffline) {
            return null;
        }
        String idTag = JsonFields.string(request, "idTag");
        Entry entry = idTag == null ? null : entries.getIfPresent(idTag);
        if (entry != null) {
            boolean expired = entry.expiry() != null && entry.expiry().isBefore(Instant.now());
            boolean accepted = "Accepted".equals(JsonFields.string(entry.idTagInfo(), "status"));
            // Accepted and valid, or Blocked/Invalid/ConcurrentTx as the CSMS said; an expired acceptance is Expired.
            return accepted && expired ? "{\"idTagInfo\":{\"status\":\"Expired\"}}" : "{\"idTagInfo\":" + entry.idTagInfo() + "}";
        }
        return allowOfflineTxForUnknownId ? "{\"idTagInfo\":{\"status\":\"Accepted\"}}" : null;
    }

    long size() {
        return entries.estimatedSize();
    }
}
