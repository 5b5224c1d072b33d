package io.breakwater.simulator.csms;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every CALL received, per charge point, in arrival order. Bounded in total: past the capacity, each new record
 * pushes out the oldest record of its own charge point, and {@link #dropped()} says how many went.
 */
final class CallLog {

    static final int DEFAULT_CAPACITY = 1_000_000;

    private final ConcurrentHashMap<String, ArrayDeque<CallRecord>> byChargePoint = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile int capacity;

    CallLog(int capacity) {
        setCapacity(capacity);
    }

    void setCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    void record(String chargePointId, CallRecord call) {
        ArrayDeque<CallRecord> calls = byChargePoint.computeIfAbsent(chargePointId, id -> new ArrayDeque<>());
        synchronized (calls) {
            if (size.get() >= capacity && !calls.isEmpty()) {
                calls.removeFirst();
                dropped.incrementAndGet();
            } else {
                size.incrementAndGet();
            }
            calls.addLast(call);
        }
    }

    Map<String, List<CallRecord>> snapshot() {
        Map<String, List<CallRecord>> copy = new TreeMap<>();
        byChargePoint.forEach((id, calls) -> {
            synchronized (calls) {
                copy.put(id, List.copyOf(calls));
            }
        });
        return copy;
    }

    List<CallRecord> of(String chargePointId) {
        ArrayDeque<CallRecord> calls = byChargePoint.get(chargePointId);
        if (calls == null) {
            return List.of();
        }
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    long dropped() {
        return dropped.get();
    }

    void clear() {
        byChargePoint.clear();
        size.set(0);
        dropped.set(0);
    }
}
