package io.breakwater.simulator.ocpp;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One outstanding CALL per charge point (OCPP-J 1.6 §4.1.1): CALLs wait here in order and each one goes through
 * {@link OcppConnection#call} only after the previous one completed, however it completed.
 *
 * <p>Asynchronous, no thread of its own and no thread ever waits: the next CALL is sent by whichever thread
 * completes the previous one (the WebSocket reader for an answer, the closing thread for a lost connection, a
 * timer of whoever added a timeout). The queue itself never times out and never drops a message: a CALL that is
 * never answered holds the line until someone completes it (closing the connection does, and so does the timeout a
 * resilience layer adds around {@code call}). A failed CALL fails its own caller's future and the queue moves on.
 *
 * <p>A payload may be given as a supplier, evaluated when the CALL leaves the queue: a transaction message can then
 * carry the transaction id from a StartTransaction answered while it waited. A supplier that returns {@code null}
 * means "nothing to send any more": the caller's future fails with {@link Skipped} and {@code call} is not invoked.
 */
public final class OcppCallQueue {

    /** The payload supplier returned {@code null}: the message was not sent. */
    public static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skipped(String action) {
            super(action + " not sent: nothing to send any more", null, false, false);
        }
    }

    private record Entry(String action, Supplier<String> payload, CompletableFuture<String> caller) {
    }

    private final OcppConnection connection;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    /** True from the moment a CALL is handed to the connection until its future completes. */
    private boolean busy;
    private boolean closed;
    private Throwable closedBecause;

    public OcppCallQueue(OcppConnection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    public OcppConnection connection() {
        return connection;
    }

    /** Queues a CALL with a fixed payload; see {@link #submit(String, Supplier)}. */
    public CompletableFuture<String> submit(String action, String payloadJson) {
        return submit(action, () -> payloadJson);
    }

    /**
     * Queues a CALL. The returned future completes as the one {@link OcppConnection#call} returned for it (answer,
     * {@link OcppTransportException}, {@link OcppCallErrorException}, a timeout added by someone else), or fails with
     * {@link Skipped}, or with the reason given to {@link #close} if it was still waiting then. Never throws.
     */
    public CompletableFuture<String> submit(String action, Supplier<String> payload) {
        CompletableFuture<String> caller = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                caller.completeExceptionally(closedBecause);
                return caller;
            }
            waiting.addLast(new Entry(action, payload, caller));
            if (busy) {
                return caller;
            }
            busy = true;
        }
        sendNext();
        return caller;
    }

    /** CALLs waiting behind the one outstanding (not counting it). */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** True while a CALL is with the connection and not completed. */
    public synchronized boolean isBusy() {
        return busy;
    }

    /** Fails every waiting CALL with {@code reason} and refuses new ones; the outstanding one completes as it will. */
    public void close(Throwable reason) {
        ArrayDeque<Entry> dropped;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closedBecause = reason;
            dropped = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        for (Entry entry : dropped) {
            entry.caller.completeExceptionally(reason);
        }
    }

    /**
     * Sends waiting CALLs until one is outstanding. Only the thread that owns {@code busy} runs this, so CALLs leave
     * strictly one at a time; a CALL that completes at once (e.g. failed while disconnected) is handled in this loop
     * rather than by recursion, so a long queue cannot overflow the stack.
     */
    private void sendNext() {
        while (true) {
            Entry entry;
            synchronized (this) {
                entry = waiting.pollFirst();
                if (entry == null) {
                    busy = false;
                    return;
                }
            }
            CompletableFuture<String> reply = send(entry);
            if (reply.isDone()) {
                relay(reply, entry.caller);
                continue;
            }
            reply.whenComplete((value, error) -> {
                relay(reply, entry.caller);
                sendNext();
            });
            return;
        }
    }

    private CompletableFuture<String> send(Entry entry) {
        try {
            String payload = entry.payload.get();
            if (payload == null) {
                return CompletableFuture.failedFuture(new Skipped(entry.action));
            }
            CompletableFuture<String> reply = connection.call(entry.action, payload);
            return reply != null ? reply
                    : CompletableFuture.failedFuture(new IllegalStateException("call returned no future"));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /** Completes the caller as the CALL completed, unwrapping nothing: the caller sees what {@code call} gave. */
    private static void relay(CompletableFuture<String> reply, CompletableFuture<String> caller) {
        reply.whenComplete((value, error) -> {
            if (error != null) {
                caller.completeExceptionally(unwrap(error));
            } else {
                caller.complete(value);
            }
        });
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof java.util.concurrent.CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
