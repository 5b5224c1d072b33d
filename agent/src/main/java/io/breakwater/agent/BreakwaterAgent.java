package io.breakwater.agent;

import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.ConfigException;
import io.breakwater.agent.instrument.BootClasses;
import io.breakwater.agent.log.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} ({@link #premain}) and for attaching to a running JVM
 * ({@link #agentmain}), which with the argument {@value #DETACH} removes it again. Whatever goes
 * wrong here, the application keeps running: a bad argument or an internal error costs one
 * {@code [breakwater]} line and leaves the JVM uninstrumented.
 */
public final class BreakwaterAgent {
    /** The {@code agentmain} argument with which {@code breakwater-agent.jar detach <pid>} removes the agent. */
    public static final String DETACH = "detach";

    /**
     * Set in the target while the agent is installed ({@code "<version> attached"} or
     * {@code "<version> -javaagent"}), so the CLI can tell through the Attach API alone, even before
     * any MBean is registered or with {@code jmx.enabled=false}.
     */
    public static final String INSTALLED_PROPERTY = "breakwater.agent";

    /**
     * The {@code agentmain} argument prefix with which {@code attach --prometheus}, having loaded the Prometheus
     * exporter into the target, records there where it serves ({@value #EXPORTER_LOADED} {@code <url>}): the exporter
     * cannot be loaded twice in one JVM (the second exits the JVM) and leaves no other trace the CLI can read.
     */
    public static final String EXPORTER_LOADED = "exporter-loaded ";

    /** Set by {@link #EXPORTER_LOADED} to the exporter's URL; kept when Breakwater detaches, as the exporter stays. */
    public static final String EXPORTER_PROPERTY = "breakwater.prometheus";

    private BreakwaterAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (arguments != null && arguments.trim().equals(DETACH)) {
            detach();
        } else if (arguments != null && arguments.startsWith(EXPORTER_LOADED)) {
            System.setProperty(EXPORTER_PROPERTY, arguments.substring(EXPORTER_LOADED.length()));
        } else {
            start(arguments, instrumentation, true);
        }
    }

    /** Undoes the installation with the {@code Instrumentation} it was made with (this call's own is not used). */
    private static void detach() {
        try {
            if (!bootClassesInjected()) {
                // Never installed here; loading Installation now would link it to the wrong Dispatcher copy.
                Log.info("not installed in this JVM; nothing to detach");
                return;
            }
            installation().getMethod("stop").invoke(null);
        } catch (Throwable t) {
            Log.info("detach failed (" + unwrap(t) + ")");
        }
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        try {
            AgentConfig config;
            try {
                config = AgentConfig.parse(arguments);
            } catch (ConfigException e) {
                Log.info("bad agent argument: " + e.getMessage() + "; agent disabled, the application runs unprotected");
                return;
            }
            BootClasses.inject(instrumentation);
            installation().getMethod("start", AgentConfig.class, Instrumentation.class, boolean.class)
                    .invoke(null, config, instrumentation, attached);
        } catch (Throwable t) {
            Log.info("agent failed to start (" + unwrap(t) + "); the application runs unprotected");
        }
    }

    /** Loaded reflectively: Installation links to the bootstrap classes that {@link BootClasses} injects. */
    private static Class<?> installation() throws ClassNotFoundException {
        return Class.forName("io.breakwater.agent.Installation", true, BreakwaterAgent.class.getClassLoader());
    }

    private static boolean bootClassesInjected() {
        try {
            Class.forName("io.breakwater.agent.boot.Dispatcher", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
    }

    /** The agent's version, from its jar's manifest. */
    public static String version() {
        String v = BreakwaterAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
