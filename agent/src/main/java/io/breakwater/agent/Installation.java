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
import io.breakwater.agent.jmx.JmxRegistrar;
import io.breakwater.agent.log.Log;
import io.breakwater.agent.ocpp.OcppGuard;
import io.breakwater.agent.redis.RedisGuard;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/** Everything one installation of the agent owns: breakers, guards, transformer, MBeans, thread. */
public final class Installation {
    private final ScheduledThreadPoolExecutor scheduler;
    private final JmxRegistrar jmx = new JmxRegistrar();
    private final Installer installer = new Installer();
    private ResettableClassFileTransformer transformer;

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
        installation.install(config, instrumentation);
        Dispatcher.installation = installation;
    }

    private void install(AgentConfig config, Instrumentation instrumentation) {
        List<String> protectedTargets = new ArrayList<>();
        if (config.redis().enabled()) {
            Breaker breaker = breaker(config.redis());
            RedisGuard guard = RedisGuard.create(breaker, config.redisFallback(), config.redisFallbackMaxBytes(),
                    config.redisJournalMaxEntries());
            if (guard.memory() != null) {
                jmx.add("type=Fallback,name=" + breaker.name(),
                        new FallbackView(guard.memory(), breaker, config.redisFallbackMaxBytes()), FallbackMBean.class);
            }
            Dispatcher.redis = guard;
            protectedTargets.add("redis (Jedis)");
        }
        if (config.ocpp().enabled() && !config.ocppTargets().isEmpty()) {
            Breaker breaker = breaker(config.ocpp());
            Dispatcher.ocpp = new OcppGuard(breaker, config.ocppTargets());
            for (OcppTarget t : config.ocppTargets()) {
                protectedTargets.add("ocpp " + t.profile() + " (" + t.className() + "#" + t.methodName() + ")");
            }
        }
        jmx.add("type=Agent", new AgentView(BreakwaterAgent.version(), protectedTargets, installer), AgentMBean.class);
        transformer = installer.install(instrumentation, config);
        if (config.jmx()) {
            scheduler.schedule(jmx::registerAll, config.jmxRegisterDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
        Log.info(BreakwaterAgent.version() + " protecting " + String.join(", ", protectedTargets)
                + describe(config.redis()) + describe(config.ocpp()));
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

    /** For tests in this JVM: the transformer, to restore classes. */
    ResettableClassFileTransformer transformer() {
        return transformer;
    }
}
