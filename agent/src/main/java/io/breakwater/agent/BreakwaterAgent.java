package io.breakwater.agent;

import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.ConfigException;
import io.breakwater.agent.instrument.BootClasses;
import io.breakwater.agent.log.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} ({@link #premain}) and for attaching to a running JVM
 * ({@link #agentmain}). Whatever goes wrong here, the application keeps running: a bad argument
 * or an internal error costs one {@code [breakwater]} line and leaves the JVM uninstrumented.
 */
public final class BreakwaterAgent {
    private BreakwaterAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
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
            // Loaded reflectively: Installation links to the bootstrap classes injected just above.
            Class.forName("io.breakwater.agent.Installation", true, BreakwaterAgent.class.getClassLoader())
                    .getMethod("start", AgentConfig.class, Instrumentation.class, boolean.class)
                    .invoke(null, config, instrumentation, attached);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            Log.info("agent failed to start (" + cause + "); the application runs unprotected");
        }
    }

    /** The agent's version, from its jar's manifest. */
    public static String version() {
        String v = BreakwaterAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
