package io.breakwater.agent.redis;

import io.breakwater.agent.boot.RedisInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.FailureClassifier;
import io.breakwater.agent.breaker.Outcome;
import com.github.benmanes.caffeine.cache.Ticker;
import io.breakwater.agent.log.Log;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The Redis breaker in front of every Jedis command. One logical operation is counted once: the
 * outermost intercepted {@code executeCommand} on a thread owns the call, nested ones (the
 * {@code Connection} call inside {@code UnifiedJedis}, cluster retries) pass through.
 */
public final class RedisGuard implements RedisInterceptor {
    private static final FailureClassifier CLASSIFIER = new FailureClassifier(
            Set.of("redis.clients.jedis.exceptions.JedisConnectionException",
                    "redis.clients.jedis.exceptions.JedisClusterOperationException",
                    "java.io.IOException",
                    "java.util.concurrent.TimeoutException"),
            Set.of());

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final Breaker breaker;
    private final MemoryStore memory; // null when the fallback is switched off

    public RedisGuard(Breaker breaker, MemoryStore memory) {
        this.breaker = breaker;
        this.memory = memory;
    }

    public static RedisGuard create(Breaker breaker, boolean fallback, long maxBytes) {
        return new RedisGuard(breaker, fallback ? new MemoryStore(maxBytes, Ticker.systemTicker()) : null);
    }

    @Override
    public Object enter(Object commandObject) {
        int[] depth = DEPTH.get();
        if (depth[0] > 0) {
            return null;
        }
        if (!breaker.tryAcquirePermission()) {
            return whileOpen(commandObject);
        }
        depth[0]++;
        return breaker;
    }

    @Override
    public ShortCircuit exit(Object token, Object commandObject, long startNanos, Object returned, Throwable thrown) {
        DEPTH.get()[0] = 0;
        long duration = System.nanoTime() - startNanos;
        Outcome outcome = CLASSIFIER.classify(thrown);
        breaker.record(duration, outcome, thrown);
        if (memory == null) {
            return null;
        }
        if (outcome == Outcome.SUCCESS) {
            mirror(commandObject, returned);
            return null;
        }
        if (outcome == Outcome.FAILURE) {
            return serve(commandObject, false);
        }
        return null;
    }

    /** The breaker refused the call: answer from memory, or fail fast with the application's own exception. */
    private ShortCircuit whileOpen(Object commandObject) {
        ShortCircuit answer = memory == null ? null : serve(commandObject, true);
        if (answer != null) {
            return answer;
        }
        try {
            JedisAccess jedis = JedisAccess.of(commandObject);
            return ShortCircuit.throwing(jedis.connectionException("[breakwater] " + breaker.rejectionMessage()
                    + commandSuffix(jedis, commandObject)));
        } catch (Throwable t) {
            Log.warnOnce("redis-reject", "cannot create JedisConnectionException, letting the call through: " + t);
            return null;
        }
    }

    /**
     * Answers from memory.
     *
     * @param breakerOpen when {@code false} the call failed while CLOSED: an unsupported command
     *     then keeps its original exception
     */
    private ShortCircuit serve(Object commandObject, boolean breakerOpen) {
        JedisAccess jedis;
        byte[][] args;
        try {
            jedis = JedisAccess.of(commandObject);
            args = jedis.arguments(commandObject);
        } catch (Throwable t) {
            Log.warnOnce("redis-args", "cannot read a Jedis command, no fallback for it: " + t);
            return null;
        }
        Object reply;
        try {
            reply = memory.execute(args);
        } catch (MemoryStore.RedisError error) {
            breaker.fallbackServed();
            return dataError(jedis, error.getMessage());
        } catch (RuntimeException e) {
            Log.warnOnce("redis-fallback-" + e.getClass().getName(), "memory fallback failed: " + e.getClass().getSimpleName());
            return null;
        }
        if (reply == MemoryStore.UNSUPPORTED) {
            return null;
        }
        try {
            Object value = jedis.build(commandObject, reply);
            breaker.fallbackServed();
            return ShortCircuit.returning(value);
        } catch (Throwable t) {
            Log.warnOnce("redis-build", "cannot build the fallback reply for " + commandName(args) + ": " + t.getClass().getSimpleName());
            return null;
        }
    }

    private void mirror(Object commandObject, Object returned) {
        try {
            memory.mirror(JedisAccess.of(commandObject).arguments(commandObject), returned);
        } catch (Throwable t) {
            Log.warnOnce("redis-mirror", "cannot mirror a Redis command into memory: " + t.getClass().getSimpleName());
        }
    }

    private static ShortCircuit dataError(JedisAccess jedis, String message) {
        try {
            return ShortCircuit.throwing(jedis.dataException(message));
        } catch (Throwable t) {
            return null;
        }
    }

    private static String commandSuffix(JedisAccess jedis, Object commandObject) {
        try {
            return "; " + commandName(jedis.arguments(commandObject)) + " has no in-memory fallback";
        } catch (Throwable t) {
            return "";
        }
    }

    private static String commandName(byte[][] args) {
        return args.length == 0 ? "?" : new String(args[0], StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    public Breaker breaker() {
        return breaker;
    }

    /** For the Fallback MBean; {@code null} when the fallback is off. */
    public MemoryStore memory() {
        return memory;
    }
}
