package io.breakwater.agent.config;

import java.time.Duration;

/**
 * The seed's breaker semantics for one protected resource.
 *
 * @param failureThreshold consecutive failures that open the breaker
 * @param successThreshold successful probe calls in HALF_OPEN that close it (any failure reopens)
 * @param callTimeout a call slower than this counts as a failure
 * @param resetTimeout how long the breaker stays OPEN before it lets probes through
 */
public record BreakerSettings(
        String name, boolean enabled, int failureThreshold, int successThreshold, Duration callTimeout, Duration resetTimeout) {

    public static BreakerSettings redisDefaults() {
        return new BreakerSettings("redis", true, 5, 2, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public static BreakerSettings ocppDefaults() {
        return new BreakerSettings("ocpp-csms", true, 5, 2, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
}
