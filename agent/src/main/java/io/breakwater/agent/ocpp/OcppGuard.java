package io.breakwater.agent.ocpp;

import io.breakwater.agent.boot.OcppInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.FailureClassifier;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.log.Log;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The CSMS breaker in front of every configured OCPP send method. It adds the call timeout the
 * application lacks, counts outcomes when the reply (or its absence) is known, and while the
 * breaker is open fails fast with the exception type the application already handles. A
 * BootNotification is never refused: it is the charge point's own probe of the CSMS.
 */
public final class OcppGuard implements OcppInterceptor {
    private static final String BOOT_NOTIFICATION = "BootNotification";

    private final Breaker breaker;
    private final List<OcppTarget> targets;
    private final FailureClassifier[] classifiers;
    private final List<ClassValue<MethodHandle>> failFastConstructors;
    private final Integer[] tokens;

    public OcppGuard(Breaker breaker, List<OcppTarget> targets) {
        this.breaker = breaker;
        this.targets = List.copyOf(targets);
        this.classifiers = new FailureClassifier[targets.size()];
        this.tokens = new Integer[targets.size()];
        List<ClassValue<MethodHandle>> constructors = new java.util.ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            OcppTarget t = targets.get(i);
            Set<String> failures = new HashSet<>(Set.of("java.io.IOException", "java.util.concurrent.TimeoutException"));
            failures.add(t.failFastException());
            classifiers[i] = new FailureClassifier(failures, t.callErrorException() == null ? Set.of() : Set.of(t.callErrorException()));
            tokens[i] = i;
            constructors.add(new ClassValue<>() {
                @Override
                protected MethodHandle computeValue(Class<?> owner) {
                    return failFastConstructor(t.failFastException(), owner.getClassLoader());
                }
            });
        }
        this.failFastConstructors = List.copyOf(constructors);
    }

    @Override
    public Object enter(int target, Object self, Object[] arguments, String returnType) {
        String action = action(target, arguments);
        if (BOOT_NOTIFICATION.equals(action) && !breaker.isCallPermittedState()) {
            return null; // let the probe through untracked; its success will show on the next calls
        }
        if (breaker.tryAcquirePermission()) {
            return tokens[target];
        }
        Throwable rejection = failFastException(target, self, action);
        if (returnType.equals(CompletableFuture.class.getName()) || returnType.equals(CompletionStage.class.getName())) {
            return ShortCircuit.returning(CompletableFuture.failedFuture(rejection));
        }
        return ShortCircuit.throwing(rejection);
    }

    @Override
    public ShortCircuit exit(Object token, long startNanos, Object returned, Throwable thrown) {
        int target = (Integer) token;
        FailureClassifier classifier = classifiers[target];
        if (thrown == null && returned instanceof CompletionStage<?> stage) {
            CompletionStage<?> timed = stage;
            if (stage instanceof CompletableFuture<?> future) {
                // The application's own future gets the timeout, so it is released too.
                timed = future.orTimeout(breaker.settings().callTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
            timed.whenComplete((value, error) ->
                    breaker.record(System.nanoTime() - startNanos, classifier.classify(error), error));
            return null;
        }
        Outcome outcome = classifier.classify(thrown);
        breaker.record(System.nanoTime() - startNanos, outcome, thrown);
        return null;
    }

    private String action(int target, Object[] arguments) {
        int index = targets.get(target).actionArgument();
        Object action = index < arguments.length ? arguments[index] : null;
        return action == null ? "" : action.toString();
    }

    private Throwable failFastException(int target, Object self, String action) {
        String message = "[breakwater] " + breaker.rejectionMessage() + "; " + action + " not sent";
        try {
            MethodHandle constructor = self == null ? null : failFastConstructors.get(target).get(self.getClass());
            if (constructor != null) {
                return (Throwable) constructor.invokeExact(message);
            }
        } catch (Throwable t) {
            Log.warnOnce("ocpp-failfast-" + target, "cannot create " + targets.get(target).failFastException() + ": " + t);
        }
        return new java.io.IOException(message);
    }

    private static MethodHandle failFastConstructor(String className, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            return MethodHandles.publicLookup()
                    .findConstructor(type, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Throwable.class, String.class));
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            Log.warnOnce("ocpp-failfast-" + className, "fail-fast exception " + className
                    + " has no public (String) constructor here; using java.io.IOException");
            return null;
        }
    }

    public Breaker breaker() {
        return breaker;
    }
}
