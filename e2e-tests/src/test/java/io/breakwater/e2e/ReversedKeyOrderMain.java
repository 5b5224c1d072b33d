package io.breakwater.e2e;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.ObjectName;

/**
 * A JVM for the exporter-rule test: every {@code io.breakwater:type=T,name=N} MBean the agent
 * registers here is mirrored as {@code io.breakwater:name=N-reversed,type=T}, its key properties
 * in the other order, as another registrant might write them. Runs until killed.
 */
public final class ReversedKeyOrderMain {
    private ReversedKeyOrderMain() {}

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, (notification, handback) -> {
            if (notification instanceof MBeanServerNotification registered
                    && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(registered.getType())) {
                mirror(server, registered.getMBeanName());
            }
        }, null, null);
        for (ObjectName name : server.queryNames(new ObjectName("io.breakwater:*"), null)) {
            mirror(server, name);
        }
        System.out.println("mirroring io.breakwater MBeans in reversed key order");
        new CountDownLatch(1).await();
    }

    private static void mirror(MBeanServer server, ObjectName original) {
        String type = original.getKeyProperty("type");
        String name = original.getKeyProperty("name");
        if (!"io.breakwater".equals(original.getDomain()) || type == null || name == null || name.endsWith("-reversed")) {
            return;
        }
        try {
            ObjectName reversed = new ObjectName("io.breakwater:name=" + name + "-reversed,type=" + type);
            server.registerMBean(new Mirror(server, original), reversed);
        } catch (JMException e) {
            System.out.println("cannot mirror " + original + ": " + e);
        }
    }

    /** Reads go to the original MBean. */
    private record Mirror(MBeanServer server, ObjectName original) implements DynamicMBean {
        @Override
        public Object getAttribute(String attribute) throws MBeanException {
            try {
                return server.getAttribute(original, attribute);
            } catch (JMException e) {
                throw new MBeanException(e);
            }
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            try {
                return server.getAttributes(original, attributes);
            } catch (JMException e) {
                return new AttributeList();
            }
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            try {
                return server.getMBeanInfo(original);
            } catch (JMException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException("read-only mirror");
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException("read-only mirror");
        }
    }
}
