package io.breakwater.agent.instrument;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.boot.RedisInterceptor;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code JedisPool#getResource()}: while Redis is unavailable the pool cannot create
 * connections, so the application gets an unconnected {@code Jedis} whose commands the Redis
 * breaker answers from memory, instead of a "could not get a resource" failure. JDK and bootstrap types only.
 */
public final class PoolBorrowAdvice {
    private PoolBorrowAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Object enter(@Advice.This Object pool) {
        RedisInterceptor interceptor = Dispatcher.redis;
        return interceptor == null ? null : interceptor.borrowInstead(pool);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.This Object pool,
            @Advice.Enter Object instead,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (instead != null) {
            returned = instead;
            return;
        }
        RedisInterceptor interceptor = Dispatcher.redis;
        if (thrown != null && interceptor != null) {
            Object replacement = interceptor.borrowFailed(pool, thrown);
            if (replacement != null) {
                returned = replacement;
                thrown = null;
            }
        }
    }
}
