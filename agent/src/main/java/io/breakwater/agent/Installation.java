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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Everything one installation of the agent owns: breakers, guards, transformer, MBeans, thread. Set
 * up by {@link #start}, taken down by {@link #stop}.
 */
public final class Installation {
    private static final String SCHEDULER_THREAD = "breakwater-scheduler";
    /** How often values past their TTL leave the memory fallback, and discarded charge points' queues are counted out. */
    private static final long SWEEP_SECONDS = 10;
    private final ScheduledThreadPoolExecutor scheduler;
    private final JmxRegistrar jmx = new JmxRegistrar();
    private final Installer installer = new Installer();
    /** Completes when the guards are in place and the advice is built (at once when attached). */
    private CompletableFuture<?> ready = CompletableFuture.completedFuture(null);
    private volatile RedisGuard redisGuard;
    private volatile OcppGuard ocppGuard;

    private Installation() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, SCHEDULER_THREAD);
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
        if (!config.jmx()) {
            jmx.close(); // nothing is ever registered
        }
        if (attached) {
            // The application is running and its classes are loaded: guards first, then weave them.
            String protecting = createGuards(config);
            installer.install(instrumentation, config, ready);
            installer.weaveLoaded();
            // Its logging and JMX are set up, no reason to wait.
            applicationIsUp();
            Log.info(protecting);
            return;
        }
        // At start-up the application waits for premain: only the transformer is registered here. The
        // guards (on the agent's thread) and the advice (on a thread of its own, as it takes longest)
        // are built while the application starts; a target class loaded before both are ready waits
        // for them (see Installer#install).
        CompletableFuture<Void> starting = new CompletableFuture<>();
        ready = starting;
        installer.install(instrumentation, config, starting);
        CompletableFuture<String> guards = CompletableFuture.supplyAsync(() -> {
            String line = createGuards(config);
            installer.warmUp(); // on the guards' thread, which is done first, while the advice is built
            return line;
        }, scheduler);
        CompletableFuture<Void> advice = CompletableFuture.runAsync(installer::prepare, Installation::startThread);
        guards.thenCombine(advice, (protecting, none) -> protecting).whenCompleteAsync((protecting, failure) -> {
            if (failure != null) {
                Log.info("agent failed to start (" + (failure.getCause() == null ? failure : failure.getCause())
                        + "); the application runs unprotected");
                starting.completeExceptionally(failure);
                failedInBackground();
                return;
            }
            starting.complete(null);
            installer.weaveDeferred();
            scheduler.schedule(this::applicationIsUp, config.jmxRegisterDelay().toMillis(), TimeUnit.MILLISECONDS);
            Log.info(protecting);
        }, scheduler);
        installer.weaveLoaded(); // normally none are loaded yet (another agent may have loaded some)
    }

    private static void startThread(Runnable task) {
        Thread thread = new Thread(task, "breakwater-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** The breakers and guards, handed to the advice through {@link Dispatcher}; returns the start-up line. */
    private String createGuards(AgentConfig config) {
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
            sweepRegularly(guard::sweepExpired, "redis-sweep", "could not drop expired values from memory");
            protectedTargets.add("redis (Jedis)");
        }
        boolean ocppProtected = config.ocpp().enabled() && !config.ocppTargets().isEmpty();
        if (ocppProtected) {
            Breaker breaker = breaker(config.ocpp());
            OcppGuard guard = new OcppGuard(breaker, config.ocppTargets(), config.ocppOffline(), scheduler);
            ocppGuard = guard;
            jmx.add("type=OfflineQueue,name=" + breaker.name(),
                    new OfflineQueueView(guard, config.ocppOffline().maxQueuedMessages()), OfflineQueueMBean.class);
            Dispatcher.ocpp = guard;
            sweepRegularly(guard::sweepDiscarded, "ocpp-sweep", "could not count out discarded charge points' queues");
            for (OcppTarget t : config.ocppTargets()) {
                protectedTargets.add("ocpp " + t.profile() + " (" + t.className() + "#" + t.methodName() + ")");
            }
        }
        jmx.add("type=Agent", new AgentView(BreakwaterAgent.version(), protectedTargets, installer), AgentMBean.class);
        return BreakwaterAgent.version() + (protectedTargets.isEmpty()
                ? " installed, protecting nothing (redis.enabled=false, and ocpp.enabled=false or ocpp.targets=none)"
                : " protecting " + String.join(", ", protectedTargets))
                + describe(config.redis()) + (ocppProtected ? describe(config.ocpp()) : "");
    }

    /**
     * The application is up: {@code jmx.registerDelay} after start, at the first breaker transition if
     * that comes first, at once when attached. Only now does the agent build its fallbacks' Caffeine
     * caches and register its MBeans, because both initialise {@code java.util.logging} (Caffeine's
     * classes each take a {@code System.Logger}; the platform MBeanServer registers the logging
     * MXBean), and an application that names its own LogManager late would silently get the JDK's.
     * Normally on the agent's thread, so that no application thread pays for Caffeine's classes; a
     * call that needs a cache before this builds it itself (see the guards).
     */
    private void applicationIsUp() {
        try {
            RedisGuard redis = redisGuard;
            if (redis != null) {
                buildAheadOfNeed("redis", redis::buildFallback);
            }
            OcppGuard ocpp = ocppGuard;
            if (ocpp != null) {
                buildAheadOfNeed("ocpp", ocpp::buildFallback);
            }
        } finally {
            jmx.registerAll(); // once; nothing with jmx.enabled=false
        }
    }

    /** Each fallback on its own: one that cannot be built does not hold back the other, nor the MBeans. */
    private static void buildAheadOfNeed(String which, Runnable build) {
        try {
            build.run();
        } catch (Throwable t) {
            Log.warnOnce("build-" + which, "could not build the " + which + " in-memory fallback ahead of need ("
                    + t.getClass().getName() + "); the first call that needs it tries again");
        }
    }

    /** A start that failed on the agent's thread leaves nothing behind, as one that fails in premain. */
    private void failedInBackground() {
        synchronized (Installation.class) {
            if (Dispatcher.installation != this) {
                return; // detached meanwhile
            }
            Dispatcher.installation = null;
            System.clearProperty(BreakwaterAgent.INSTALLED_PROPERTY);
            uninstall();
        }
    }

    private Breaker breaker(BreakerSettings settings) {
        Breaker breaker = new Breaker(settings, scheduler);
        jmx.add("type=CircuitBreaker,name=" + settings.name(), new CircuitBreakerView(breaker), CircuitBreakerMBean.class);
        // A state change before the delay is up makes the MBeans appear at once (on the agent's thread).
        breaker.addTransitionListener(t -> applicationIsUp());
        return breaker;
    }

    /** Runs {@code sweep} every {@link #SWEEP_SECONDS} on the agent's scheduler; a failure is logged once. */
    private void sweepRegularly(Runnable sweep, String kind, String failure) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                Log.warnOnce(kind, failure + ": " + e.getClass().getName());
            }
        }, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    private static String describe(BreakerSettings s) {
        if (!s.enabled()) {
            return "";
        }
        return "; breaker '" + s.name() + "': " + s.failureThreshold() + " failures open, " + s.successThreshold()
                + " successes close, call timeout " + s.callTimeout().toMillis() + " ms, reset " + s.resetTimeout().toMillis() + " ms";
    }

    private void uninstall() {
        boolean onAgentThread = Thread.currentThread().getName().equals(SCHEDULER_THREAD);
        if (!onAgentThread) {
            try {
                ready.get(30, TimeUnit.SECONDS); // a start still under way would set guards up behind this uninstall's back
            } catch (Exception e) {
                // failed or interrupted: whatever it set up is undone below
            }
        }
        try {
            // Restore the classes first: calls already inside the old code still find their guard on the way out.
            installer.uninstall();
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
        if (onAgentThread) {
            return;
        }
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                Log.warn("agent thread still busy after detach; it ends when its task does");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
