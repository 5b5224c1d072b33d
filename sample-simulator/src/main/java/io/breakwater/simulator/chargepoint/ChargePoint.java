package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.simulator.ocpp.OcppCallQueue;
import io.breakwater.simulator.ocpp.OcppConnection;
import io.breakwater.simulator.ocpp.OcppTransportException;
import io.breakwater.simulator.state.StateStore;
import io.breakwater.simulator.util.Failures;
import io.breakwater.simulator.util.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated charge point: keeps its WebSocket up (reconnect with backoff, forever), boots, sends heartbeats and
 * status notifications, and runs one {@link Connector} session loop per connector.
 *
 * <p>All work runs as short tasks on the fleet's shared scheduler; callbacks from the WebSocket thread only hand
 * over to it.
 */
public final class ChargePoint implements OcppConnection.Listener {

    private static final Logger log = LoggerFactory.getLogger(ChargePoint.class);
    /** Shared by the whole fleet: one line per kind of failure every 5 s, however many charge points fail. */
    private static final RateLimitedLog failures = new RateLimitedLog(log, Duration.ofSeconds(5));
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);

    private final String id;
    private final SimulatorConfig config;
    private final OcppConnection connection;
    /** Every CP→CSMS CALL waits here for the previous one to complete: one outstanding CALL per charge point. */
    private final OcppCallQueue calls;
    private final StateStore store;
    private final ScheduledExecutorService scheduler;
    private final SimulatorStats stats;
    private final List<Connector> connectors = new ArrayList<>();
    private final Backoff backoff;
    /** Bumped on every new WebSocket, so callbacks of an old one cannot act on the new one. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
    private volatile boolean booted;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> heartbeat;

    public ChargePoint(String id, SimulatorConfig config, OcppConnection connection, StateStore store,
            ScheduledExecutorService scheduler, SimulatorStats stats) {
        this.id = id;
        this.config = config;
        this.connection = connection;
        this.calls = new OcppCallQueue(connection);
        this.store = store;
        this.scheduler = scheduler;
        this.stats = stats;
        this.backoff = new Backoff(Duration.ofSeconds(1), config.reconnectMax());
        for (int c = 1; c <= config.connectors(); c++) {
            connectors.add(new Connector(this, c));
        }
        connection.setListener(this);
    }

    public String id() {
        return id;
    }

    public boolean isBooted() {
        return booted && !closed;
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    /** Restores the meter and connector states from Redis (if it answers), then connects and starts the loops. */
    public void start() {
        store.loadMeter(id)
                .thenCombine(store.connectorStatuses(id), (meter, statuses) -> {
                    restore(meter, statuses);
                    return null;
                })
                .whenCompleteAsync((ignored, error) -> {
                    if (closed) {
                        return;
                    }
                    for (Connector connector : connectors) {
                        connector.start(Connector.jitter(config.pauseBetweenSessions()));
                    }
                    connect();
                }, scheduler);
    }

    /** Closes the WebSocket for good; scheduled steps find the charge point closed and stop. */
    public void close() {
        closed = true;
        cancelHeartbeat();
        connectors.forEach(Connector::stop);
        calls.close(new OcppTransportException("charge point closed"));
        connection.close();
    }

    // --- connection lifecycle (Listener callbacks run on the WebSocket thread: hand over at once) -------------------

    @Override
    public void onOpen() {
        long current = generation.incrementAndGet();
        stats.connected(true);
        log.debug("{} connected", id);
        execute(() -> boot(current));
    }

    @Override
    public void onClose(int code, String reason, boolean wasOpen) {
        generation.incrementAndGet();
        setBooted(false);
        cancelHeartbeat();
        if (wasOpen) {
            stats.connected(false);
            if (!closed) {
                log.info("{} disconnected ({})", id, reason);
            }
        } else {
            failures.warn("connect", id + " cannot connect to CSMS (" + reason + "); retrying with backoff");
        }
        if (!closed) {
            later(backoff.next(), this::connect);
        }
    }

    private void connect() {
        if (!closed) {
            connection.connect();
        }
    }

    private void boot(long current) {
        if (!isCurrent(current)) {
            return;
        }
        send("BootNotification", OcppPayloads.bootNotification(id)).whenComplete((reply, error) -> {
            if (!isCurrent(current)) {
                return;
            }
            if (error != null) {
                later(backoff.next(), () -> boot(current));
                return;
            }
            String status = OcppPayloads.string(reply, "status", "");
            int interval = OcppPayloads.integer(reply, "interval", 0);
            if (!"Accepted".equals(status)) {
                Duration retry = interval > 0 ? Duration.ofSeconds(interval) : backoff.next();
                log.info("{} boot {} by CSMS; retrying in {} s", id, status, retry.toSeconds());
                later(retry, () -> boot(current));
                return;
            }
            backoff.reset();
            Duration beat = config.heartbeatOverride() != null ? config.heartbeatOverride()
                    : interval > 0 ? Duration.ofSeconds(interval) : DEFAULT_HEARTBEAT;
            startHeartbeat(current, beat);
            setBooted(true);
            log.info("{} booted (heartbeat every {} s)", id, beat.toSeconds());
            sendStatus(0, Connector.AVAILABLE);
            for (Connector connector : connectors) {
                sendStatus(connector.id(), connector.status());
            }
        });
    }

    private boolean isCurrent(long current) {
        return !closed && generation.get() == current && connection.isConnected();
    }

    private void setBooted(boolean value) {
        synchronized (this) {
            if (booted == value) {
                return;
            }
            booted = value;
        }
        stats.booted(value);
    }

    private void startHeartbeat(long current, Duration interval) {
        cancelHeartbeat();
        heartbeat = every(interval, () -> {
            // Skip a beat while the previous one is unanswered rather than piling them up.
            if (isCurrent(current) && heartbeatInFlight.compareAndSet(false, true)) {
                send("Heartbeat", OcppPayloads.heartbeat())
                        .whenComplete((reply, error) -> heartbeatInFlight.set(false));
            }
        });
    }

    private void cancelHeartbeat() {
        ScheduledFuture<?> task = heartbeat;
        if (task != null) {
            task.cancel(false);
        }
    }

    // --- services for the connectors ------------------------------------------------------------------------------

    /**
     * Queues one CALL; it goes through {@link OcppConnection#call} once every earlier CALL of this charge point has
     * completed, and the caller continues on the scheduler with the parsed reply. Whatever the failure (transport,
     * CALLERROR, a timeout added by someone else, anything), it is counted, logged rate-limited and handed to the
     * caller, who retries later.
     */
    CompletableFuture<JsonObject> send(String action, JsonObject payload) {
        CompletableFuture<String> reply = calls.submit(action, payload.toString());
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        reply.whenComplete((json, error) -> {
            try {
                execute(() -> complete(action, json, error, result));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void complete(String action, String json, Throwable error, CompletableFuture<JsonObject> result) {
        if (error != null) {
            Throwable cause = Failures.unwrap(error);
            stats.callFailed(action);
            failures.warn(action + "/" + cause.getClass().getName(),
                    id + " " + action + " failed (" + RateLimitedLog.describe(cause) + "); will retry");
            result.completeExceptionally(new CompletionException(cause));
            return;
        }
        stats.callSucceeded(action);
        result.complete(parseObject(json));
    }

    /** StatusNotification, fire-and-forget: a lost one is repeated at the next boot. */
    void sendStatus(int connectorId, String status) {
        send("StatusNotification", OcppPayloads.statusNotification(connectorId, status));
    }

    /** After a StopTransaction: the tx key names another running transaction of this charge point, or goes. */
    CompletableFuture<Void> transactionEnded() {
        for (Connector connector : connectors) {
            Optional<Integer> running = connector.activeTransaction();
            if (running.isPresent()) {
                return store.saveTransaction(id, running.get());
            }
        }
        return store.clearTransaction(id);
    }

    long totalEnergyWh() {
        long total = 0;
        for (Connector connector : connectors) {
            total += connector.registerWh();
        }
        return total;
    }

    StateStore store() {
        return store;
    }

    SimulatorConfig config() {
        return config;
    }

    SimulatorStats stats() {
        return stats;
    }

    Executor executor() {
        return this::execute;
    }

    Duration retryDelay() {
        return Connector.jitter(config.retryDelay());
    }

    void execute(Runnable task) {
        if (closed) {
            return;
        }
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    void later(Duration delay, Runnable task) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                if (!closed) {
                    task.run();
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    ScheduledFuture<?> every(Duration interval, Runnable task) {
        try {
            return scheduler.scheduleAtFixedRate(() -> {
                if (closed) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // A periodic task that throws is cancelled by the executor: never let that happen.
                    log.error("{} periodic task failed: {}", id, e.toString());
                }
            }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private void restore(OptionalLong meter, Map<String, String> statuses) {
        long total = meter.orElseGet(ChargePoint::initialMeterWh);
        long share = total / connectors.size();
        for (Connector connector : connectors) {
            long energy = connector.id() == 1 ? total - share * (connectors.size() - 1) : share;
            connector.restore(energy, statuses.get(Integer.toString(connector.id())));
        }
        if (meter.isPresent()) {
            log.debug("{} restored meter from Redis", id);
        }
    }

    private static JsonObject parseObject(String json) {
        try {
            JsonElement element = JsonParser.parseString(json == null ? "{}" : json);
            return element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    /** A brand-new meter is not at zero: start somewhere plausible. */
    private static long initialMeterWh() {
        return ThreadLocalRandom.current().nextLong(10_000, 500_000);
    }
}
