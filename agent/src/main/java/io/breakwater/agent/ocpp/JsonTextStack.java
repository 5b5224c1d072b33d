package io.breakwater.agent.ocpp;

import io.breakwater.agent.breaker.FailureClassifier;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.log.Log;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashSet;
import java.util.Set;

/**
 * A stack whose send method takes JSON text (the sample simulator, or a {@code generic} target):
 * failures are recognised by exception class names, and an unsent message fails with the target's
 * fail-fast exception, created through its {@code (String)} constructor from the application's class
 * loader.
 */
final class JsonTextStack implements OcppStack {
    private final OcppTarget target;
    private final JsonTextAccessor messages;
    private final FailureClassifier classifier;
    private final ClassValue<MethodHandle> failFastConstructors = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> owner) {
            return failFastConstructor(target.failFastException(), owner.getClassLoader());
        }
    };

    JsonTextStack(OcppTarget target) {
        this.target = target;
        this.messages = new JsonTextAccessor(target.actionArgument(), target.payloadArgument());
        Set<String> failures = new HashSet<>(Set.of("java.io.IOException", "java.util.concurrent.TimeoutException"));
        failures.add(target.failFastException());
        this.classifier = new FailureClassifier(failures,
                target.callErrorException() == null ? Set.of() : Set.of(target.callErrorException()));
    }

    @Override
    public MessageAccessor messages() {
        return messages;
    }

    @Override
    public Outcome classify(Throwable error) {
        return classifier.classify(error);
    }

    @Override
    public Throwable notSent(Object self, String message) {
        try {
            MethodHandle constructor = self == null ? null : failFastConstructors.get(self.getClass());
            if (constructor != null) {
                return (Throwable) constructor.invokeExact(message);
            }
        } catch (Throwable t) {
            Log.warnOnce("ocpp-failfast-" + target.failFastException(), "cannot create " + target.failFastException() + ": " + t);
        }
        return new IOException(message);
    }

    @Override
    public void prepare(Object self) {
        if (self != null) {
            failFastConstructors.get(self.getClass()); // a missing exception class is reported at the first call
        }
    }

    @Override
    public boolean isConnected(Object self) {
        return true; // the send method itself reports a missing connection
    }

    @Override
    public Throwable refusal(Object[] arguments) {
        return null;
    }

    private static MethodHandle failFastConstructor(String className, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            return MethodHandles.publicLookup()
                    .findConstructor(type, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Throwable.class, String.class));
        } catch (ClassNotFoundException e) {
            Log.warnOnce("ocpp-failfast-" + className, "fail-fast exception " + className
                    + " cannot be loaded by the application's class loader; refused calls get java.io.IOException instead");
            return null;
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            Log.warnOnce("ocpp-failfast-" + className, "fail-fast exception " + className
                    + " has no public (String) constructor here; refused calls get java.io.IOException instead");
            return null;
        }
    }
}
