package io.breakwater.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.breakwater.agent.config.AgentConfig;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.log.Log;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds the one {@link AgentBuilder} of the agent: exact-name matchers only, advice without class
 * format changes (so it can be added to and removed from an already running JVM), and a listener
 * that reports each class it instrumented or failed to.
 */
public final class Installer {
    static final String JEDIS_CONNECTION = "redis.clients.jedis.Connection";
    static final String JEDIS_UNIFIED = "redis.clients.jedis.UnifiedJedis";
    static final String JEDIS_COMMAND_OBJECT = "redis.clients.jedis.CommandObject";
    static final String JEDIS_COMMAND_ARGUMENTS = "redis.clients.jedis.CommandArguments";
    static final String JEDIS_POOL = "redis.clients.jedis.JedisPool";
    static final String JEDIS_POOL_BASE = "redis.clients.jedis.util.Pool";

    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    public ResettableClassFileTransformer install(Instrumentation instrumentation, AgentConfig config) {
        // The agent uses no Nexus (InitializationStrategy.NoOp below), but AgentBuilder.Default's constructor
        // sets one up unless told not to, and that makes JDK 24+ print sun.misc.Unsafe warnings into
        // the host's output. The property is relocated with Byte Buddy: it concerns only our copy.
        System.setProperty(Nexus.PROPERTY, "true");
        ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(Installer.class.getClassLoader());
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new Listener())
                .ignore(nameStartsWith("java.")
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("io.breakwater.agent."))
                        .or(nameStartsWith("io.opentelemetry.javaagent."))
                        .or(nameStartsWith("co.elastic.apm.agent."))
                        .or(nameStartsWith("org.apache.skywalking."))
                        .or(isSynthetic()));

        if (config.redis().enabled()) {
            // Resolved once from the agent's own class files: the application's class loader (which may
            // not see the agent at all) is never asked for the advice.
            AsmVisitorWrapper redisAdvice = Advice.to(RedisCommandAdvice.class, adviceLocator)
                    .on(named("executeCommand").and(takesArguments(1))
                            .and(takesArgument(0, named(JEDIS_COMMAND_OBJECT))).and(not(isAbstract())));
            AsmVisitorWrapper sendAdvice = Advice.to(SendCommandAdvice.class, adviceLocator)
                    .on(named("sendCommand").and(takesArguments(1)).and(takesArgument(0, named(JEDIS_COMMAND_ARGUMENTS))));
            builder = builder.type(named(JEDIS_CONNECTION)).transform(visit(new AsmVisitorWrapper.Compound(redisAdvice, sendAdvice)));
            builder = builder.type(named(JEDIS_UNIFIED)).transform(visit(redisAdvice));
            builder = builder.type(named(JEDIS_POOL)).transform(visit(Advice.to(PoolBorrowAdvice.class, adviceLocator)
                    .on(named("getResource").and(takesArguments(0)).and(not(isBridge())).and(not(isAbstract())))));
            builder = builder.type(named(JEDIS_POOL_BASE)).transform(visit(Advice.to(PoolReturnAdvice.class, adviceLocator)
                    .on(named("returnBrokenResource").and(takesArguments(1)).and(not(isBridge())).and(not(isAbstract())))));
        }
        if (config.ocpp().enabled()) {
            List<OcppTarget> targets = config.ocppTargets();
            for (int i = 0; i < targets.size(); i++) {
                OcppTarget target = targets.get(i);
                AsmVisitorWrapper ocppAdvice = Advice.withCustomMapping().bind(TargetIndex.class, i)
                        .to(OcppSendAdvice.class, adviceLocator)
                        .on(named(target.methodName()).and(not(isAbstract())));
                builder = builder.type(named(target.className())).transform(visit(ocppAdvice));
            }
        }
        return builder.installOn(instrumentation);
    }

    private static AgentBuilder.Transformer visit(AsmVisitorWrapper advice) {
        return (builder, type, loader, module, protectionDomain) -> builder.visit(advice);
    }

    public Set<String> instrumentedClasses() {
        return Set.copyOf(instrumented);
    }

    public int errorCount() {
        return failed.size();
    }

    private final class Listener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            instrumented.add(type.getName());
            Log.debug("instrumented " + type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            if (failed.add(typeName)) {
                Log.warn("could not instrument " + typeName + ", it runs unprotected: " + throwable);
            }
        }
    }
}
