package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One transaction on one connector: who, when it started, the energy it draws into the connector's register, and
 * the answer to its StartTransaction, which may come long after charging began (the CSMS was away).
 */
final class ChargingSession {

    /** Typical AC/DC charging powers in W; each session picks one and wobbles around it. */
    private static final long[] POWERS_W = {3_700, 7_400, 11_000, 22_000, 50_000};

    final String idTag;
    final long meterStartWh;
    final String startTimestamp;
    private final AtomicLong registerWh;
    private final long nominalPowerW;
    /** What this session sent, for {@link TransactionLedger} (a no-op unless it is enabled). */
    volatile TransactionLedger.Entry ledger = TransactionLedger.NONE;
    private volatile CompletableFuture<String> startReply = new CompletableFuture<>();
    private long currentPowerW;
    private long lastAccrualNanos;
    private double fractionWh;
    private boolean charging = true;
    private boolean suspended;
    private long meterStopWh = -1;
    private String stopTimestamp;

    ChargingSession(String idTag, long meterStartWh, String startTimestamp, AtomicLong registerWh) {
        this.idTag = idTag;
        this.meterStartWh = meterStartWh;
        this.startTimestamp = startTimestamp;
        this.registerWh = registerWh;
        this.nominalPowerW = POWERS_W[ThreadLocalRandom.current().nextInt(POWERS_W.length)];
        this.currentPowerW = nominalPowerW;
        this.lastAccrualNanos = System.nanoTime();
    }

    /** The future of the StartTransaction CALL (the queue's, completed before the next CALL leaves). */
    void startSent(CompletableFuture<String> reply) {
        startReply = reply;
    }

    /**
     * The transaction id from StartTransaction's answer; empty while unanswered, and for good if it failed or had no
     * id. Transaction messages read it when they leave the queue, which is after that answer.
     */
    OptionalInt transactionId() {
        CompletableFuture<String> reply = startReply;
        if (!reply.isDone() || reply.isCompletedExceptionally()) {
            return OptionalInt.empty();
        }
        try {
            JsonElement id = JsonParser.parseString(reply.join()).getAsJsonObject().get("transactionId");
            return id != null && id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()
                    ? OptionalInt.of(id.getAsInt()) : OptionalInt.empty();
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** Adds the energy drawn since the last sample to the register; false once the session stopped charging. */
    synchronized boolean sample() {
        if (!charging) {
            return false;
        }
        accrue();
        return true;
    }

    synchronized long powerW() {
        return suspended ? 0 : currentPowerW;
    }

    /** The EV or the EVSE pauses the charge: no energy flows until {@link #resume()}. */
    synchronized void suspend() {
        accrue();
        suspended = true;
    }

    synchronized void resume() {
        accrue();
        suspended = false;
    }

    /** Stops drawing energy and freezes meterStop and the stop time (kept identical across StopTransaction retries). */
    synchronized void finish() {
        if (charging) {
            accrue();
            charging = false;
            meterStopWh = registerWh.get();
            stopTimestamp = OcppPayloads.now();
        }
    }

    synchronized long meterStopWh() {
        return meterStopWh;
    }

    synchronized String stopTimestamp() {
        return stopTimestamp;
    }

    private void accrue() {
        long now = System.nanoTime();
        double hours = (now - lastAccrualNanos) / 3_600e9;
        lastAccrualNanos = now;
        if (!suspended) {
            fractionWh += currentPowerW * hours;
        }
        long whole = (long) fractionWh;
        fractionWh -= whole;
        registerWh.addAndGet(whole);
        // A few percent of wobble, as a real car's charge controller would show.
        double wobble = 0.97 + ThreadLocalRandom.current().nextDouble() * 0.06;
        currentPowerW = Math.round(nominalPowerW * wobble);
    }
}
