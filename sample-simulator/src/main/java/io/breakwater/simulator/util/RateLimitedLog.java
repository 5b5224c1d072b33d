package io.breakwater.simulator.util;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one warning per kind per period, so an outage of a thousand charge points logs a line every few seconds
 * rather than a flood. The next line that gets through says how many were suppressed.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long periodNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, Duration period) {
        this.log = log;
        this.periodNanos = period.toNanos();
    }

    /** Logs {@code message} at WARN unless a line of the same kind was logged within the period. */
    public void warn(String kind, String message) {
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        long now = System.nanoTime();
        long last = window.lastLoggedNanos.get();
        if (last != 0 && now - last < periodNanos) {
            window.suppressed.incrementAndGet();
            return;
        }
        if (!window.lastLoggedNanos.compareAndSet(last, now == 0 ? 1 : now)) {
            window.suppressed.incrementAndGet();
            return;
        }
        long suppressed = window.suppressed.getAndSet(0);
        if (suppressed > 0) {
            log.warn("{} (+{} similar suppressed)", message, suppressed);
        } else {
            log.warn(message);
        }
    }

    /** Short description of a failure for a log line: exception type and message, causes unwrapped. */
    public static String describe(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static final class Window {
        final AtomicLong lastLoggedNanos = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }
}
