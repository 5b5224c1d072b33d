package io.breakwater.simulator.chargepoint;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** One transaction on one connector: who, which id, and the energy it draws into the connector's register. */
final class ChargingSession {

    /** Typical AC/DC charging powers in W; each session picks one and wobbles around it. */
    private static final long[] POWERS_W = {3_700, 7_400, 11_000, 22_000, 50_000};

    final int transactionId;
    final String idTag;
    final long meterStartWh;
    private final AtomicLong registerWh;
    private final long nominalPowerW;
    private long currentPowerW;
    private long lastAccrualNanos;
    private double fractionWh;
    private boolean charging = true;
    private long meterStopWh = -1;
    private String stopTimestamp;

    ChargingSession(int transactionId, String idTag, long meterStartWh, AtomicLong registerWh) {
        this.transactionId = transactionId;
        this.idTag = idTag;
        this.meterStartWh = meterStartWh;
        this.registerWh = registerWh;
        this.nominalPowerW = POWERS_W[ThreadLocalRandom.current().nextInt(POWERS_W.length)];
        this.currentPowerW = nominalPowerW;
        this.lastAccrualNanos = System.nanoTime();
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
        return currentPowerW;
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
        fractionWh += currentPowerW * hours;
        long whole = (long) fractionWh;
        fractionWh -= whole;
        registerWh.addAndGet(whole);
        // A few percent of wobble, as a real car's charge controller would show.
        double wobble = 0.97 + ThreadLocalRandom.current().nextDouble() * 0.06;
        currentPowerW = Math.round(nominalPowerW * wobble);
    }
}
