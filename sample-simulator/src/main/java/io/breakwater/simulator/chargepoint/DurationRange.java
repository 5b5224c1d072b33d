package io.breakwater.simulator.chargepoint;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/** A duration picked anew each time, uniformly between {@code min} and {@code max} (both included). */
public record DurationRange(Duration min, Duration max) {

    public DurationRange {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.compareTo(max) > 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
    }

    public static DurationRange exactly(Duration duration) {
        return new DurationRange(duration, duration);
    }

    public Duration pick() {
        long minMillis = min.toMillis();
        long maxMillis = max.toMillis();
        return minMillis == maxMillis ? min
                : Duration.ofMillis(ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1));
    }
}
