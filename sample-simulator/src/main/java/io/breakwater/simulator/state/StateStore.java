package io.breakwater.simulator.state;

import io.breakwater.simulator.util.RateLimitedLog;
import io.breakwater.simulator.util.SerialExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Charge-point state kept in Redis: best effort. The charge points' in-memory state is the truth; Redis is where it
 * survives a restart and where operators look. Every command runs on a small pool of its own (Jedis blocks), one
 * charge point's commands in the order they were issued, and never fails: an error is logged at most once per 5 s
 * per kind, without keys or values, and the caller gets an empty answer.
 *
 * <p>Only GET, SET, DEL, HGET, HSET (one field) and HGETALL are used, in their String forms.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateStore.class);

    private final UnifiedJedis redis;
    private final ExecutorService executor;
    private final RateLimitedLog errors = new RateLimitedLog(log, Duration.ofSeconds(5));
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    /** One lane per charge point: its commands run in order (a status written last is the one that stays). */
    private final ConcurrentHashMap<String, SerialExecutor> lanes = new ConcurrentHashMap<>();

    /** @param executor runs the blocking Jedis calls; it is shut down by {@link #close()} */
    public StateStore(UnifiedJedis redis, ExecutorService executor) {
        this.redis = redis;
        this.executor = executor;
    }

    /** HGET: the idTagInfo JSON the charge point's authorization cache holds for an idTag. */
    public CompletableFuture<Optional<String>> cachedAuthorization(String chargePointId, String idTag) {
        return run(chargePointId, "HGET",
                () -> Optional.ofNullable(redis.hget(RedisKeys.authorizations(chargePointId), idTag)), Optional.empty());
    }

    /** HSET (one field): the idTagInfo the CSMS returned for an idTag, into the charge point's cache. */
    public CompletableFuture<Void> cacheAuthorization(String chargePointId, String idTag, String idTagInfoJson) {
        return run(chargePointId, "HSET", () -> {
            redis.hset(RedisKeys.authorizations(chargePointId), idTag, idTagInfoJson);
            return null;
        }, null);
    }

    /** DEL: empties the charge point's authorization cache (ClearCache); false if Redis did not answer. */
    public CompletableFuture<Boolean> clearAuthorizations(String chargePointId) {
        return run(chargePointId, "DEL", () -> {
            redis.del(RedisKeys.authorizations(chargePointId));
            return true;
        }, false);
    }

    /** SET: the running transaction's id. */
    public CompletableFuture<Void> saveTransaction(String chargePointId, int transactionId) {
        return run(chargePointId, "SET", () -> {
            redis.set(RedisKeys.transaction(chargePointId), Integer.toString(transactionId));
            return null;
        }, null);
    }

    /** DEL: no transaction is running. */
    public CompletableFuture<Void> clearTransaction(String chargePointId) {
        return run(chargePointId, "DEL", () -> {
            redis.del(RedisKeys.transaction(chargePointId));
            return null;
        }, null);
    }

    /** GET: the energy register (Wh), if Redis has one that parses. */
    public CompletableFuture<OptionalLong> loadMeter(String chargePointId) {
        return run(chargePointId, "GET", () -> {
            String value = redis.get(RedisKeys.meter(chargePointId));
            if (value == null) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }, OptionalLong.empty());
    }

    /** SET: the energy register (Wh). */
    public CompletableFuture<Void> saveMeter(String chargePointId, long wattHours) {
        return run(chargePointId, "SET", () -> {
            redis.set(RedisKeys.meter(chargePointId), Long.toString(wattHours));
            return null;
        }, null);
    }

    /** HGET: one connector's stored status. */
    public CompletableFuture<Optional<String>> connectorStatus(String chargePointId, int connectorId) {
        return run(chargePointId, "HGET", () -> Optional.ofNullable(
                redis.hget(RedisKeys.connectors(chargePointId), Integer.toString(connectorId))), Optional.empty());
    }

    /** HSET (one field): one connector's status. */
    public CompletableFuture<Void> saveConnectorStatus(String chargePointId, int connectorId, String status) {
        return run(chargePointId, "HSET", () -> {
            redis.hset(RedisKeys.connectors(chargePointId), Integer.toString(connectorId), status);
            return null;
        }, null);
    }

    /** HGETALL: every connector's stored status. */
    public CompletableFuture<Map<String, String>> connectorStatuses(String chargePointId) {
        return run(chargePointId, "HGETALL", () -> {
            Map<String, String> all = redis.hgetAll(RedisKeys.connectors(chargePointId));
            return all == null ? Map.of() : Map.copyOf(all);
        }, Map.of());
    }

    public long succeededCommands() {
        return succeeded.get();
    }

    public long failedCommands() {
        return failed.get();
    }

    /** Commands issued and not finished yet (waiting in a lane or running): 0 once every write has been answered. */
    public long commandsInFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            redis.close();
        } catch (RuntimeException e) {
            log.debug("closing Redis client: {}", e.toString());
        }
    }

    private <T> CompletableFuture<T> run(String chargePointId, String command, Supplier<T> body, T fallback) {
        Executor lane = lanes.computeIfAbsent(chargePointId, id -> new SerialExecutor("redis " + id, executor));
        inFlight.incrementAndGet();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    T value = body.get();
                    succeeded.incrementAndGet();
                    return value;
                } catch (RuntimeException e) {
                    // JedisException and anything else: Redis is an aid, never a reason to stop charging.
                    failed.incrementAndGet();
                    errors.warn(e.getClass().getName(), "Redis " + command + " failed ("
                            + RateLimitedLog.describe(e) + "); continuing with in-memory state");
                    return fallback;
                } finally {
                    inFlight.decrementAndGet();
                }
            }, lane);
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            return CompletableFuture.completedFuture(fallback);
        }
    }
}
