package io.breakwater.agent.instrument;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Defines classes in the bootstrap loader through the JDK's internal {@code Unsafe}. It is loaded
 * by a throw-away class loader of its own (see {@link BootClasses}), and {@code jdk.internal.misc}
 * is exported to that loader's module alone, so the application's classes never gain access to
 * JDK internals. Only JDK types here: that loader sees nothing else.
 */
public final class BootDefiner {
    private BootDefiner() {}

    public static void define(Map<String, byte[]> classes) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass",
                String.class, byte[].class, int.class, int.class, ClassLoader.class, java.security.ProtectionDomain.class);
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
        }
    }
}
