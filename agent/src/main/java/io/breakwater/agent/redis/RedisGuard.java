package io.breakwater.agent.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.breakwater.agent.boot.RedisInterceptor;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.breaker.FailureClassifier;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.log.Log;
import io.breakwater.agent.util.BuiltLater;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Redis breaker in front of every Jedis command. One logical operation is counted once: the
 * outermost intercepted {@code executeCommand} on a thread owns the call, nested ones (the
 * {@code Connection} call inside {@code UnifiedJedis}, cluster retries, journal replay) pass through.
 *
 * <p>Outage: supported commands are answered from memory, writes are journaled. Recovery: while the
 * journal is not empty, each application call first replays a slice of it (at most
 * {@link #REPLAY_SLICE_NANOS}) through its own client, and is then answered as during the outage,
 * so no live call can overtake an older journaled write; reads of keys memory does not hold go to
 * Redis. Once the journal is empty, calls go to Redis again.
 *
 * <p>The memory and the set of memory-only connections are Caffeine caches, and Caffeine's classes
 * initialise JDK logging (each takes a {@code System.Logger}, which for a class outside the JDK
 * initialises {@code java.util.logging.LogManager}), which must not happen before the application
 * has set up its own. So neither is built with the guard: the memory is built by
 * {@link #buildFallback} on the agent's thread once the application is up, or else by the first call
 * that needs an answer from it (a failed call, or one the breaker refused). Until then successful
 * calls are not mirrored: mirroring would make the application's first Redis call, usually made
 * while it starts, build the cache on its own thread and initialise JDK logging before the
 * application could configure it. Memory is only ever a mirror of what was seen since it exists, as
 * it is for the keys written before the JVM started; an outage soon after start-up finds it holding
 * only what is written during the outage.
 */
public final class RedisGuard implements RedisInterceptor {
    static final long REPLAY_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static final FailureClassifier CLASSIFIER = new FailureClassifier(
            Set.of("redis.clients.jedis.exceptions.JedisConnectionException",
                    "redis.clients.jedis.exceptions.JedisClusterOperationException",
                    "java.io.IOException",
                    "java.util.concurrent.TimeoutException"),
            Set.of());

    /** Commands a connection sends for itself, outside executeCommand; never refused. */
    private static final Set<String> CONNECTION_ADMIN = Set.of("PING", "AUTH", "SELECT", "HELLO", "CLIENT", "QUIT", "ECHO", "RESET", "READONLY");

    /**
     * Per guard, not static: a call still in flight when the agent is detached never reaches an exit
     * of this guard, and must not leave its thread marked as nested for the next installation.
     */
    private final ThreadLocal<int[]> depthOnThread = ThreadLocal.withInitial(() -> new int[1]);

    private final Breaker breaker;
    private final BuiltLater<MemoryStore> memory; // null when the fallback is switched off
    private final WriteJournal journal; // null when the fallback is switched off
    /**
     * Connections of Jedis handed out while the pool could not lend one: memory answers everything
     * on them. Built by the first such connection, during an outage.
     */
    private final BuiltLater<Cache<Object, Boolean>> memoryOnly = new BuiltLater<>(() -> Caffeine.newBuilder().weakKeys().build());

    RedisGuard(Breaker breaker, BuiltLater<MemoryStore> memory, WriteJournal journal) {
        this.breaker = breaker;
        this.memory = memory;
        this.journal = journal;
    }

    public static RedisGuard create(Breaker breaker, boolean fallback, long maxBytes, int journalEntries) {
        return fallback
                ? new RedisGuard(breaker, new BuiltLater<>(() -> new MemoryStore(maxBytes, Ticker.systemTicker())),
                        new WriteJournal(journalEntries))
                : new RedisGuard(breaker, null, null);
    }

    /** Drops values past their TTL from memory, if it exists ({@link MemoryStore#sweepExpired}); for the agent's thread. */
    public void sweepExpired() {
        MemoryStore built = memory == null ? null : memory.ifBuilt();
        if (built != null) {
            built.sweepExpired();
        }
    }

    /** Builds the memory fallback ahead of need; for the agent's thread once the application is up. */
    public void buildFallback() {
        if (memory != null) {
            memory.get();
        }
    }

    @Override
    public Object enter(Object client, Object commandObject) {
        int[] depth = depthOnThread.get();
        if (depth[0] > 0) {
            return null;
        }
        if (isMemoryOnly(client)) {
            return whileOpen(commandObject);
        }
        if (journal != null && !journal.isEmpty()) {
            ShortCircuit answer = duringRecovery(client, commandObject, depth);
            if (answer != null) {
                return answer;
            }
        }
        if (!breaker.tryAcquirePermission()) {
            return whileOpen(commandObject);
        }
        depth[0]++;
        return breaker;
    }

    @Override
    public ShortCircuit exit(Object token, Object commandObject, long startNanos, Object returned, Throwable thrown) {
        depthOnThread.get()[0] = 0;
        long duration = System.nanoTime() - startNanos;
        Outcome outcome = CLASSIFIER.classify(thrown);
        breaker.record(duration, outcome, thrown);
        if (memory == null) {
            return null;
        }
        if (outcome == Outcome.SUCCESS) {
            MemoryStore built = memory.ifBuilt();
            if (built != null) { // until the application is up, nothing is mirrored (see the class comment)
                mirror(built, commandObject, returned);
            }
            return null;
        }
        if (outcome == Outcome.FAILURE) {
            return serve(commandObject);
        }
        return null;
    }

    @Override
    public Object borrowInstead(Object pool) {
        return memory != null && !breaker.isCallPermittedState() ? detached(pool) : null;
    }

    @Override
    public Object borrowFailed(Object pool, Throwable thrown) {
        if (CLASSIFIER.classify(thrown) != Outcome.FAILURE) {
            return null;
        }
        // The pool could not reach Redis: that is a failed call as far as the breaker is concerned.
        if (breaker.tryAcquirePermission()) {
            breaker.record(0, Outcome.FAILURE, thrown);
        }
        return memory != null ? detached(pool) : null;
    }

    @Override
    public boolean ignoreReturnFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (CLASSIFIER.classify(t) == Outcome.FAILURE) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Throwable beforeSend(Object connection, Object commandArguments) {
        if (depthOnThread.get()[0] > 0) {
            return null; // part of an executeCommand this guard already handles
        }
        boolean memoryOnlyConnection = isMemoryOnly(connection);
        if (!memoryOnlyConnection && breaker.isCallPermittedState()) {
            return null;
        }
        try {
            JedisAccess jedis = JedisAccess.of(commandArguments);
            byte[][] args = jedis.raw((Iterable<?>) commandArguments);
            String command = args.length == 0 ? "" : WriteJournal.name(args);
            if (!memoryOnlyConnection && CONNECTION_ADMIN.contains(command)) {
                return null; // PING, AUTH, SELECT... are the application's own probes: untouched
            }
            breaker.tryAcquirePermission(); // counts the rejection
            return jedis.connectionException("[breakwater] " + breaker.rejectionMessage()
                    + "; pipelined and transaction commands (" + command + ") are not sent while Redis is unavailable");
        } catch (Throwable t) {
            Log.warnOnce("redis-send", "cannot check a pipelined Redis command: " + t);
            return null;
        }
    }

    /** Whether {@code clientOrConnection} is one of the connections memory answers everything on. */
    private boolean isMemoryOnly(Object clientOrConnection) {
        Cache<Object, Boolean> connections = memoryOnly.ifBuilt();
        return connections != null && !connections.asMap().isEmpty() && connections.getIfPresent(clientOrConnection) != null;
    }

    private Object detached(Object pool) {
        try {
            DetachedJedis.Made made = DetachedJedis.like(pool);
            memoryOnly.get().put(made.connection(), Boolean.TRUE);
            return made.jedis();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnOnce("redis-detached", "cannot hand out a Jedis while Redis is unavailable, the pool's failure stands: " + e);
            return null;
        }
    }

    /**
     * Replays a slice of the journal through {@code client}, then answers the call from memory as
     * long as writes are still pending. Returns {@code null} when the call should go to Redis.
     */
    private ShortCircuit duringRecovery(Object client, Object commandObject, int[] depth) {
        if (breaker.isCallPermittedState()) {
            depth[0]++; // the replayed commands pass the advice untracked
            try {
                journal.replay(command -> send(client, command), REPLAY_SLICE_NANOS);
            } finally {
                depth[0]--;
            }
        }
        if (journal.isEmpty()) {
            return null;
        }
        byte[][] args = arguments(commandObject);
        if (args == null || !breaker.isCallPermittedState()) {
            return null; // unreadable, or open: the normal paths below decide
        }
        if (!WriteJournal.isWrite(args) && !memory.get().holdsAnyKey(args)) {
            return null; // a key memory never saw: Redis has the answer
        }
        return answerFromMemory(commandObject, args);
    }

    /** Sends one journaled command; the replay counts for the breaker like any call (and probes it in HALF_OPEN). */
    private WriteJournal.Sender.Result send(Object client, Object commandObject) {
        if (!breaker.tryAcquirePermission()) {
            return WriteJournal.Sender.Result.NOT_SENT;
        }
        long start = System.nanoTime();
        try {
            ClientAccess.execute(client, commandObject);
            breaker.record(System.nanoTime() - start, Outcome.SUCCESS, null);
            return WriteJournal.Sender.Result.SENT;
        } catch (Throwable t) {
            Outcome outcome = CLASSIFIER.classify(t);
            breaker.record(System.nanoTime() - start, outcome, t);
            return outcome == Outcome.FAILURE ? WriteJournal.Sender.Result.UNAVAILABLE : WriteJournal.Sender.Result.REJECTED;
        }
    }

    /** The breaker refused the call: answer from memory, or fail fast with the application's own exception. */
    private ShortCircuit whileOpen(Object commandObject) {
        ShortCircuit answer = memory == null ? null : serve(commandObject);
        if (answer != null) {
            return answer;
        }
        try {
            JedisAccess jedis = JedisAccess.of(commandObject);
            byte[][] args = arguments(commandObject);
            String suffix = args == null ? ""
                    : "; " + WriteJournal.name(args) + (memory == null ? " (fallback disabled)"
                            : " cannot be answered from memory (not supported, or a counter memory does not hold)");
            return ShortCircuit.throwing(jedis.connectionException("[breakwater] " + breaker.rejectionMessage() + suffix));
        } catch (Throwable t) {
            Log.warnOnce("redis-reject", "cannot create JedisConnectionException, letting the call through: " + t);
            return null;
        }
    }

    /** Answers from memory after a failed call or while the breaker is open; {@code null} if memory cannot. */
    private ShortCircuit serve(Object commandObject) {
        byte[][] args = arguments(commandObject);
        return args == null ? null : answerFromMemory(commandObject, args);
    }

    /** Memory's answer, built by the application's own Jedis; writes are journaled for replay. */
    private ShortCircuit answerFromMemory(Object commandObject, byte[][] args) {
        JedisAccess jedis = JedisAccess.of(commandObject);
        Object reply;
        try {
            reply = memory.get().execute(args); // built now if the application is not up yet: this call needs it
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
        if (WriteJournal.isWrite(args)) {
            journal.append(commandObject, args);
        }
        try {
            Object value = jedis.build(commandObject, reply);
            breaker.fallbackServed();
            return ShortCircuit.returning(value);
        } catch (Throwable t) {
            Log.warnOnce("redis-build", "cannot build the fallback reply for " + WriteJournal.name(args) + ": " + t.getClass().getSimpleName());
            return null;
        }
    }

    private void mirror(MemoryStore store, Object commandObject, Object returned) {
        byte[][] args = arguments(commandObject);
        if (args != null) {
            try {
                store.mirror(args, returned);
            } catch (RuntimeException e) {
                Log.warnOnce("redis-mirror", "cannot mirror a Redis command into memory: " + e.getClass().getSimpleName());
            }
        }
    }

    private static byte[][] arguments(Object commandObject) {
        try {
            return JedisAccess.of(commandObject).arguments(commandObject);
        } catch (Throwable t) {
            Log.warnOnce("redis-args", "cannot read a Jedis command, no fallback for it: " + t);
            return null;
        }
    }

    private static ShortCircuit dataError(JedisAccess jedis, String message) {
        try {
            return ShortCircuit.throwing(jedis.dataException(message));
        } catch (Throwable t) {
            return null;
        }
    }

    /** On detach: journaled writes can no longer be replayed; say how many, never drop them silently. */
    public void reportUnreplayed() {
        if (journal != null && !journal.isEmpty()) {
            Log.warn("detached with " + journal.size() + " Redis writes made during the outage not yet replayed;"
                    + " they were answered to the application but will not reach Redis");
        }
    }

    public Breaker breaker() {
        return breaker;
    }

    /** For the Fallback MBean; {@code null} when the fallback is off. */
    public BuiltLater<MemoryStore> memory() {
        return memory;
    }

    /** For the Fallback MBean; {@code null} when the fallback is off. */
    public WriteJournal journal() {
        return journal;
    }
}
