package io.breakwater.simulator.csms;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Exactly-once and order of the transaction messages each charge point delivered, read from the CSMS's log
 * ({@link EmbeddedCsms#messagesByChargePoint()}). Messages the CSMS answered with a CALLERROR are left out: it did
 * not process them, so a charge point may send them again.
 *
 * <p>Per charge point, in arrival order:
 * <ul>
 *   <li>a StartTransaction with the same connector and timestamp as an earlier one is a duplicate Start (the CSMS
 *       gave each its own transaction id);
 *   <li>a second StopTransaction for a transaction is a duplicate Stop;
 *   <li>a MeterValues with the same transaction and the same sample timestamp as an earlier one is a duplicate
 *       MeterValues (the charge point samples once per timestamp: the same sample delivered twice);
 *   <li>a StopTransaction or MeterValues for a transaction this charge point has not started (yet) is out of order,
 *       and so is a MeterValues after its transaction's StopTransaction, and a MeterValues sampled earlier than the
 *       previous MeterValues of its transaction (timestamps are ISO-8601 instants, compared as such);
 *   <li>a MeterValues for a transaction on another connector than the one its StartTransaction named carries the
 *       wrong transaction id.
 * </ul>
 * Transactions started and not (yet) stopped are listed as open, which is not a problem in itself.
 */
public final class TransactionCheck {

    private final List<String> duplicateStarts = new ArrayList<>();
    private final List<String> duplicateStops = new ArrayList<>();
    private final List<String> duplicateMeterValues = new ArrayList<>();
    private final List<String> outOfOrder = new ArrayList<>();
    private final List<String> wrongTransaction = new ArrayList<>();
    private final Map<String, Set<Integer>> openTransactions = new LinkedHashMap<>();
    private final long droppedFromLog;
    private int started;
    private int stopped;
    private long meterValues;

    private TransactionCheck(long droppedFromLog) {
        this.droppedFromLog = droppedFromLog;
    }

    /** Checks a log; {@code droppedFromLog} &gt; 0 makes the check incomplete (its oldest messages are gone). */
    public static TransactionCheck of(Map<String, List<CallRecord>> messagesByChargePoint, long droppedFromLog) {
        TransactionCheck check = new TransactionCheck(droppedFromLog);
        messagesByChargePoint.forEach(check::checkChargePoint);
        return check;
    }

    public static TransactionCheck of(Map<String, List<CallRecord>> messagesByChargePoint) {
        return of(messagesByChargePoint, 0);
    }

    private void checkChargePoint(String chargePointId, List<CallRecord> calls) {
        Map<String, List<Integer>> startsByKey = new LinkedHashMap<>();
        Map<Integer, Integer> startedAt = new HashMap<>();
        Map<Integer, Integer> connectorOf = new HashMap<>();
        Map<Integer, Instant> lastSample = new HashMap<>();
        Map<Integer, Set<Instant>> samples = new HashMap<>();
        Set<Integer> stoppedIds = new HashSet<>();
        Set<Integer> open = new TreeSet<>();
        for (int position = 0; position < calls.size(); position++) {
            CallRecord call = calls.get(position);
            if (call.type() != CallRecord.Type.CALL || call.rejected()) {
                continue;
            }
            Integer id = call.transactionId();
            switch (call.action()) {
                case "StartTransaction" -> {
                    startsByKey.computeIfAbsent("connector " + call.connectorId() + " at " + call.timestamp(),
                            key -> new ArrayList<>()).add(id);
                    if (id != null) {
                        started++;
                        startedAt.put(id, position);
                        if (call.connectorId() != null) {
                            connectorOf.put(id, call.connectorId());
                        }
                        open.add(id);
                    }
                }
                case "StopTransaction" -> {
                    if (id == null) {
                        outOfOrder.add(chargePointId + ": StopTransaction without a transactionId (" + call.uniqueId()
                                + ")");
                    } else if (!stoppedIds.add(id)) {
                        duplicateStops.add(chargePointId + ": StopTransaction for transaction " + id
                                + " received again (" + call.uniqueId() + ")");
                    } else {
                        stopped++;
                        open.remove(id);
                        if (!startedAt.containsKey(id)) {
                            outOfOrder.add(chargePointId + ": StopTransaction for transaction " + id
                                    + " before its StartTransaction (or it was started elsewhere)");
                        }
                    }
                }
                case "MeterValues" -> {
                    meterValues++;
                    if (id != null && !startedAt.containsKey(id)) {
                        outOfOrder.add(chargePointId + ": MeterValues for transaction " + id
                                + " before its StartTransaction (" + call.uniqueId() + ")");
                    } else if (id != null && stoppedIds.contains(id)) {
                        outOfOrder.add(chargePointId + ": MeterValues for transaction " + id
                                + " after its StopTransaction (" + call.uniqueId() + ")");
                    } else if (id != null) {
                        Integer connector = connectorOf.get(id);
                        if (connector != null && call.connectorId() != null && !connector.equals(call.connectorId())) {
                            wrongTransaction.add(chargePointId + ": MeterValues on connector " + call.connectorId()
                                    + " for transaction " + id + ", which started on connector " + connector + " ("
                                    + call.uniqueId() + ")");
                        }
                        Instant sampled = instant(call.timestamp());
                        Instant previous = lastSample.get(id);
                        if (sampled != null && !samples.computeIfAbsent(id, t -> new HashSet<>()).add(sampled)) {
                            duplicateMeterValues.add(chargePointId + ": MeterValues for transaction " + id
                                    + " sampled at " + sampled + " received again (" + call.uniqueId() + ")");
                        } else if (sampled != null && previous != null && sampled.isBefore(previous)) {
                            outOfOrder.add(chargePointId + ": MeterValues for transaction " + id + " sampled at "
                                    + sampled + ", before the previous one of " + previous + " (" + call.uniqueId()
                                    + ")");
                        }
                        if (sampled != null && (previous == null || sampled.isAfter(previous))) {
                            lastSample.put(id, sampled);
                        }
                    }
                }
                default -> {
                    // not a transaction message
                }
            }
        }
        startsByKey.forEach((key, ids) -> {
            if (ids.size() > 1) {
                duplicateStarts.add(chargePointId + ": StartTransaction on " + key + " received " + ids.size()
                        + " times (transaction ids " + ids + ")");
            }
        });
        if (!open.isEmpty()) {
            openTransactions.put(chargePointId, open);
        }
    }

    private static Instant instant(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public List<String> duplicateStarts() {
        return List.copyOf(duplicateStarts);
    }

    public List<String> duplicateStops() {
        return List.copyOf(duplicateStops);
    }

    /** MeterValues of a transaction whose sample timestamp an earlier MeterValues of that transaction had. */
    public List<String> duplicateMeterValues() {
        return List.copyOf(duplicateMeterValues);
    }

    /** MeterValues the CSMS processed (not answered with a CALLERROR), with or without a transaction id. */
    public long meterValues() {
        return meterValues;
    }

    public List<String> outOfOrder() {
        return List.copyOf(outOfOrder);
    }

    /** MeterValues whose transaction id belongs to a transaction of another connector. */
    public List<String> wrongTransaction() {
        return List.copyOf(wrongTransaction);
    }

    /** Charge point → ids of the transactions it started and has not stopped (yet). */
    public Map<String, Set<Integer>> openTransactions() {
        return Map.copyOf(openTransactions);
    }

    /** Transactions started (StartTransaction answered with a transaction id). */
    public int startedTransactions() {
        return started;
    }

    /** Transactions stopped (first StopTransaction of each). */
    public int stoppedTransactions() {
        return stopped;
    }

    /** False if the log had already dropped messages: then a Stop may look unmatched, or a duplicate go unseen. */
    public boolean isComplete() {
        return droppedFromLog == 0;
    }

    /** Every problem found, one line each; an incomplete log is a problem too. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (droppedFromLog > 0) {
            problems.add("the CSMS log dropped its " + droppedFromLog + " oldest messages: the check is incomplete");
        }
        problems.addAll(duplicateStarts);
        problems.addAll(duplicateStops);
        problems.addAll(duplicateMeterValues);
        problems.addAll(outOfOrder);
        problems.addAll(wrongTransaction);
        return problems;
    }

    public boolean isClean() {
        return problems().isEmpty();
    }

    /** The counts and the problems, as the control API returns them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clean", isClean());
        map.put("complete", isComplete());
        map.put("droppedFromLog", droppedFromLog);
        map.put("startedTransactions", started);
        map.put("stoppedTransactions", stopped);
        map.put("openTransactions", openTransactions.values().stream().mapToInt(Set::size).sum());
        map.put("duplicateStarts", duplicateStarts.size());
        map.put("duplicateStops", duplicateStops.size());
        map.put("duplicateMeterValues", duplicateMeterValues.size());
        map.put("meterValues", meterValues);
        map.put("outOfOrder", outOfOrder.size());
        map.put("wrongTransaction", wrongTransaction.size());
        map.put("problems", problems());
        return map;
    }

    @Override
    public String toString() {
        return "TransactionCheck" + toMap();
    }
}
