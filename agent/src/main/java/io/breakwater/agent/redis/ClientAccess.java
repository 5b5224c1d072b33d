package io.breakwater.agent.redis;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Calls {@code executeCommand(CommandObject)} on a Jedis client object ({@code Connection} or
 * {@code UnifiedJedis}) of whatever class loader: the journal replays through the application's own
 * client, so authentication, TLS and database selection are the application's.
 */
final class ClientAccess {
    private static final ClassValue<MethodHandle> EXECUTE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> clientClass) {
            try {
                Class<?> commandObject = Class.forName("redis.clients.jedis.CommandObject", false, clientClass.getClassLoader());
                return MethodHandles.publicLookup()
                        .findVirtual(clientClass, "executeCommand", MethodType.methodType(Object.class, commandObject))
                        .asType(MethodType.methodType(Object.class, Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no executeCommand(CommandObject) on " + clientClass.getName(), e);
            }
        }
    };

    private ClientAccess() {}

    static Object execute(Object client, Object commandObject) throws Throwable {
        return (Object) EXECUTE.get(client.getClass()).invokeExact(client, commandObject);
    }
}
