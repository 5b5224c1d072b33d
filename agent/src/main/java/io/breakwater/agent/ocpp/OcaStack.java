package io.breakwater.agent.ocpp;

import io.breakwater.agent.breaker.FailureClassifier;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.log.Log;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.Set;

/**
 * Java-OCA-OCPP's {@code JSONClient} (1.0.x/1.1.x), as the library behaves:
 *
 * <ul>
 *   <li>A CALLERROR from the CSMS fails the future with {@code CallErrorException} carrying the
 *       CSMS' error code: ignored by the breaker (the CSMS is up).
 *   <li>A message that cannot be sent (no connection) also fails the future with
 *       {@code CallErrorException}, with the error code {@code "Not connected"}: a failure, and the
 *       form the agent reports an unsent message in too. {@code NotConnectedException} (thrown
 *       inside the library) and timeouts are failures as well.
 *   <li>A transaction message sent without a connection is kept by the library and sent again once
 *       the client reconnects, its future left pending: so the agent asks the client whether its
 *       WebSocket is open before handing it one.
 *   <li>An invalid request is refused with {@code OccurenceConstraintException} before anything is
 *       sent; the agent checks the same before it keeps a message.
 * </ul>
 *
 * Everything is reached reflectively from the client's or the request's own class loader.
 */
final class OcaStack implements OcppStack {
    static final String CALL_ERROR = "eu.chargetime.ocpp.CallErrorException";
    static final String NOT_CONNECTED_CODE = "Not connected";

    private final OcaAccessor messages = new OcaAccessor();
    private final FailureClassifier byType = new FailureClassifier(
            Set.of("java.io.IOException", "java.util.concurrent.TimeoutException", "eu.chargetime.ocpp.NotConnectedException"),
            Set.of(CALL_ERROR));

    private static final PerClassHandle ERROR_CODE = new PerClassHandle(type -> MethodHandles.publicLookup()
            .findVirtual(type, "getErrorCode", MethodType.methodType(String.class))
            .asType(MethodType.methodType(String.class, Throwable.class)));

    /** {@code new CallErrorException(code, description, payload)} from the client's class loader. */
    private static final PerClassHandle CALL_ERROR_CONSTRUCTOR = new PerClassHandle(client -> MethodHandles.publicLookup()
            .findConstructor(Class.forName(CALL_ERROR, false, client.getClassLoader()),
                    MethodType.methodType(void.class, String.class, String.class, Object.class))
            .asType(MethodType.methodType(Throwable.class, String.class, String.class, Object.class)));

    /** {@code new OccurenceConstraintException()} from the request's class loader. */
    private static final PerClassHandle INVALID_REQUEST = new PerClassHandle(request -> MethodHandles.publicLookup()
            .findConstructor(Class.forName("eu.chargetime.ocpp.OccurenceConstraintException", false, request.getClassLoader()),
                    MethodType.methodType(void.class))
            .asType(MethodType.methodType(Throwable.class)));

    /** {@code request.validate()}. */
    private static final PerClassHandle VALIDATE = new PerClassHandle(request -> MethodHandles.publicLookup()
            .findVirtual(request, "validate", MethodType.methodType(boolean.class))
            .asType(MethodType.methodType(boolean.class, Object.class)));

    /** Whether the client's WebSocket is open: {@code transmitter.client.isOpen()}, else {@code !isClosed()}. */
    private static final PerClassHandle CONNECTED = new PerClassHandle(client -> {
        try {
            return webSocketOpen(client);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return isClosedNegated(client);
        }
    });

    /** {@code client.transmitter.client != null && client.transmitter.client.isOpen()}, from private fields. */
    private static MethodHandle webSocketOpen(Class<?> client) throws ReflectiveOperationException {
        Field transmitterField = client.getDeclaredField("transmitter");
        transmitterField.setAccessible(true);
        Field socketField = transmitterField.getType().getDeclaredField("client");
        socketField.setAccessible(true);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle transmitter = lookup.unreflectGetter(transmitterField);
        MethodHandle socket = lookup.unreflectGetter(socketField).asType(MethodType.methodType(Object.class, transmitterField.getType()));
        MethodHandle open = MethodHandles.publicLookup().unreflect(socketField.getType().getMethod("isOpen"))
                .asType(MethodType.methodType(boolean.class, Object.class));
        MethodHandle openOrFalse = MethodHandles.guardWithTest(
                MethodHandles.publicLookup().findStatic(Objects.class, "nonNull", MethodType.methodType(boolean.class, Object.class)),
                open,
                MethodHandles.dropArguments(MethodHandles.constant(boolean.class, false), 0, Object.class));
        return MethodHandles.filterReturnValue(MethodHandles.filterReturnValue(transmitter, socket), openOrFalse)
                .asType(MethodType.methodType(boolean.class, Object.class));
    }

    private static MethodHandle isClosedNegated(Class<?> client) throws ReflectiveOperationException {
        MethodHandle closed = MethodHandles.publicLookup().findVirtual(client, "isClosed", MethodType.methodType(boolean.class))
                .asType(MethodType.methodType(boolean.class, Object.class));
        MethodHandle not = MethodHandles.lookup().findStatic(OcaStack.class, "not", MethodType.methodType(boolean.class, boolean.class));
        return MethodHandles.filterReturnValue(closed, not);
    }

    private static boolean not(boolean value) {
        return !value;
    }

    @Override
    public MessageAccessor messages() {
        return messages;
    }

    @Override
    public Outcome classify(Throwable error) {
        Outcome outcome = byType.classify(error);
        if (outcome != Outcome.IGNORED || error == null) {
            return outcome;
        }
        Throwable cause = FailureClassifier.unwrap(error);
        return NOT_CONNECTED_CODE.equals(errorCode(cause)) ? Outcome.FAILURE : Outcome.IGNORED;
    }

    private static String errorCode(Throwable error) {
        for (Class<?> c = error.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(CALL_ERROR)) {
                MethodHandle getter = ERROR_CODE.of(error);
                try {
                    return getter == null ? null : (String) getter.invokeExact(error);
                } catch (Throwable t) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public Throwable notSent(Object self, String message) {
        MethodHandle constructor = CALL_ERROR_CONSTRUCTOR.of(self);
        try {
            if (constructor != null) {
                // The payload stays out: the application may log the exception.
                return (Throwable) constructor.invokeExact(NOT_CONNECTED_CODE, message, (Object) null);
            }
        } catch (Throwable t) {
            Log.warnOnce("ocpp-oca-callerror-new", "cannot create " + CALL_ERROR + ": " + t);
        }
        return new IOException(message);
    }

    @Override
    public boolean isConnected(Object self) {
        MethodHandle connected = CONNECTED.of(self);
        try {
            return connected == null || (boolean) connected.invokeExact(self);
        } catch (Throwable t) {
            return true;
        }
    }

    @Override
    public Throwable refusal(Object[] arguments) {
        Object request = arguments.length == 1 ? arguments[0] : null;
        MethodHandle validate = VALIDATE.of(request);
        try {
            if (validate == null || (boolean) validate.invokeExact(request)) {
                return null;
            }
            MethodHandle invalid = INVALID_REQUEST.of(request);
            return invalid == null ? null : (Throwable) invalid.invokeExact();
        } catch (Throwable t) {
            return null;
        }
    }
}
