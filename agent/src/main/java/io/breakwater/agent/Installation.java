package io.breakwater.agent;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.BreakerSettings;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.instrument.Installer;
import io.breakwater.agent.jmx.AgentMBean;
import io.breakwater.agent.jmx.AgentView;
import io.breakwater.agent.jmx.CircuitBreakerMBean;
import io.breakwater.agent.jmx.CircuitBreakerView;
import io.breakwater.agent.jmx.FallbackMBean;
import io.breakwater.agent.jmx.FallbackView;
import io.breakwater.agent.jmx.OfflineQueueMBean;
import io.breakwater.agent.jmx.OfflineQueueView;
import io.breakwater.agent.jmx.JmxRegistrar;
import io.breakwater.agent.log.Log;
import io.breakwater.agent.ocpp.OcppGuard;
import io.breakwater.agent.redis.RedisGuard;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Everything one installation of the agent owns: breakers, guards, transformer, MBeans, thread. Set
 * up by {@link #start}, taken down by {@link #stop}.
 */
public final class Installation {
    private final ScheduledThreadPoolExecutor scheduler;
    private final JmxRegistrar jmx = new JmxRegistrar();
    private final Installer installer = new Installer();
    /** The one the transformer was installed with: a later agentmain's own cannot reset it. */
    private Instrumentation instrumentation;
    private ResettableClassFileTransformer transformer;
    private RedisGuard redisGuard;
    private OcppGuard ocppGuard;

    private Installation() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "breakwater-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    public static synchronized void start(AgentConfig config, Instrumentation instrumentation, boolean attached) {
        if (Dispatcher.installation != null) {
            Log.info("already installed in this JVM; ignoring this " + (attached ? "attach" : "-javaagent") + " request");
            return;
        }
        Log.setDebug(config.debug());
        Installation installation = new Installation();
        try {
            installation.install(config, instrumentation, attached);
        } catch (RuntimeException | Error e) {
            installation.uninstall(); // never half-installed
            throw e;
        }
        Dispatcher.installation = installation;
        System.setProperty(BreakwaterAgent.INSTALLED_PROPERTY, BreakwaterAgent.version() + (attached ? " attached" : " -javaagent"));
    }

    /**
     * Undoes {@link #start}: the advice is switched off and the instrumented classes are restored,
     * the MBeans unregistered and the agent's thread stopped. A later attach installs afresh.
     */
    public static synchronized void stop() {
        if (!(Dispatcher.installation instanceof Installation installation)) {
            Log.info("not installed in this JVM; nothing to detach");
            return;
        }
        installation.uninstall();
        Dispatcher.installation = null;
        System.clearProperty(BreakwaterAgent.INSTALLED_PROPERTY);
        Log.info("detached: instrumented classes restored, MBeans unregistered, agent thread stopped");
    }

    private void install(AgentConfig config, Instrumentation instrumentation, boolean attached) {
        this.instrumentation = instrumentation;
        List<String> protectedTargets = new ArrayList<>();
        if (config.redis().enabled()) {
            Breaker breaker = breaker(config.redis());
            RedisGuard guard = RedisGuard.create(breaker, config.redisFallback(), config.redisFallbackMaxBytes(),
                    config.redisJournalMaxEntries());
            redisGuard = guard;
            if (guard.memory() != null) {
                jmx.add("type=Fallback,name=" + breaker.name(),
                        new FallbackView(guard.memory(), guard.journal(), breaker, config.redisFallbackMaxBytes()), FallbackMBean.class);
            }
            Dispatcher.redis = guard;
            protectedTargets.add("redis (Jedis)");
        }
        if (config.ocpp().enabled() && !config.ocppTargets().isEmpty()) {
            Breaker breaker = breaker(config.ocpp());
            OcppGuard guard = new OcppGuard(breaker, config.ocppTargets(), config.ocppOffline(), scheduler);
            ocppGuard = guard;
            jmx.add("type=OfflineQueue,name=" + breaker.name(),
                    new OfflineQueueView(guard, config.ocppOffline().maxQueuedMessages()), OfflineQueueMBean.class);
            Dispatcher.ocpp = guard;
            for (OcppTarget t : config.ocppTargets()) {
                protectedTargets.add("ocpp " + t.profile() + " (" + t.className() + "#" + t.methodName() + ")");
            }
        }
        jmx.add("type=Agent", new AgentView(BreakwaterAgent.version(), protectedTargets, installer), AgentMBean.class);
        transformer = installer.install(instrumentation, config);
        if (!config.jmx()) {
            jmx.close();
        } else if (attached) {
            // The application is already running: its logging and JMX are set up, no reason to wait.
            jmx.registerAll();
        } else {
            scheduler.schedule(jmx::registerAll, config.jmxRegisterDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
        boolean ocppProtected = config.ocpp().enabled() && !config.ocppTargets().isEmpty();
        Log.info(BreakwaterAgent.version() + (protectedTargets.isEmpty()
                ? " installed, protecting nothing (redis.enabled=false, and ocpp.enabled=false or ocpp.targets=none)"
                : " protecting " + String.join(", ", protectedTargets))
                + describe(config.redis()) + (ocppProtected ? describe(config.ocpp()) : ""));
    }

    private Breaker breaker(BreakerSettings settings) {
        Breaker breaker = new Breaker(settings, scheduler);
        jmx.add("type=CircuitBreaker,name=" + settings.name(), new CircuitBreakerView(breaker), CircuitBreakerMBean.class);
        // A state change before the delayed registration makes the MBeans appear at once.
        breaker.addTransitionListener(t -> jmx.registerAll());
        return breaker;
    }

    private static String describe(BreakerSettings s) {
        if (!s.enabled()) {
            return "";
        }
        return "; breaker '" + s.name() + "': " + s.failureThreshold() + " failures open, " + s.successThreshold()
                + " successes close, call timeout " + s.callTimeout().toMillis() + " ms, reset " + s.resetTimeout().toMillis() + " ms";
    }

    private void uninstall() {
        try {
            // Restore the classes first: calls already inside the old code still find their guard on the way out.
            if (transformer != null) {
                transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            }
        } catch (RuntimeException e) {
            Log.warn("could not restore every instrumented class, the advice stays in them switched off: " + e);
        } finally {
            Dispatcher.redis = null;
            Dispatcher.ocpp = null;
            // What the guards still hold goes back to the application, or is reported: nothing vanishes silently.
            if (ocppGuard != null) {
                ocppGuard.handBack();
            }
            if (redisGuard != null) {
                redisGuard.reportUnreplayed();
            }
            jmx.close();
            scheduler.shutdownNow();
        }
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                Log.warn("agent thread still busy after detach; it ends when its task does");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests in this JVM: the transformer, to restore classes. */
    ResettableClassFileTransformer transformer() {
        return transformer;
    }
}
