package io.breakwater.agent.jmx;

import io.breakwater.agent.log.Log;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the agent's MBeans in the platform MBeanServer — never from premain (that would
 * initialise JMX and JUL before the application configures them) but from the agent's own thread
 * once the application runs. Unregisters them all on detach.
 */
public final class JmxRegistrar {
    public static final String DOMAIN = "io.breakwater";

    /** Key properties → view and interface; the MBeans themselves are built when registered (JMX introspection is slow). */
    private final Map<String, Pending<?>> pending = new LinkedHashMap<>();
    private final List<ObjectName> registered = new ArrayList<>();
    private boolean done;

    private record Pending<T>(T view, Class<T> type) {
        DescribedMBean<T> mbean() throws Exception {
            return new DescribedMBean<>(view, type);
        }
    }

    public synchronized <T> void add(String keyProperties, T view, Class<T> type) {
        pending.put(keyProperties, new Pending<>(view, type));
    }

    /** Registers everything added so far; safe to call more than once. */
    public synchronized void registerAll() {
        if (done) {
            return;
        }
        done = true;
        MBeanServer server;
        try {
            server = ManagementFactory.getPlatformMBeanServer();
        } catch (Throwable t) {
            Log.warn("no platform MBeanServer, breakers are not visible over JMX: " + t);
            return;
        }
        List<String> refused = new ArrayList<>();
        String firstReason = null;
        for (Map.Entry<String, Pending<?>> e : pending.entrySet()) {
            try {
                ObjectName name = new ObjectName(DOMAIN + ":" + e.getKey());
                if (server.isRegistered(name)) {
                    Log.warn("MBean " + name + " already exists (another agent copy?); not replacing it");
                    continue;
                }
                server.registerMBean(e.getValue().mbean(), name);
                registered.add(name);
            } catch (Exception | LinkageError ex) {
                refused.add(e.getKey());
                firstReason = firstReason == null ? ex + (ex.getCause() == null ? "" : " (" + ex.getCause() + ")") : firstReason;
            }
        }
        if (!refused.isEmpty()) {
            // One line for the whole refusal: an MBeanServer that refuses one usually refuses them all.
            Log.warn("the MBeanServer refused " + refused.size() + " of " + pending.size() + " MBeans (" + String.join(", ", refused)
                    + "): " + firstReason + "; the breakers work, but are not visible over JMX");
        }
        Log.debug("registered " + registered.size() + " MBeans");
    }

    /** Unregisters everything and registers nothing from now on (detach, or JMX switched off). */
    public synchronized void close() {
        done = true;
        if (registered.isEmpty()) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (Exception ignored) {
                // already gone
            }
        }
        registered.clear();
    }
}
