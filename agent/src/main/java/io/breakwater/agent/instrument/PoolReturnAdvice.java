package io.breakwater.agent.instrument;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.boot.RedisInterceptor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code JedisPool#returnBrokenResource(Jedis)}: the broken connection is destroyed
 * either way; when only the pool's attempt to replace it fails because Redis is unavailable, that
 * failure is not the application's business. JDK and bootstrap types only.
 */
public final class PoolReturnAdvice {
    private PoolReturnAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown(readOnly = false) Throwable thrown) {
        RedisInterceptor interceptor = Dispatcher.redis;
        if (thrown != null && interceptor != null && interceptor.ignoreReturnFailure(thrown)) {
            thrown = null;
        }
    }
}
