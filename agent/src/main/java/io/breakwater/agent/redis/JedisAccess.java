package io.breakwater.agent.redis;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reflective access to one copy of Jedis (one per class loader that loaded it), so the agent
 * never links against Jedis and works with whatever version and loader the application has.
 *
 * <p>The per-call accessors (arguments, raw bytes, reply builder) are {@code Function}s. Where the
 * JVM allows it (Jedis in the agent's own module, the usual class-path deployment) they are made
 * by {@link LambdaMetafactory} in Jedis' package, so they call Jedis directly and the JIT inlines
 * them like any monomorphic interface call; otherwise (an isolated class loader) they wrap method
 * handles, which held in fields are not constants and cannot be inlined.
 */
final class JedisAccess {
    /** Keyed by any Jedis class; everything is resolved in that class's loader. */
    private static final ClassValue<JedisAccess> BY_JEDIS_CLASS = new ClassValue<>() {
        @Override
        protected JedisAccess computeValue(Class<?> jedisClass) {
            return new JedisAccess(jedisClass.getClassLoader());
        }
    };

    private final Function<Object, Object> getArguments;
    private final Function<Object, Object> getBuilder;
    private final BiFunction<Object, Object, Object> build;
    private final Function<Object, Object> getRaw;
    private final MethodHandle newConnectionException;
    private final MethodHandle newDataException;
    /** Whether the accessors call Jedis directly (see the class comment); for tests. */
    final boolean direct;

    private JedisAccess(ClassLoader loader) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> commandObjectClass = Class.forName("redis.clients.jedis.CommandObject", false, loader);
            Class<?> arguments = Class.forName("redis.clients.jedis.CommandArguments", false, loader);
            Class<?> builder = Class.forName("redis.clients.jedis.Builder", false, loader);
            Class<?> rawable = Class.forName("redis.clients.jedis.args.Rawable", false, loader);
            MethodHandle getArgumentsHandle = lookup.findVirtual(commandObjectClass, "getArguments", MethodType.methodType(arguments));
            MethodHandle getBuilderHandle = lookup.findVirtual(commandObjectClass, "getBuilder", MethodType.methodType(builder));
            MethodHandle buildHandle = lookup.findVirtual(builder, "build", MethodType.methodType(Object.class, Object.class));
            MethodHandle getRawHandle = lookup.findVirtual(rawable, "getRaw", MethodType.methodType(byte[].class));
            Function<Object, Object> directGetArguments = direct(commandObjectClass, getArgumentsHandle);
            Function<Object, Object> directGetBuilder = direct(commandObjectClass, getBuilderHandle);
            Function<Object, Object> directGetRaw = direct(commandObjectClass, getRawHandle);
            BiFunction<Object, Object, Object> directBuild = directBi(commandObjectClass, buildHandle);
            direct = directGetArguments != null && directGetBuilder != null && directGetRaw != null && directBuild != null;
            getArguments = direct ? directGetArguments : viaHandle(getArgumentsHandle);
            getBuilder = direct ? directGetBuilder : viaHandle(getBuilderHandle);
            getRaw = direct ? directGetRaw : viaHandle(getRawHandle);
            build = direct ? directBuild : viaHandle2(buildHandle);
            newConnectionException = exceptionConstructor(lookup, "redis.clients.jedis.exceptions.JedisConnectionException", loader);
            newDataException = exceptionConstructor(lookup, "redis.clients.jedis.exceptions.JedisDataException", loader);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Jedis version: " + e, e);
        }
    }

    /** A {@code Function} calling {@code target} directly, defined in {@code host}'s package; {@code null} where the JVM does not allow it. */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> direct(Class<?> host, MethodHandle target) {
        try {
            MethodHandles.Lookup inJedis = MethodHandles.privateLookupIn(host, MethodHandles.lookup());
            return (Function<Object, Object>) LambdaMetafactory.metafactory(inJedis, "apply", MethodType.methodType(Function.class),
                    MethodType.methodType(Object.class, Object.class), target, target.type()).getTarget().invoke();
        } catch (Throwable notAllowed) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static BiFunction<Object, Object, Object> directBi(Class<?> host, MethodHandle target) {
        try {
            MethodHandles.Lookup inJedis = MethodHandles.privateLookupIn(host, MethodHandles.lookup());
            return (BiFunction<Object, Object, Object>) LambdaMetafactory.metafactory(inJedis, "apply", MethodType.methodType(BiFunction.class),
                    MethodType.methodType(Object.class, Object.class, Object.class), target, target.type()).getTarget().invoke();
        } catch (Throwable notAllowed) {
            return null;
        }
    }

    private static Function<Object, Object> viaHandle(MethodHandle target) {
        MethodHandle h = target.asType(MethodType.methodType(Object.class, Object.class));
        return o -> {
            try {
                return (Object) h.invokeExact(o);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        };
    }

    private static BiFunction<Object, Object, Object> viaHandle2(MethodHandle target) {
        MethodHandle h = target.asType(MethodType.methodType(Object.class, Object.class, Object.class));
        return (a, b) -> {
            try {
                return (Object) h.invokeExact(a, b);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        };
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
        return raw((Iterable<?>) getArguments.apply(commandObject));
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
            raw[i++] = (byte[]) getRaw.apply(arg);
        }
        return raw;
    }

    /** Turns a raw RESP2 reply into exactly what the application's call returns, with its own builder. */
    Object build(Object commandObject, Object rawReply) throws Throwable {
        return build.apply(getBuilder.apply(commandObject), rawReply);
    }

    RuntimeException connectionException(String message) throws Throwable {
        return (RuntimeException) newConnectionException.invokeExact(message);
    }

    RuntimeException dataException(String message) throws Throwable {
        return (RuntimeException) newDataException.invokeExact(message);
    }
}
