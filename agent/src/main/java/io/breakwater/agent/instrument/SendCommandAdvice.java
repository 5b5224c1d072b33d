package io.breakwater.agent.instrument;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.boot.RedisInterceptor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Connection#sendCommand(CommandArguments)}, which pipelines and transactions
 * use without {@code executeCommand}: while the Redis breaker is open they fail at once with Jedis'
 * own exception instead of waiting on a dead socket. JDK and bootstrap types only.
 */
public final class SendCommandAdvice {
    private SendCommandAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Throwable enter(@Advice.This Object connection, @Advice.Argument(0) Object arguments) {
        RedisInterceptor interceptor = Dispatcher.redis;
        return interceptor == null ? null : interceptor.beforeSend(connection, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Throwable refused, @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (refused != null) {
            thrown = refused;
        }
    }
}
