package io.breakwater.agent.ocpp;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One charge point's answer to "which transaction is this?" for a StopTransaction or MeterValues
 * queued while its StartTransaction is still waiting in the queue: the application cannot know the
 * transaction id yet and sends a placeholder. Such a message is linked to the waiting Start and sent
 * with the id from that Start's reply.
 *
 * <p>A message whose transactionId the CSMS assigned on this charge point (seen in a Start reply) is
 * never linked. Otherwise: the Start its placeholder was linked to before; else, for MeterValues,
 * the newest waiting Start on the same connector; for StopTransaction (which names no connector),
 * the oldest waiting Start no Stop was linked to yet.
 */
final class TransactionLinks {
    private static final int REMEMBERED_IDS = 256;

    private final LinkedHashSet<Integer> assigned = new LinkedHashSet<>();
    private final Map<Integer, OfflineQueue.Message> byPlaceholder = new HashMap<>();

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
        OfflineQueue.Message start = byPlaceholder.get(placeholder);
        if (start == null) {
            start = message.action.equals("MeterValues") ? newestOnConnector(waitingStarts, message.connectorId) : oldestNotStopped(waitingStarts);
        }
        if (start == null) {
            return null;
        }
        byPlaceholder.put(placeholder, start);
        if (message.action.equals("StopTransaction")) {
            start.stopped = true;
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

    private static OfflineQueue.Message oldestNotStopped(List<OfflineQueue.Message> starts) {
        for (OfflineQueue.Message start : starts) {
            if (!start.stopped) {
                return start;
            }
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
