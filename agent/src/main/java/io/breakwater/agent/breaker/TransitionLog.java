package io.breakwater.agent.breaker;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The state changes a breaker reports: their count, a bounded history with reasons, and the
 * listeners (JMX notifications) told of each one on the agent's own thread, never the caller's.
 */
final class TransitionLog {
    private static final int HISTORY_LIMIT = 64;

    private final Executor listenerThread;
    private final AtomicLong count = new AtomicLong();
    private final ArrayDeque<StateTransition> history = new ArrayDeque<>();
    private final List<Consumer<StateTransition>> listeners = new CopyOnWriteArrayList<>();

    TransitionLog(Executor listenerThread) {
        this.listenerThread = listenerThread;
    }

    /** Records one transition and hands it to the listeners. */
    void add(String from, String to, String reason) {
        StateTransition entry = new StateTransition(Instant.now(), from, to, reason);
        count.incrementAndGet();
        synchronized (history) {
            if (history.size() == HISTORY_LIMIT) {
                history.removeFirst();
            }
            history.addLast(entry);
        }
        for (Consumer<StateTransition> listener : listeners) {
            try {
                listenerThread.execute(() -> listener.accept(entry));
            } catch (RejectedExecutionException stopped) {
                return; // the agent is shutting down: nobody is left to notify
            }
        }
    }

    void addListener(Consumer<StateTransition> listener) {
        listeners.add(listener);
    }

    long count() {
        return count.get();
    }

    List<StateTransition> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }
}
