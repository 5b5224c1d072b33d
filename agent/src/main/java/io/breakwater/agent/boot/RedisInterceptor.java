package io.breakwater.agent.boot;

/** Called by the advice inlined into Jedis' {@code executeCommand(CommandObject)} methods. JDK types only. */
public interface RedisInterceptor {

    /**
     * @param client the {@code Connection} or {@code UnifiedJedis} the command runs on
     * @return {@code null} to let the call run untracked, a {@link ShortCircuit} to skip it, or any
     *     other object as the token to hand to {@link #exit}
     */
    Object enter(Object client, Object commandObject);

    /** @return a {@link ShortCircuit} to replace the call's outcome, or {@code null} to keep it */
    ShortCircuit exit(Object token, Object commandObject, long startNanos, Object returned, Throwable thrown);

    /**
     * Before {@code JedisPool#getResource()}: a {@code Jedis} to hand out without touching the pool
     * (the breaker is open), or {@code null} to borrow as usual.
     */
    Object borrowInstead(Object pool);

    /** {@code JedisPool#getResource()} failed: a {@code Jedis} to hand out instead, or {@code null} to keep the failure. */
    Object borrowFailed(Object pool, Throwable thrown);

    /** {@code JedisPool#returnBrokenResource} failed: whether the failure is only Redis being unavailable (then swallowed). */
    boolean ignoreReturnFailure(Throwable thrown);

    /**
     * Before {@code Connection#sendCommand(CommandArguments)}: the throwable to throw instead of
     * sending (pipelines and transactions while the breaker is open), or {@code null} to send.
     */
    Throwable beforeSend(Object connection, Object commandArguments);
}
