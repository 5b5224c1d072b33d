package io.breakwater.agent.redis;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Makes a {@code Jedis} for a {@code JedisPool} that cannot lend one because Redis is unavailable.
 * Its connection is never opened: the Redis guard answers every command on it from memory (it
 * would lack the pool's authentication and database selection). Closing it touches no pool.
 * Reached reflectively, per class loader.
 */
final class DetachedJedis {
    private static final ClassValue<Maker> MAKERS = new ClassValue<>() {
        @Override
        protected Maker computeValue(Class<?> poolClass) {
            return new Maker(poolClass);
        }
    };

    private DetachedJedis() {}

    /** A detached {@code Jedis} and its {@code Connection}, which is what the advice sees. */
    record Made(Object jedis, Object connection) {}

    /** @return a fresh, never connected Jedis for {@code pool}; throws if this Jedis version is not supported */
    static Made like(Object pool) throws ReflectiveOperationException {
        return MAKERS.get(pool.getClass()).make(pool);
    }

    private static final class Maker {
        private final Method getFactory;
        private final Field socketFactory;
        private final Constructor<?> connection;
        private final Constructor<?> jedis;

        Maker(Class<?> poolClass) {
            try {
                ClassLoader loader = poolClass.getClassLoader();
                getFactory = findMethod(poolClass, "getFactory");
                Class<?> factoryClass = Class.forName("redis.clients.jedis.JedisFactory", false, loader);
                socketFactory = factoryClass.getDeclaredField("jedisSocketFactory");
                socketFactory.setAccessible(true);
                Class<?> connectionClass = Class.forName("redis.clients.jedis.Connection", false, loader);
                connection = connectionClass.getConstructor(Class.forName("redis.clients.jedis.JedisSocketFactory", false, loader));
                jedis = Class.forName("redis.clients.jedis.Jedis", false, loader).getConstructor(connectionClass);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("JedisPool internals not as expected: " + e, e);
            }
        }

        Made make(Object pool) throws ReflectiveOperationException {
            Object factory = getFactory.invoke(pool);
            Object unopened = connection.newInstance(socketFactory.get(factory)); // this constructor does not connect
            return new Made(jedis.newInstance(unopened), unopened);
        }

        private static Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name) && m.getParameterCount() == 0) {
                        m.setAccessible(true);
                        return m;
                    }
                }
            }
            throw new NoSuchMethodException(type.getName() + "." + name + "()");
        }
    }
}
