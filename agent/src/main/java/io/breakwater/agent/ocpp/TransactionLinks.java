package io.breakwater.agent.ocpp;

import io.breakwater.agent.log.Log;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One charge point's answer to "which transaction is this?" for a StopTransaction or MeterValues
 * queued while its StartTransaction is still waiting in the queue: the application cannot know the
 * transaction id yet and sends a placeholder. Such a message is linked to the waiting Start and sent
 * with the id from that Start's reply.
 *
 * <p>A message whose transactionId the CSMS assigned on this charge point (seen in a Start reply) is
 * never linked. Otherwise: the Start its placeholder was linked to before, if that Start is on the
 * same connector (MeterValues) and has no Stop yet; else, for MeterValues, the newest waiting Start
 * on the same connector; for StopTransaction (which names no connector), the one waiting Start
 * without a Stop — or, when there are several, the one with the Stop's idTag. A Stop that could
 * belong to more than one Start is not linked (it goes out with the application's id, and the CSMS
 * refuses it) rather than guessed: stopping the wrong transaction would bill the wrong session.
 */
final class TransactionLinks {
    private static final int REMEMBERED_IDS = 256;

    private final LinkedHashSet<Integer> assigned = new LinkedHashSet<>();
    private static final int REMEMBERED_PLACEHOLDERS = 64;
    /** Placeholder to Start, bounded: an entry whose Stop went out live is never forgotten otherwise. */
    private final Map<Integer, OfflineQueue.Message> byPlaceholder = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, OfflineQueue.Message> eldest) {
            return size() > REMEMBERED_PLACEHOLDERS;
        }
    };

    /** The CSMS assigned {@code transactionId} (a StartTransaction reply). */
    synchronized void assigned(int transactionId) {
        assigned.remove(transactionId);
        assigned.add(transactionId);
        if (assigned.size() > REMEMBERED_IDS) {
            Iterator<Integer> oldest = assigned.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * The waiting Start {@code message} belongs to, or {@code null}; remembers the link.
     *
     * @param waitingStarts the charge point's StartTransaction messages still queued, oldest first
     */
    synchronized OfflineQueue.Message link(OfflineQueue.Message message, List<OfflineQueue.Message> waitingStarts) {
        Integer placeholder = message.transactionId;
        if (placeholder == null || assigned.contains(placeholder)) {
            return null;
        }
        boolean meterValues = message.action.equals("MeterValues");
        OfflineQueue.Message start = byPlaceholder.get(placeholder);
        if (start != null && (start.stopped || !waitingStarts.contains(start)
                || meterValues && !Objects.equals(start.connectorId, message.connectorId))) {
            start = null; // that placeholder now stands for another transaction
        }
        if (start == null) {
            start = meterValues ? newestOnConnector(waitingStarts, message.connectorId) : onlyCandidateFor(message, waitingStarts);
        }
        if (start == null) {
            return null;
        }
        if (message.action.equals("StopTransaction")) {
            start.stopped = true;
            byPlaceholder.remove(placeholder); // the next session may reuse the placeholder
        } else {
            byPlaceholder.put(placeholder, start);
        }
        return start;
    }

    private static OfflineQueue.Message newestOnConnector(List<OfflineQueue.Message> starts, Integer connectorId) {
        for (int i = starts.size() - 1; i >= 0; i--) {
            OfflineQueue.Message start = starts.get(i);
            if (connectorId != null && connectorId.equals(start.connectorId) && !start.stopped) {
                return start;
            }
        }
        return null;
    }

    /** The one waiting Start without a Stop that {@code stop} can belong to, or {@code null} if none or several. */
    private static OfflineQueue.Message onlyCandidateFor(OfflineQueue.Message stop, List<OfflineQueue.Message> starts) {
        List<OfflineQueue.Message> open = starts.stream().filter(s -> !s.stopped).toList();
        if (open.size() > 1 && stop.idTag != null) {
            open = open.stream().filter(s -> stop.idTag.equals(s.idTag)).toList();
        }
        if (open.size() == 1) {
            return open.get(0);
        }
        if (open.size() > 1) {
            Log.warnOnce("ocpp-ambiguous-stop", "a StopTransaction queued behind " + open.size() + " unanswered StartTransactions"
                    + " could belong to any of them; it is sent with the application's transaction id, not guessed");
        }
        return null;
    }

    /** The Stop with this placeholder was delivered or given up: the placeholder may be reused. */
    synchronized void forget(Integer placeholder) {
        if (placeholder != null) {
            byPlaceholder.remove(placeholder);
        }
    }
}
