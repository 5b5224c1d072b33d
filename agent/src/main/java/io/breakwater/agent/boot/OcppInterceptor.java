package io.breakwater.agent.boot;

/** Called by the advice inlined into an OCPP send method. JDK types only. */
public interface OcppInterceptor {

    /**
     * @param target index of the configured OCPP target whose method is running
     * @param self the instance the method runs on ({@code null} for a static method)
     * @param returnType the method's declared return type name, to short-circuit in kind
     * @return {@code null} to let the call run untracked, a {@link ShortCircuit} to skip it, or any
     *     other object as the token to hand to {@link #exit}
     */
    Object enter(int target, Object self, Object[] arguments, String returnType);

    /** @return a {@link ShortCircuit} to replace the call's outcome, or {@code null} to keep it */
    ShortCircuit exit(Object token, long startNanos, Object returned, Throwable thrown);
}
