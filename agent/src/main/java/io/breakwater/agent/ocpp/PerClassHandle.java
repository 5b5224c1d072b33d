package io.breakwater.agent.ocpp;

import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A method handle resolved once per class (and so per class loader) of an application object the
 * agent cannot link against; empty where the class does not have what is looked for.
 */
final class PerClassHandle extends ClassValue<Optional<MethodHandle>> {

    /** Finds the handle for one class; may fail in any reflective way. */
    @FunctionalInterface
    interface Resolver {
        MethodHandle resolve(Class<?> type) throws ReflectiveOperationException;
    }

    private final Resolver resolver;

    PerClassHandle(Resolver resolver) {
        this.resolver = resolver;
    }

    @Override
    protected Optional<MethodHandle> computeValue(Class<?> type) {
        try {
            return Optional.ofNullable(resolver.resolve(type));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The handle for {@code target}'s class, or {@code null}. */
    MethodHandle of(Object target) {
        return target == null ? null : get(target.getClass()).orElse(null);
    }
}
