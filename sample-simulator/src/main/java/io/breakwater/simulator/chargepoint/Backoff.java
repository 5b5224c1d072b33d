package io.breakwater.simulator.chargepoint;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a random delay between 0 and min(cap, base·2^attempt)), so a fleet that lost
 * its CSMS does not come back in lock-step.
 */
final class Backoff {

    private static final long FLOOR_MILLIS = 50;

    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    synchronized Duration next() {
        long ceiling = attempt >= 30 ? capMillis : Math.min(capMillis, baseMillis << attempt);
        attempt++;
        long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
        return Duration.ofMillis(Math.max(FLOOR_MILLIS, delay));
    }

    synchronized void reset() {
        attempt = 0;
    }
}
