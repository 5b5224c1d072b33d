package io.breakwater.e2e;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;

/**
 * A platform MBeanServer that refuses every {@code io.breakwater} MBean, as a locked-down host (or
 * a security manager of old) may; everything else works. Chosen with
 * {@code -Djavax.management.builder.initial=io.breakwater.e2e.RefusingMBeanServerBuilder}.
 */
public final class RefusingMBeanServerBuilder extends MBeanServerBuilder {
    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        MBeanServer real = super.newMBeanServer(defaultDomain, outer, delegate);
        return (MBeanServer) Proxy.newProxyInstance(MBeanServer.class.getClassLoader(), new Class<?>[] {MBeanServer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerMBean") && args[1] instanceof ObjectName name
                            && name.getDomain().equals("io.breakwater")) {
                        throw new MBeanRegistrationException(new SecurityException("refused by policy"), "refused: " + name);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
