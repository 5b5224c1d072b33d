package io.breakwater.benchmarks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/** A hand-written resilience4j breaker configured as the agent configures its {@code redis} breaker by default. */
final class Resilience4jBaseline {
    private Resilience4jBaseline() {}

    /**
     * COUNT_BASED window 5, 5 calls minimum, 100 % failure rate (5 consecutive failures open), 2 calls
     * in HALF_OPEN, 30 s in OPEN, calls slower than 5 s count as slow; no event consumer.
     */
    static CircuitBreaker redisLike(String name) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(5)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(2)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .slowCallDurationThreshold(Duration.ofSeconds(5))
                .slowCallRateThreshold(100)
                .writableStackTraceEnabled(false)
                .build();
        return CircuitBreaker.of(name, config);
    }
}
