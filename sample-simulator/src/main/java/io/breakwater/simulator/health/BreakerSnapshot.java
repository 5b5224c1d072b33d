package io.breakwater.simulator.health;

import java.util.Map;

/**
 * One circuit breaker as its MBean shows it right now.
 *
 * @param attributes the attributes that could be read, by MBean attribute name (State, TotalCalls, ...)
 */
public record BreakerSnapshot(String name, String state, Map<String, Object> attributes) {

    /**
     * {@code open} and {@code forced_open} mean calls are being refused, and {@code half_open} that the breaker is
     * still probing a service that has just failed: in all three the application is degraded.
     */
    public boolean isDegraded() {
        return "open".equalsIgnoreCase(state) || "forced_open".equalsIgnoreCase(state)
                || "half_open".equalsIgnoreCase(state);
    }
}
