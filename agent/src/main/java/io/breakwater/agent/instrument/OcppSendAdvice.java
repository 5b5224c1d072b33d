package io.breakwater.agent.instrument;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.boot.OcppInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into each configured OCPP send method. {@link TargetIndex} is bound per target at
 * instrumentation time, so one advice class serves every OCPP stack. JDK and bootstrap types only.
 */
public final class OcppSendAdvice {
    private OcppSendAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static ShortCircuit enter(
            @TargetIndex int target,
            @Advice.This(optional = true) Object self,
            @Advice.AllArguments Object[] arguments,
            @Advice.Origin("#r") String returnType,
            @Advice.Local("breakwaterToken") Object token,
            @Advice.Local("breakwaterStart") long start) {
        OcppInterceptor interceptor = Dispatcher.ocpp;
        if (interceptor == null) {
            return null;
        }
        Object entered = interceptor.enter(target, self, arguments, returnType);
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
            @Advice.Local("breakwaterToken") Object token,
            @Advice.Local("breakwaterStart") long start,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        ShortCircuit replacement = skipped;
        if (replacement == null && token != null) {
            OcppInterceptor interceptor = Dispatcher.ocpp;
            if (interceptor != null) {
                replacement = interceptor.exit(token, start, returned, thrown);
            }
        }
        if (replacement != null) {
            returned = replacement.value;
            thrown = replacement.thrown;
        }
    }
}
