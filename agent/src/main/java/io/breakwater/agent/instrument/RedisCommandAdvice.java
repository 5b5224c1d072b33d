package io.breakwater.agent.instrument;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.boot.RedisInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code Connection#executeCommand(CommandObject)} and
 * {@code UnifiedJedis#executeCommand(CommandObject)}. References only JDK and bootstrap types,
 * because it runs inside classes of the application's class loaders.
 */
public final class RedisCommandAdvice {
    private RedisCommandAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static ShortCircuit enter(
            @Advice.This Object client,
            @Advice.Argument(0) Object command,
            @Advice.Local("breakwaterToken") Object token,
            @Advice.Local("breakwaterStart") long start) {
        RedisInterceptor interceptor = Dispatcher.redis;
        if (interceptor == null) {
            return null;
        }
        Object entered = interceptor.enter(client, command);
        if (entered instanceof ShortCircuit) {
            return (ShortCircuit) entered;
        }
        token = entered;
        start = System.nanoTime();
        return null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.Enter ShortCircuit skipped,
            @Advice.Argument(0) Object command,
            @Advice.Local("breakwaterToken") Object token,
            @Advice.Local("breakwaterStart") long start,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        ShortCircuit replacement = skipped;
        if (replacement == null && token != null) {
            RedisInterceptor interceptor = Dispatcher.redis;
            if (interceptor != null) {
                replacement = interceptor.exit(token, command, start, returned, thrown);
            }
        }
        if (replacement != null) {
            returned = replacement.value;
            thrown = replacement.thrown;
        }
    }
}
