package io.breakwater.simulator.csms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the CSMS received: a count per action (never forgets) and the most recent CALLs (bounded). */
final class ReceivedCalls {

    static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final ArrayDeque<ReceivedCall> recent = new ArrayDeque<>();

    ReceivedCalls(int capacity) {
        this.capacity = capacity;
    }

    void record(ReceivedCall call) {
        counts.computeIfAbsent(call.action(), a -> new LongAdder()).increment();
        synchronized (recent) {
            if (recent.size() >= capacity) {
                recent.removeFirst();
            }
            recent.addLast(call);
        }
    }

    long count(String action) {
        LongAdder count = counts.get(action);
        return count == null ? 0 : count.sum();
    }

    Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((action, count) -> snapshot.put(action, count.sum()));
        return snapshot;
    }

    List<ReceivedCall> snapshot() {
        synchronized (recent) {
            return List.copyOf(new ArrayList<>(recent));
        }
    }

    void clear() {
        counts.clear();
        synchronized (recent) {
            recent.clear();
        }
    }
}
