package io.breakwater.agent.redis;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reflective handles on one copy of Jedis (one per class loader that loaded it), so the agent
 * never links against Jedis and works with whatever version and loader the application has.
 */
final class JedisAccess {
    /** Keyed by any Jedis class; everything is resolved in that class's loader. */
    private static final ClassValue<JedisAccess> BY_JEDIS_CLASS = new ClassValue<>() {
        @Override
        protected JedisAccess computeValue(Class<?> jedisClass) {
            return new JedisAccess(jedisClass.getClassLoader());
        }
    };

    private final MethodHandle getArguments;
    private final MethodHandle getBuilder;
    private final MethodHandle build;
    private final MethodHandle getRaw;
    private final MethodHandle newConnectionException;
    private final MethodHandle newDataException;

    private JedisAccess(ClassLoader loader) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> commandObjectClass = Class.forName("redis.clients.jedis.CommandObject", false, loader);
            Class<?> arguments = Class.forName("redis.clients.jedis.CommandArguments", false, loader);
            Class<?> builder = Class.forName("redis.clients.jedis.Builder", false, loader);
            Class<?> rawable = Class.forName("redis.clients.jedis.args.Rawable", false, loader);
            getArguments = lookup.findVirtual(commandObjectClass, "getArguments", MethodType.methodType(arguments))
                    .asType(MethodType.methodType(Object.class, Object.class));
            getBuilder = lookup.findVirtual(commandObjectClass, "getBuilder", MethodType.methodType(builder))
                    .asType(MethodType.methodType(Object.class, Object.class));
            build = lookup.findVirtual(builder, "build", MethodType.methodType(Object.class, Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class));
            getRaw = lookup.findVirtual(rawable, "getRaw", MethodType.methodType(byte[].class))
                    .asType(MethodType.methodType(byte[].class, Object.class));
            newConnectionException = exceptionConstructor(lookup, "redis.clients.jedis.exceptions.JedisConnectionException", loader);
            newDataException = exceptionConstructor(lookup, "redis.clients.jedis.exceptions.JedisDataException", loader);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Jedis version: " + e, e);
        }
    }

    private static MethodHandle exceptionConstructor(MethodHandles.Lookup lookup, String name, ClassLoader loader)
            throws ReflectiveOperationException {
        Class<?> type = Class.forName(name, false, loader);
        return lookup.findConstructor(type, MethodType.methodType(void.class, String.class))
                .asType(MethodType.methodType(RuntimeException.class, String.class));
    }

    /** The handles for the Jedis that {@code jedisObject} (a CommandObject, Connection, CommandArguments...) belongs to. */
    static JedisAccess of(Object jedisObject) {
        return BY_JEDIS_CLASS.get(jedisObject.getClass());
    }

    /** The command's arguments as Redis receives them, the command name first. */
    byte[][] arguments(Object commandObject) throws Throwable {
        return raw((Iterable<?>) (Object) getArguments.invokeExact(commandObject));
    }

    /** The raw bytes of a {@code CommandArguments} (which is an {@code Iterable<Rawable>}), the command name first. */
    byte[][] raw(Iterable<?> args) throws Throwable {
        int size = 0;
        for (Object ignored : args) {
            size++;
        }
        byte[][] raw = new byte[size][];
        int i = 0;
        for (Object arg : args) {
            if (i == size) {
                break;
            }
            raw[i++] = (byte[]) getRaw.invokeExact(arg);
        }
        return raw;
    }

    /** Turns a raw RESP2 reply into exactly what the application's call returns, with its own builder. */
    Object build(Object commandObject, Object rawReply) throws Throwable {
        Object builder = getBuilder.invokeExact(commandObject);
        return (Object) build.invokeExact(builder, rawReply);
    }

    RuntimeException connectionException(String message) throws Throwable {
        return (RuntimeException) newConnectionException.invokeExact(message);
    }

    RuntimeException dataException(String message) throws Throwable {
        return (RuntimeException) newDataException.invokeExact(message);
    }
}
