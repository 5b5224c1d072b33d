package io.breakwater.simulator.chargepoint;

import io.breakwater.simulator.ocpp.OcppConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Fleet-wide counters: cheap to update from any thread, read by the summary line and the health endpoint. */
public final class SimulatorStats {

    private final int chargePoints;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger booted = new AtomicInteger();
    private final AtomicLong transactionsStarted = new AtomicLong();
    private final AtomicLong transactionsStopped = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> callsOk = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> callsFailed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> callsSkipped = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> badFrames = new ConcurrentHashMap<>();
    private final TransactionLedger transactions = new TransactionLedger();

    public SimulatorStats(int chargePoints) {
        this.chargePoints = chargePoints;
    }

    void connected(boolean up) {
        if (up) {
            connected.incrementAndGet();
        } else {
            connected.decrementAndGet();
        }
    }

    void booted(boolean up) {
        if (up) {
            booted.incrementAndGet();
        } else {
            booted.decrementAndGet();
        }
    }

    void transactionStarted() {
        transactionsStarted.incrementAndGet();
    }

    void transactionStopped() {
        transactionsStopped.incrementAndGet();
    }

    void callSucceeded(String action) {
        callsOk.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    }

    void callFailed(String action) {
        callsFailed.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    }

    /** A frame from the CSMS the charge point dropped: malformed, for an unknown CALL, oversized or binary. */
    void badFrame(OcppConnection.BadFrame kind) {
        badFrames.computeIfAbsent(kind.name(), k -> new AtomicLong()).incrementAndGet();
    }

    public long badFrames(OcppConnection.BadFrame kind) {
        AtomicLong n = badFrames.get(kind.name());
        return n == null ? 0 : n.get();
    }

    /** A queued transaction message whose StartTransaction failed for good: not sent. */
    void callSkipped(String action) {
        callsSkipped.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    }

    /** Per transaction, what the charge points sent (off unless enabled: {@code run --record-transactions}). */
    public TransactionLedger transactions() {
        return transactions;
    }

    public int chargePoints() {
        return chargePoints;
    }

    public int connectedChargePoints() {
        return connected.get();
    }

    public int bootedChargePoints() {
        return booted.get();
    }

    public long transactionsStarted() {
        return transactionsStarted.get();
    }

    public long transactionsStopped() {
        return transactionsStopped.get();
    }

    public long callsOk() {
        return sum(callsOk);
    }

    public long callsFailed() {
        return sum(callsFailed);
    }

    public long callsOk(String action) {
        AtomicLong count = callsOk.get(action);
        return count == null ? 0 : count.get();
    }

    public long callsFailed(String action) {
        AtomicLong count = callsFailed.get(action);
        return count == null ? 0 : count.get();
    }

    public long callsSkipped() {
        return sum(callsSkipped);
    }

    /** All counters, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("chargePoints", chargePoints);
        map.put("connectedChargePoints", connectedChargePoints());
        map.put("bootedChargePoints", bootedChargePoints());
        map.put("transactionsStarted", transactionsStarted());
        map.put("transactionsStopped", transactionsStopped());
        map.put("callsOk", callsOk());
        map.put("callsFailed", callsFailed());
        map.put("callsSkipped", callsSkipped());
        Map<String, Map<String, Long>> perAction = new TreeMap<>();
        callsOk.forEach((action, n) -> perAction.computeIfAbsent(action, a -> new LinkedHashMap<>()).put("ok", n.get()));
        callsFailed.forEach((action, n) ->
                perAction.computeIfAbsent(action, a -> new LinkedHashMap<>()).put("failed", n.get()));
        callsSkipped.forEach((action, n) ->
                perAction.computeIfAbsent(action, a -> new LinkedHashMap<>()).put("skipped", n.get()));
        map.put("calls", perAction);
        Map<String, Long> bad = new TreeMap<>();
        badFrames.forEach((kind, n) -> bad.put(kind, n.get()));
        map.put("badFramesFromCsms", bad);
        return map;
    }

    private static long sum(Map<String, AtomicLong> counts) {
        long total = 0;
        for (AtomicLong count : counts.values()) {
            total += count.get();
        }
        return total;
    }
}
