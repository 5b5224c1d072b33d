package io.breakwater.agent.breaker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides whether a throwable means the remote service failed. Matching is by class name along the
 * superclass chain, because the application's exception types live in class loaders the agent
 * cannot link against. Results are cached per class.
 */
public final class FailureClassifier {
    private final Set<String> failureTypes;
    private final Set<String> ignoredTypes;
    private final ClassValue<Outcome> cache = new ClassValue<>() {
        @Override
        protected Outcome computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (ignoredTypes.contains(c.getName())) {
                    return Outcome.IGNORED;
                }
                if (failureTypes.contains(c.getName())) {
                    return Outcome.FAILURE;
                }
            }
            return Outcome.IGNORED;
        }
    };

    /**
     * @param failureTypes class names (and their subclasses) that count as failures
     * @param ignoredTypes class names that never count, checked first (a subclass of a failure type
     *     may be listed here)
     */
    public FailureClassifier(Set<String> failureTypes, Set<String> ignoredTypes) {
        this.failureTypes = Set.copyOf(failureTypes);
        this.ignoredTypes = Set.copyOf(ignoredTypes);
    }

    public Outcome classify(Throwable thrown) {
        return thrown == null ? Outcome.SUCCESS : cache.get(unwrap(thrown).getClass());
    }

    /** Strips the wrappers that futures and reflection put around the real cause. */
    public static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        for (int depth = 0; depth < 8 && t.getCause() != null; depth++) {
            if (t instanceof CompletionException || t instanceof ExecutionException
                    || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException) {
                t = t.getCause();
            } else {
                break;
            }
        }
        return t;
    }
}
