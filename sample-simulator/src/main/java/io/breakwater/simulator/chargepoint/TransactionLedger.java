package io.breakwater.simulator.chargepoint;

import io.breakwater.simulator.ocpp.OcppCallErrorException;
import io.breakwater.simulator.ocpp.OcppCallQueue;
import io.breakwater.simulator.util.Failures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each charge point sent, or tried to send, per transaction: the ground truth a test compares with what the
 * CSMS received. Off unless {@link #enable()}d ({@code run --record-transactions}): it keeps every transaction of the
 * run in memory. No idTags.
 *
 * <p>Per session: connector, the StartTransaction's timestamp and how it ended ({@code pending}, {@code delivered}
 * with the CSMS's transaction id, {@code failed}), the timestamp of every MeterValues the CSMS took (in the order they
 * were sampled) and of every one that failed (not sent, or sent and unanswered: in doubt), how many MeterValues were
 * handed to the call queue and how many were not sent at all (their Start failed), and the
 * StopTransaction's timestamp and outcome ({@code none} while charging, {@code pending}, {@code delivered},
 * {@code notSent} when the Start failed, {@code givenUp} after {@code TransactionMessageAttempts} CALLERRORs).
 */
public final class TransactionLedger {

    /** A session that is not recorded (the ledger is off): every update is a no-op. */
    static final Entry NONE = new Entry(0, null, false);

    private final ConcurrentHashMap<String, List<Entry>> byChargePoint = new ConcurrentHashMap<>();
    private volatile boolean enabled;

    /** From now on, sessions that start are recorded. */
    public void enable() {
        enabled = true;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** A session begins: its StartTransaction is handed to the call queue. */
    Entry begin(String chargePointId, int connectorId, String startTimestamp) {
        if (!enabled) {
            return NONE;
        }
        Entry entry = new Entry(connectorId, startTimestamp, true);
        List<Entry> entries = byChargePoint.computeIfAbsent(chargePointId, id -> new ArrayList<>());
        synchronized (entries) {
            entries.add(entry);
        }
        return entry;
    }

    /** Charge point id (sorted) → its sessions in the order they began, as JSON-ready maps. */
    public Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> copy = new TreeMap<>();
        byChargePoint.forEach((id, entries) -> {
            List<Map<String, Object>> maps = new ArrayList<>();
            synchronized (entries) {
                entries.forEach(entry -> maps.add(entry.toMap()));
            }
            copy.put(id, maps);
        });
        return copy;
    }

    /** One session's messages. */
    static final class Entry {
        private final boolean recorded;
        private final int connectorId;
        private final String startTimestamp;
        private String start = "pending";
        private Integer transactionId;
        private final List<String> meterValuesDelivered = new ArrayList<>();
        private int meterValuesSent;
        private final List<String> meterValuesFailed = new ArrayList<>();
        private int meterValuesSkipped;
        private String stop = "none";
        private String stopTimestamp;
        private int stopAttemptsFailed;

        private Entry(int connectorId, String startTimestamp, boolean recorded) {
            this.connectorId = connectorId;
            this.startTimestamp = startTimestamp;
            this.recorded = recorded;
        }

        /** StartTransaction's answer: the CSMS's transaction id, or {@code null} if it failed (or had none). */
        synchronized void startAnswered(Integer id) {
            if (recorded) {
                start = id == null ? "failed" : "delivered";
                transactionId = id;
            }
        }

        /** A MeterValues is handed to the call queue. */
        synchronized void meterValuesSent() {
            if (recorded) {
                meterValuesSent++;
            }
        }

        /** A MeterValues sampled at {@code timestamp} completed: {@code error} null means the CSMS took it. */
        synchronized void meterValuesDone(String timestamp, Throwable error) {
            if (!recorded) {
                return;
            }
            Throwable cause = error == null ? null : Failures.unwrap(error);
            if (cause == null) {
                meterValuesDelivered.add(timestamp);
            } else if (cause instanceof OcppCallQueue.Skipped) {
                meterValuesSkipped++;
            } else {
                meterValuesFailed.add(timestamp);
            }
        }

        /** The session ended; its StopTransaction (stamped {@code timestamp}) is on its way. */
        synchronized void stopSent(String timestamp) {
            if (recorded && "none".equals(stop)) {
                stop = "pending";
                stopTimestamp = timestamp;
            }
        }

        /** One attempt at the StopTransaction completed; {@code givenUp} after the last CALLERROR allowed. */
        synchronized void stopDone(Throwable error, boolean givenUp) {
            if (!recorded) {
                return;
            }
            Throwable cause = error == null ? null : Failures.unwrap(error);
            if (cause == null) {
                stop = "delivered";
            } else if (cause instanceof OcppCallQueue.Skipped) {
                stop = "notSent";
            } else {
                stopAttemptsFailed++;
                if (givenUp && cause instanceof OcppCallErrorException) {
                    stop = "givenUp";
                }
            }
        }

        synchronized Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("connectorId", connectorId);
            map.put("startTimestamp", startTimestamp);
            map.put("start", start);
            map.put("transactionId", transactionId);
            map.put("meterValuesSent", meterValuesSent);
            map.put("meterValuesDelivered", List.copyOf(meterValuesDelivered));
            map.put("meterValuesFailed", List.copyOf(meterValuesFailed));
            map.put("meterValuesSkipped", meterValuesSkipped);
            map.put("stop", stop);
            map.put("stopTimestamp", stopTimestamp);
            map.put("stopAttemptsFailed", stopAttemptsFailed);
            return map;
        }
    }
}
