package io.breakwater.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.breakwater.agent.boot.Dispatcher;
import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.log.Log;
import io.breakwater.agent.util.BuiltLater;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's one class file transformer. Every class it instruments is known by its exact name, so
 * a class is looked up in a map and, for all but a handful, left alone at once: no Byte Buddy
 * matching runs for the thousands of classes a JVM loads, and Byte Buddy's Advice is only built for
 * the kinds of target the JVM actually loads. That keeps start-up cost to what is really
 * instrumented. The advice changes method bodies only (no members, no class format changes), so
 * classes can be instrumented on attach and restored on detach by retransformation.
 */
public final class Installer implements ClassFileTransformer {
    static final String JEDIS_CONNECTION = "redis.clients.jedis.Connection";
    static final String JEDIS_UNIFIED = "redis.clients.jedis.UnifiedJedis";
    static final String JEDIS_COMMAND_OBJECT = "redis.clients.jedis.CommandObject";
    static final String JEDIS_COMMAND_ARGUMENTS = "redis.clients.jedis.CommandArguments";
    static final String JEDIS_POOL = "redis.clients.jedis.JedisPool";
    static final String JEDIS_POOL_BASE = "redis.clients.jedis.util.Pool";

    /** By internal name (a/b/C), what to weave into that class; built lazily, once. */
    private static final Duration READY_WAIT = Duration.ofSeconds(10);

    private final Map<String, BuiltLater<AsmVisitorWrapper>> targets = new HashMap<>();
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    /** Names of targets loaded before the agent was ready to weave them; woven once it is. */
    private final Set<String> deferred = ConcurrentHashMap.newKeySet();
    private Instrumentation instrumentation;
    private volatile Future<?> ready = CompletableFuture.completedFuture(null);
    private final Duration readyWait;

    public Installer() {
        this(READY_WAIT);
    }

    /** {@code readyWait}: how long a target class waits for the agent's start (for tests). */
    Installer(Duration readyWait) {
        this.readyWait = readyWait;
    }

    /**
     * Registers the transformer for the targets {@code config} names. A target class loaded before
     * {@code ready} completes waits for it (the agent starts in the background so as not to hold up
     * the application's start), but never longer than 10 seconds: then it is woven
     * when the agent is ready.
     */
    public void install(Instrumentation instrumentation, AgentConfig config, Future<?> ready) {
        this.ready = ready;
        ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(Installer.class.getClassLoader());
        if (config.redis().enabled()) {
            // Resolved from the agent's own class files: the application's class loader (which may not
            // see the agent at all) is never asked for the advice.
            BuiltLater<AsmVisitorWrapper> command = new BuiltLater<>(() -> Advice.to(RedisCommandAdvice.class, adviceLocator).withExceptionHandler(reporting())
                    .on(named("executeCommand").and(takesArguments(1))
                            .and(takesArgument(0, named(JEDIS_COMMAND_OBJECT))).and(not(isAbstract()))));
            target(JEDIS_CONNECTION, new BuiltLater<>(() -> new AsmVisitorWrapper.Compound(command.get(),
                    Advice.to(SendCommandAdvice.class, adviceLocator).withExceptionHandler(reporting()).on(named("sendCommand").and(takesArguments(1))
                            .and(takesArgument(0, named(JEDIS_COMMAND_ARGUMENTS)))))));
            target(JEDIS_UNIFIED, command);
            target(JEDIS_POOL, new BuiltLater<>(() -> Advice.to(PoolBorrowAdvice.class, adviceLocator).withExceptionHandler(reporting())
                    .on(named("getResource").and(takesArguments(0)).and(not(isBridge())).and(not(isAbstract())))));
            target(JEDIS_POOL_BASE, new BuiltLater<>(() -> Advice.to(PoolReturnAdvice.class, adviceLocator).withExceptionHandler(reporting())
                    .on(named("returnBrokenResource").and(takesArguments(1)).and(not(isBridge())).and(not(isAbstract())))));
        }
        if (config.ocpp().enabled()) {
            List<OcppTarget> ocppTargets = config.ocppTargets();
            for (int i = 0; i < ocppTargets.size(); i++) {
                OcppTarget target = ocppTargets.get(i);
                int index = i;
                target(target.className(), new BuiltLater<>(() -> Advice.withCustomMapping().bind(TargetIndex.class, index)
                        .to(OcppSendAdvice.class, adviceLocator).withExceptionHandler(reporting())
                        .on(named(target.methodName()).and(not(isAbstract())))));
            }
        }
        Dispatcher.failures = Installer::adviceFailed;
        this.instrumentation = instrumentation;
        instrumentation.addTransformer(this, true);
    }

