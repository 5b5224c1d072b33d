package io.breakwater.agent.breaker;

import java.time.Instant;

/** One entry of a breaker's state history. States use the names users see ({@code half_open}). */
public record StateTransition(Instant time, String from, String to, String reason) {}
