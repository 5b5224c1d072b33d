package io.breakwater.agent.boot;

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

    private Dispatcher() {}
}
