package io.breakwater.agent.ocpp;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One charge point's messages waiting for the CSMS: transaction messages in order, and the latest
 * StatusNotification per connector. Holds its charge point's connection weakly, so a charge point
 * that goes away takes its queue with it.
 */
final class OfflineQueue {
    /** A message and the future the application holds for its answer. */
    static final class Message {
        final int target;
        final String action;
        final Object[] arguments;
        final CompletableFuture<Object> caller;
        final long queuedAtNanos = System.nanoTime();
        /** As the application gave them. */
        final Integer connectorId;
        final Integer transactionId;
        /** The request's idTag (Start, and Stop where given): tells apart Starts a Stop could belong to. */
        final String idTag;
        int attempts;
        /** For a Stop or MeterValues: the queued Start it belongs to (see {@link TransactionLinks}). */
        volatile Message start;
        /** For a Start: the transaction id its reply carried, once delivered. */
        volatile Integer assignedTransactionId;
        /** For a Start: a Stop was linked to it. */
        boolean stopped;

        Message(int target, String action, Object[] arguments, CompletableFuture<Object> caller,
                Integer connectorId, Integer transactionId, String idTag) {
            this.target = target;
            this.action = action;
            this.arguments = arguments;
            this.caller = caller;
            this.connectorId = connectorId;
            this.transactionId = transactionId;
            this.idTag = idTag;
        }

        /** The transaction id to send this message with instead of the application's, or {@code null}. */
        Integer linkedTransactionId() {
            Message linked = start;
            return linked == null ? null : linked.assignedTransactionId;
        }
    }

    private final WeakReference<Object> connection;
    private final ArrayDeque<Message> transactions = new ArrayDeque<>();
    private final Map<Integer, Message> latestStatus = new LinkedHashMap<>();
    final TransactionLinks links = new TransactionLinks();
    /** One outstanding CALL per charge point: set while a delivery is in flight. */
    boolean delivering;

    OfflineQueue(Object connection) {
        this.connection = new WeakReference<>(connection);
    }

    Object connection() {
        return connection.get();
    }

    synchronized boolean isEmpty() {
        return transactions.isEmpty();
    }

    synchronized int size() {
        return transactions.size();
    }

    /** Appends {@code message}, linked to the waiting Start it belongs to, if any. */
    synchronized void add(Message message) {
        if (message.action.equals("StopTransaction") || message.action.equals("MeterValues")) {
            List<Message> waitingStarts = transactions.stream().filter(m -> m.action.equals("StartTransaction")).toList();
            message.start = waitingStarts.isEmpty() ? null : links.link(message, waitingStarts);
        }
        transactions.addLast(message);
    }

    synchronized Message head() {
        return transactions.peekFirst();
    }

    /** @return whether {@code expected} was the head and is gone now (false if someone removed it first) */
    synchronized boolean removeHead(Message expected) {
        if (transactions.peekFirst() == expected) {
            transactions.removeFirst();
            return true;
        }
        return false;
    }

    /** Empties the transaction messages, oldest first (the latest statuses are not messages anyone waits for). */
    synchronized List<Message> takeAll() {
        List<Message> all = List.copyOf(transactions);
        transactions.clear();
        return all;
    }

    /** Removes the oldest queued MeterValues to make room; {@code null} if there is none. */
    synchronized Message dropOldestMeterValues() {
        for (Iterator<Message> it = transactions.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.action.equals("MeterValues") && m != transactions.peekFirst()) {
                it.remove();
                return m;
            }
        }
        return null;
    }

    synchronized void keepLatestStatus(int connectorId, Message status) {
        latestStatus.put(connectorId, status);
    }

    synchronized List<Message> takeStatuses() {
        List<Message> statuses = List.copyOf(latestStatus.values());
        latestStatus.clear();
        return statuses;
    }

    synchronized long oldestAgeNanos() {
        Message head = transactions.peekFirst();
        return head == null ? 0 : System.nanoTime() - head.queuedAtNanos;
    }
}
