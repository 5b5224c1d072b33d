package io.breakwater.agent.jmx;

import java.lang.reflect.Method;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/**
 * A standard MBean whose bean, attributes and operations carry the {@link Description} written on
 * its interface, so that JConsole shows what each one means instead of "Attribute exposed for
 * management".
 *
 * <p>It forwards the notifications of its view as its own: the MBeanServer replaces a source that
 * is the registered MBean with its ObjectName, which a remote JMX client (JConsole) can receive;
 * the view itself as source is not serializable and the client would drop the notification.
 */
public final class DescribedMBean<T> extends StandardEmitterMBean {
    private final Class<T> type;

    public DescribedMBean(T view, Class<T> type) {
        super(view, type, new NotificationBroadcasterSupport(
                view instanceof NotificationEmitter emitter ? emitter.getNotificationInfo() : new MBeanNotificationInfo[0]));
        this.type = type;
        if (view instanceof NotificationEmitter emitter) {
            emitter.addNotificationListener((notification, handback) -> {
                notification.setSource(this);
                sendNotification(notification);
            }, null, null);
        }
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        Description description = type.getAnnotation(Description.class);
        return description != null ? description.value() : super.getDescription(info);
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        Method getter = method((info.isIs() ? "is" : "get") + info.getName(), 0);
        return describe(getter, super.getDescription(info));
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return describe(method(info.getName(), info.getSignature().length), super.getDescription(info));
    }

    /** Every operation changes the breaker and answers in words what it did. */
    @Override
    protected int getImpact(MBeanOperationInfo info) {
        return MBeanOperationInfo.ACTION_INFO;
    }

    private Method method(String name, int parameters) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == parameters) {
                return m;
            }
        }
        return null;
    }

    private static String describe(Method method, String fallback) {
        Description description = method == null ? null : method.getAnnotation(Description.class);
        return description != null ? description.value() : fallback;
    }
}
