package io.breakwater.agent.util;

import java.util.function.Supplier;

/**
 * A value built at most once, and not when this holder is made: by the first {@link #get}, which
 * may come from a thread that can afford to build it ahead of need (the agent's own) or from the
 * first caller that cannot do without it. {@link #ifBuilt} never builds: one volatile read, for
 * paths that can do without the value until it exists.
 *
 * <p>If the factory throws, nothing is kept and the next {@link #get} tries again.
 */
public final class BuiltLater<T> {
    private final Supplier<? extends T> factory;
    private volatile T value;

    public BuiltLater(Supplier<? extends T> factory) {
        this.factory = factory;
    }

    /** The value, built now on this thread if nobody has built it yet (others asking meanwhile wait for it). */
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = factory.get();
                    if (v == null) {
                        throw new IllegalStateException("the factory returned null");
                    }
                    value = v;
                }
            }
        }
        return v;
    }

    /** The value if it has been built, else {@code null}; never builds it. */
    public T ifBuilt() {
        return value;
    }
}
