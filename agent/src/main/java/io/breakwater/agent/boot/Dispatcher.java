package io.breakwater.agent.boot;

import java.util.function.Consumer;

/**
 * The one place inlined advice looks for the agent. Injected into the bootstrap class loader so
 * that advice copied into classes of any class loader (fat-jar launchers, app servers) resolves
 * it. Setting a field to {@code null} switches the agent off for that resource: the advice then
 * costs a volatile read.
 */
public final class Dispatcher {
    public static volatile RedisInterceptor redis;
    public static volatile OcppInterceptor ocpp;

    /** Set once by the first installation in this JVM; guards against a second agent copy. */
    public static volatile Object installation;

    /** Told of every exception the agent's advice threw and swallowed (JDK types only: any loader sees it). */
    public static volatile Consumer<Throwable> failures;

    private Dispatcher() {}

    /**
     * Called by the advice when the agent itself fails inside an application's method: the failure
     * is reported and swallowed, and the application's call goes on as if the agent were not there.
     */
    public static void adviceFailed(Throwable failure) {
        Consumer<Throwable> listener = failures;
        if (listener != null) {
            try {
                listener.accept(failure);
            } catch (Throwable ignored) {
                // nothing of the agent's may reach the application
            }
        }
    }
}
