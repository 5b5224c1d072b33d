package io.breakwater.agent.boot;

/**
 * What an interceptor hands back to the inlined advice when the original call's outcome must be
 * replaced: either a value to return or a throwable to throw. Lives on the bootstrap class path,
 * so it may use JDK types only.
 */
public final class ShortCircuit {
    public final Object value;
    public final Throwable thrown;

    private ShortCircuit(Object value, Throwable thrown) {
        this.value = value;
        this.thrown = thrown;
    }

    public static ShortCircuit returning(Object value) {
        return new ShortCircuit(value, null);
    }

    public static ShortCircuit throwing(Throwable thrown) {
        return new ShortCircuit(null, thrown);
    }
}
