package io.breakwater.agent.ocpp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages of Java-OCA-OCPP's {@code JSONClient#send(Request)}: the argument is one of the
 * library's request objects ({@code StartTransactionRequest}, ...), the future completes with one of
 * its confirmation objects. Both are read and written through their public getters and setters,
 * found by name and cached per class as method handles; the replies the agent answers with are
 * built from the classes the request's own class loader sees, so an application with the library in
 * an isolated class loader works the same.
 */
final class OcaAccessor implements MessageAccessor {
    static final String MODEL_PACKAGE = "eu.chargetime.ocpp.model.core.";

    /** Public getters and setters by name, per class; empty where there is none. */
    private static final ClassValue<Map<String, Optional<MethodHandle>>> PROPERTIES = new ClassValue<>() {
        @Override
        protected Map<String, Optional<MethodHandle>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** The library's confirmation classes, as the class loader of a given request class sees them. */
    private static final ClassValue<Optional<Replies>> REPLIES = new ClassValue<>() {
        @Override
        protected Optional<Replies> computeValue(Class<?> requestType) {
            return Replies.resolve(requestType.getClassLoader());
        }
    };

    private record Replies(MethodHandle authorizeConfirmation, MethodHandle idTagInfo, MethodHandle status,
            MethodHandle statusNotificationConfirmation) {

        static Optional<Replies> resolve(ClassLoader loader) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> info = Class.forName(MODEL_PACKAGE + "IdTagInfo", false, loader);
                Class<?> status = Class.forName(MODEL_PACKAGE + "AuthorizationStatus", false, loader);
                Class<?> authorize = Class.forName(MODEL_PACKAGE + "AuthorizeConfirmation", false, loader);
                Class<?> statusNotification = Class.forName(MODEL_PACKAGE + "StatusNotificationConfirmation", false, loader);
                return Optional.of(new Replies(
                        lookup.findConstructor(authorize, MethodType.methodType(void.class, info)).asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.findConstructor(info, MethodType.methodType(void.class, status)).asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.findStatic(status, "valueOf", MethodType.methodType(status, String.class)).asType(MethodType.methodType(Object.class, String.class)),
                        lookup.findConstructor(statusNotification, MethodType.methodType(void.class)).asType(MethodType.methodType(Object.class))));
            } catch (ReflectiveOperationException | LinkageError e) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String action(Object[] arguments) {
        Object request = request(arguments);
        if (request == null) {
            return "";
        }
        String name = request.getClass().getSimpleName();
        return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : "";
    }

    private static Object request(Object[] arguments) {
        return arguments.length == 1 ? arguments[0] : null;
    }

    @Override
    public String requestString(Object[] arguments, String field) {
        return get(request(arguments), field) instanceof String text ? text : null;
    }

    @Override
    public Integer requestInteger(Object[] arguments, String field) {
        return get(request(arguments), field) instanceof Integer number ? number : null;
    }

    @Override
    public Object[] withTransactionId(Object[] arguments, int transactionId) {
        Object request = request(arguments);
        MethodHandle setter = request == null ? null : property(request.getClass(), "setTransactionId");
        if (setter == null) {
            return null;
        }
        try {
            setter.invoke(request, (Object) transactionId);
            return arguments;
        } catch (Throwable t) {
            return null;
        }
    }

    @Override
    public IdTagInfo idTagInfo(Object reply) {
        Object info = get(reply, "idTagInfo");
        Object status = get(info, "status");
        if (status == null) {
            return null;
        }
        Object expiry = get(info, "expiryDate");
        // Not the library's own object: the cache outlives application class loaders (a redeploy must
        // not be pinned by it), and an offline answer is built from the asking loader's classes.
        return new IdTagInfo(status.toString(), expiry instanceof ZonedDateTime time ? time.toInstant() : null, null);
    }

    @Override
    public Integer replyTransactionId(Object reply) {
        return get(reply, "transactionId") instanceof Integer id ? id : null;
    }

    @Override
    public Object authorizeReply(Object[] arguments, IdTagInfo info) {
        Replies replies = replies(arguments);
        if (replies == null) {
            return null;
        }
        try {
            Object idTagInfo = replies.idTagInfo().invokeExact(replies.status().invokeExact(info.status()));
            return replies.authorizeConfirmation().invokeExact(idTagInfo);
        } catch (Throwable t) {
            return null;
        }
    }

    @Override
    public Object emptyReply(Object[] arguments) {
        Replies replies = replies(arguments);
        try {
            return replies == null ? null : replies.statusNotificationConfirmation().invokeExact();
        } catch (Throwable t) {
            return null;
        }
    }

    private static Replies replies(Object[] arguments) {
        Object request = request(arguments);
        return request == null ? null : REPLIES.get(request.getClass()).orElse(null);
    }

    /** The value of a public getter ({@code getIdTag} for {@code idTag}), or {@code null}. */
    private static Object get(Object target, String property) {
        if (target == null) {
            return null;
        }
        MethodHandle getter = property(target.getClass(), "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1));
        try {
            return getter == null ? null : getter.invoke(target);
        } catch (Throwable t) {
            return null;
        }
    }

    /** A public one-argument setter or no-argument getter of {@code type}, typed to Objects, or {@code null}. */
    private static MethodHandle property(Class<?> type, String method) {
        return PROPERTIES.get(type).computeIfAbsent(method, name -> {
            for (Method m : type.getMethods()) {
                boolean getter = name.startsWith("get") && m.getParameterCount() == 0;
                boolean setter = name.startsWith("set") && m.getParameterCount() == 1;
                if (m.getName().equals(name) && (getter || setter)) {
                    try {
                        MethodHandle handle = MethodHandles.publicLookup().unreflect(m);
                        return Optional.of(handle.asType(handle.type().generic().changeReturnType(getter ? Object.class : void.class)));
                    } catch (IllegalAccessException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }).orElse(null);
    }
}
