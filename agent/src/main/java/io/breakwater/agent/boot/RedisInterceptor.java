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
}