    /**
     * Logs an exception the advice swallowed, once per kind: its class and where in the agent it
     * arose, not its message, which may quote a key, a value or an idTag (only with {@code debug}).
     */
    private static void adviceFailed(Throwable failure) {
        String where = "";
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.breakwater.agent.")) {
                where = " at " + frame.getClassName() + "." + frame.getMethodName() + ":" + frame.getLineNumber();
                break;
            }
        }
        Log.warnOnce("advice-" + failure.getClass().getName(), "internal error in the agent (" + failure.getClass().getName()
                + where + (Log.isDebug() ? ": " + failure.getMessage() : "") + "); the application's call went on unprotected"
                + " (logged once per kind)");
    }

    /**
     * What the advice does with an exception of its own (it is {@code suppress}ed, never reaching the
     * application): hands it to {@link Dispatcher#adviceFailed}, which logs it once per kind.
     */
    private static Advice.ExceptionHandler reporting() {
        return Reporting.HANDLER;
    }

    /** Built once, when the first advice is (not in premain: it loads Byte Buddy classes). */
    private static final class Reporting {
        static final Advice.ExceptionHandler HANDLER;

        static {
            try {
                HANDLER = new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
                        new MethodDescription.ForLoadedMethod(Dispatcher.class.getMethod("adviceFailed", Throwable.class))));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Weaves the target classes that are already loaded: all of them when attached to a running JVM. */
    public void weaveLoaded() {
        retransform(loadedTargets(targets.keySet()));
    }

    /** Builds every advice now, so that no class load has to (for the background start). */
    public void prepare() {
        targets.values().forEach(BuiltLater::get);
    }

    /**
     * Weaves one of the agent's own classes and throws the result away: it loads and runs Byte
     * Buddy's weaving code once, in parallel with {@link #prepare}, so that the first target the
     * application loads is woven by warm code.
     */
    public void warmUp() {
        String name = Installer.class.getName();
        try (InputStream in = Installer.class.getResourceAsStream("Installer.class")) {
            weave(name, in.readAllBytes(), Installer.class.getClassLoader(),
                    new AsmVisitorWrapper.ForDeclaredMethods().method(named("install"), (t, m, v, c, p, w, r) -> v));
        } catch (Throwable t) {
            Log.debug("warm-up weave failed (harmless): " + t);
        }
    }

    /** Weaves the targets that were loaded while the agent was not yet ready; see {@link #install}. */
    public void weaveDeferred() {
        if (!deferred.isEmpty()) {
            retransform(loadedTargets(deferred));
            deferred.clear();
        }
    }

    /** Removes the transformer and gives every instrumented class its original code back. */
    public void uninstall() {
        if (instrumentation == null) {
            return;
        }
        try {
            instrumentation.removeTransformer(this);
            retransform(loadedTargets(instrumented));
        } finally {
            Dispatcher.failures = null;
        }
    }

    private void target(String className, BuiltLater<AsmVisitorWrapper> advice) {
        targets.put(className.replace('.', '/'), advice);
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
        BuiltLater<AsmVisitorWrapper> advice = internalName == null ? null : targets.get(internalName);
        if (advice == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        if (!awaitReady(internalName)) {
            return null;
        }
        try {
            byte[] woven = weave(name, classFile, loader, advice.get());
            instrumented.add(internalName);
            Log.debug("instrumented " + name);
            return woven;
        } catch (Throwable t) {
            if (failed.add(name)) {
                Log.warn("could not instrument " + name + ", it runs unprotected: " + t);
            }
            return null;
        }
    }

    /** Whether the agent is ready to weave; waits for its start if that is still under way. */
    private boolean awaitReady(String internalName) {
        try {
            ready.get(readyWait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return false; // the start failed, said so and removes this transformer: nothing to weave
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            deferred.add(internalName);
            if (ready.isDone()) { // it became ready meanwhile, perhaps too late to see this class deferred
                deferred.remove(internalName);
                return awaitReady(internalName);
            }
            Log.warn("agent not ready after " + readyWait.toMillis() + " ms; " + internalName.replace('/', '.')
                    + " runs unprotected until it is");
            return false;
        }
    }

    private static byte[] weave(String name, byte[] classFile, ClassLoader loader, AsmVisitorWrapper advice) {
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        TypeDescription type = pool.describe(name).resolve();
        // Method bodies only: no method graph of the (for UnifiedJedis, very large) type hierarchy, no
        // added members, and the class file is not validated again.
        return new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .decorate(type, locator)
                .visit(advice)
                .make(pool)
                .getBytes();
    }

    private List<Class<?>> loadedTargets(Set<String> internalNames) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (internalNames.contains(c.getName().replace('.', '/')) && instrumentation.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        return loaded;
    }

    /** One class at a time: a class that cannot be retransformed does not hold back the others. */
    private void retransform(List<Class<?>> classes) {
        for (Class<?> c : classes) {
            try {
                instrumentation.retransformClasses(c);
            } catch (Throwable t) {
                if (failed.add(c.getName())) {
                    Log.warn("could not retransform " + c.getName() + ": " + t);
                }
            }
        }
    }

    public Set<String> instrumentedClasses() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        instrumented.forEach(n -> names.add(n.replace('/', '.')));
        return Set.copyOf(names);
    }

    public int errorCount() {
        return failed.size();
    }
}
