package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.simulator.ocpp.IncomingCall;
import io.breakwater.simulator.ocpp.OcppCallErrorException;
import io.breakwater.simulator.ocpp.OcppCallQueue;
import io.breakwater.simulator.ocpp.OcppConnection;
import io.breakwater.simulator.ocpp.OcppTransportException;
import io.breakwater.simulator.state.StateStore;
import io.breakwater.simulator.util.Failures;
import io.breakwater.simulator.util.RateLimitedLog;
import io.breakwater.simulator.util.SerialExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated charge point: keeps its WebSocket up (reconnect with backoff, forever), boots, sends heartbeats and
 * status notifications, runs its {@link Connector}s, answers the CSMS's requests ({@link CsmsRequests}) and delivers
 * StopTransactions until the CSMS took them.
 *
 * <p>All its work runs as short tasks on its own {@link SerialExecutor} over the fleet's shared scheduler, so its
 * state needs no locks; callbacks from the WebSocket thread only hand over to it. Every CALL waits its turn in an
 * {@link OcppCallQueue}: one outstanding CALL per charge point.
 */
public final class ChargePoint implements OcppConnection.Listener {

    private static final Logger log = LoggerFactory.getLogger(ChargePoint.class);
    /** Shared by the whole fleet: one line per kind of failure every 5 s, however many charge points fail. */
    private static final RateLimitedLog failures = new RateLimitedLog(log, Duration.ofSeconds(5));
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);
    /** A soft reset waits this long at most for its StopTransactions before it reboots anyway. */
    private static final Duration SOFT_RESET_GRACE = Duration.ofSeconds(30);
    /**
     * How long the charge point takes to go down once it decided to reboot. Not zero: a real one takes a moment, and
     * the answer to the Reset should reach the CSMS well before the connection drops.
     */
    private static final Duration GOING_DOWN = Duration.ofMillis(300);

    private final String id;
    private final ChargePointSpec spec;
    private final SimulatorConfig config;
    private final ChargePointConfiguration configuration;
    private final OcppConnection connection;
    private final OcppCallQueue calls;
    private final StateStore store;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor executor;
    private final SimulatorStats stats;
    private final List<Connector> connectors = new ArrayList<>();
    private final CsmsRequests requests;
    private final Backoff backoff;
    /** Bumped on every new WebSocket, so callbacks of an old one cannot act on the new one. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
    private volatile boolean booted;
    /** Accepted by the CSMS at least once: from then on sessions start even while it is away. */
    private volatile boolean everBooted;
    private volatile boolean closed;
    /** "Soft" or "Hard" while a Reset is under way: no new sessions until the reboot's BootNotification. */
    private volatile String resetting;
    /** Connector 0: Available, or Unavailable after ChangeAvailability(0, Inoperative). */
    private volatile ConnectorStatus chargePointStatus = ConnectorStatus.AVAILABLE;
    /** The reset under way has already dropped the connection. */
    private boolean rebooted;
    /** StopTransactions handed over and not yet delivered (or given up). */
    private int stopsOwed;
    /** StopTransactions of a hard reset, sent once the reboot's BootNotification is accepted. */
    private final List<Runnable> stopsAfterBoot = new ArrayList<>();
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> resetDeadline;

    public ChargePoint(ChargePointSpec spec, SimulatorConfig config, OcppConnection connection, StateStore store,
            ScheduledExecutorService scheduler, SimulatorStats stats) {
        this.id = spec.id();
        this.spec = spec;
        this.config = config;
        this.connection = connection;
        this.calls = new OcppCallQueue(connection);
        this.store = store;
        this.scheduler = scheduler;
        this.executor = new SerialExecutor(id, scheduler);
        this.stats = stats;
        this.backoff = new Backoff(Duration.ofSeconds(1), config.reconnectMax());
        this.configuration = new ChargePointConfiguration(spec.connectors(), spec.meterInterval(),
                config.heartbeatOverride() != null ? config.heartbeatOverride() : DEFAULT_HEARTBEAT);
        configuration.onChange(key -> execute(() -> configurationChanged(key)));
        for (int c = 1; c <= spec.connectors(); c++) {
            connectors.add(new Connector(this, c));
        }
        this.requests = new CsmsRequests(this);
        connection.setListener(this);
        connection.setRequestHandler(request -> execute(() -> requests.handle(request)));
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

    /** The OCPP configuration keys (GetConfiguration/ChangeConfiguration act on these). */
    public ChargePointConfiguration configuration() {
        return configuration;
    }

    /** A connector's current status (1-based), as last sent in a StatusNotification; 0 is the charge point itself. */
    public ConnectorStatus status(int connectorId) {
        return connectorId == 0 ? chargePointStatus : connector(connectorId).status();
    }

    /**
     * What this charge point keeps in Redis, as its memory has it now (no idTags): {@code meterWh} (the meter key),
     * {@code transactionId} (the tx key: the transaction of the first connector that has one, null for none, i.e.
     * no key) and {@code connectors} (connector id → status, the connectors hash). Once every write has reached
     * Redis, Redis must hold exactly this; while transactions run on several connectors the tx key may name another.
     */
    public Map<String, Object> stateForRedis() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("meterWh", totalEnergyWh());
        Integer transactionId = null;
        for (Connector connector : connectors) {
            Optional<Integer> running = connector.activeTransaction();
            if (running.isPresent()) {
                transactionId = running.get();
                break;
            }
        }
        state.put("transactionId", transactionId);
        Map<String, String> statuses = new TreeMap<>();
        for (Connector connector : connectors) {
            statuses.put(Integer.toString(connector.id()), connector.status().ocppName());
        }
        state.put("connectors", statuses);
        return state;
    }

    /** CALLs waiting behind the outstanding one. */
    public int callsWaiting() {
        return calls.waiting();
    }

    /** Simulates a hardware fault on a connector (status Faulted with this OCPP error code, e.g. GroundFailure). */
    public void fault(int connectorId, String errorCode) {
        execute(() -> connector(connectorId).fault(errorCode));
    }

    /** The fault is repaired: the connector goes back to Available (or Unavailable if it is out of service). */
    public void clearFault(int connectorId) {
        execute(() -> connector(connectorId).clearFault());
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
                        connector.start(spec.pause().pick());
                    }
                    connect();
                }, executor);
    }

    /** Closes the WebSocket for good; scheduled steps find the charge point closed and stop. */
    public void close() {
        closed = true;
        cancel(heartbeat);
        cancel(resetDeadline);
        connectors.forEach(Connector::close);
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
    public void onBadFrame(OcppConnection.BadFrame kind) {
        stats.badFrame(kind);
        failures.warn("bad-frame/" + kind, id + " ignored a frame from the CSMS: " + kind.name().toLowerCase(Locale.ROOT)
                + " (counted in /health/detailed, badFramesFromCsms)");
    }

    @Override
    public void onClose(int code, String reason, boolean wasOpen) {
        generation.incrementAndGet();
        setBooted(false);
        execute(() -> cancel(heartbeat));
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
            if (config.heartbeatOverride() == null && interval > 0) {
                configuration.set(ChargePointConfiguration.HEARTBEAT_INTERVAL, Integer.toString(interval));
            }
            startHeartbeat(current);
            resetting = null;
            everBooted = true;
            setBooted(true);
            log.info("{} booted (heartbeat every {} s)", id, configuration.heartbeatInterval().toSeconds());
            sendStatus(0, chargePointStatus, "NoError");
            connectors.forEach(Connector::sendStatus);
            stopsAfterBoot.forEach(Runnable::run);
            stopsAfterBoot.clear();
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

    private void startHeartbeat(long current) {
        cancel(heartbeat);
        heartbeat = null;
        Duration interval = configuration.heartbeatInterval();
        if (interval.isZero()) {
            return;
        }
        heartbeat = later(interval, () -> {
            if (!isCurrent(current)) {
                return;
            }
            // Skip a beat while the previous one is unanswered rather than piling them up.
            if (heartbeatInFlight.compareAndSet(false, true)) {
                send("Heartbeat", OcppPayloads.heartbeat())
                        .whenComplete((reply, error) -> heartbeatInFlight.set(false));
            }
            startHeartbeat(current);
        });
    }

    private void configurationChanged(String key) {
        if (ChargePointConfiguration.HEARTBEAT_INTERVAL.equals(key) && booted) {
            startHeartbeat(generation.get());
        } else if (ChargePointConfiguration.METER_VALUE_SAMPLE_INTERVAL.equals(key)) {
            connectors.forEach(Connector::meterIntervalChanged);
        }
    }

    // --- what the CSMS asks for (called by CsmsRequests, on the executor) -------------------------------------------

    List<Connector> connectors() {
        return connectors;
    }

    /** 1-based; throws for a connector that does not exist (callers check the range first). */
    Connector connector(int connectorId) {
        return connectors.get(connectorId - 1);
    }

    /** Reset: sessions stop (SoftReset/HardReset); a hard reset reboots at once, a soft one once its Stops are in. */
    void reset(boolean hard) {
        if (resetting != null) {
            return; // one reboot at a time
        }
        resetting = hard ? "Hard" : "Soft";
        rebooted = false;
        log.info("{} {} reset requested", id, hard ? "hard" : "soft");
        connectors.forEach(connector -> connector.endForReset(hard ? "HardReset" : "SoftReset"));
        if (hard) {
            reboot();
        } else {
            resetDeadline = later(SOFT_RESET_GRACE, this::reboot);
            connectorIdle();
        }
    }

    /** A connector finished its session, or a Stop was delivered: a waiting soft reset may go on. */
    void connectorIdle() {
        if ("Soft".equals(resetting) && stopsOwed == 0
                && connectors.stream().noneMatch(Connector::isInSession)) {
            reboot();
        }
    }

    /** Reboot: the connection drops and comes back (with backoff), then BootNotification as at start-up. */
    private void reboot() {
        cancel(resetDeadline);
        resetDeadline = null;
        if (resetting == null || rebooted) {
            return;
        }
        rebooted = true;
        log.info("{} rebooting", id);
        setBooted(false);
        cancel(heartbeat);
        backoff.reset();
        later(GOING_DOWN, () -> {
            connection.disconnect();
            connectors.forEach(Connector::afterReboot);
        });
    }

    /** ChangeAvailability(0, ...): the charge point itself (connector 0) and every connector. */
    void changeAvailability(boolean operative) {
        ConnectorStatus target = operative ? ConnectorStatus.AVAILABLE : ConnectorStatus.UNAVAILABLE;
        if (chargePointStatus != target) {
            chargePointStatus = chargePointStatus.requireChangeTo(target);
            sendStatus(0, target, "NoError");
        }
        connectors.forEach(connector -> connector.changeAvailability(operative));
    }

    /** TriggerMessage BootNotification: a BootNotification now; its answer updates the heartbeat as at boot. */
    void triggerBoot() {
        boot(generation.get());
    }

    /** TriggerMessage Heartbeat. */
    void triggerHeartbeat() {
        send("Heartbeat", OcppPayloads.heartbeat());
    }

    /** TriggerMessage StatusNotification without a connector: the charge point's and every connector's. */
    void triggerStatusOfAll() {
        sendStatus(0, chargePointStatus, "NoError");
        connectors.forEach(Connector::sendStatus);
    }

    /** ClearCache: DEL of the charge point's authorization cache; true once Redis did it. */
    CompletableFuture<Boolean> clearAuthorizationCache() {
        return store.clearAuthorizations(id);
    }

    // --- services for the connectors ------------------------------------------------------------------------------

    boolean canStartSessions() {
        return everBooted && resetting == null && !closed;
    }

    /**
     * Queues one CALL; it goes through {@link OcppConnection#call} once every earlier CALL of this charge point has
     * completed, and the caller continues on the executor with the parsed reply. Whatever the failure (transport,
     * CALLERROR, a timeout added by someone else, anything), it is counted, logged rate-limited and handed to the
     * caller, who retries later.
     */
    CompletableFuture<JsonObject> send(String action, JsonObject payload) {
        return track(action, calls.submit(action, payload.toString()));
    }

    /** As {@link #send(String, JsonObject)}, the payload made when the CALL leaves the queue (null: not sent). */
    CompletableFuture<JsonObject> send(String action, Supplier<JsonObject> payload) {
        return track(action, submit(action, payload));
    }

    /** Queues a CALL whose payload is made when it leaves; the queue's own future (completed before the next leaves). */
    CompletableFuture<String> submit(String action, Supplier<JsonObject> payload) {
        return calls.submit(action, () -> {
            JsonObject made = payload.get();
            return made == null ? null : made.toString();
        });
    }

    /** Counts and logs the outcome of a queued CALL and continues on the executor with the parsed reply. */
    CompletableFuture<JsonObject> track(String action, CompletableFuture<String> reply) {
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        reply.whenComplete((json, error) -> {
            try {
                executor.execute(() -> complete(action, json, error, result));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void complete(String action, String json, Throwable error, CompletableFuture<JsonObject> result) {
        if (error != null) {
            Throwable cause = Failures.unwrap(error);
            if (cause instanceof OcppCallQueue.Skipped) {
                stats.callSkipped(action);
            } else {
                stats.callFailed(action);
                // No promise of a retry here: the caller decides (a StopTransaction is sent again, a MeterValues is not).
                failures.warn(action + "/" + cause.getClass().getName(),
                        id + " " + action + " failed (" + RateLimitedLog.describe(cause) + ")");
            }
            result.completeExceptionally(new CompletionException(cause));
            return;
        }
        stats.callSucceeded(action);
        result.complete(parseObject(json));
    }

    /** StatusNotification, fire-and-forget: a lost one is repeated at the next boot. */
    void sendStatus(int connectorId, ConnectorStatus status, String errorCode) {
        send("StatusNotification", OcppPayloads.statusNotification(connectorId, status.ocppName(), errorCode));
    }

    /**
     * Delivers a session's StopTransaction (after the reboot, for a hard reset), with the transaction id from its
     * StartTransaction's answer. Not delivered
     * (no connection): tried again after the retry delay, as often as it takes. Answered with a CALLERROR:
     * {@code TransactionMessageAttempts} tries in all, {@code TransactionMessageRetryInterval} × attempts apart. Its
     * StartTransaction failed: nothing to deliver.
     */
    void deliverStop(int connectorId, ChargingSession session, String reason) {
        stopsOwed++;
        if ("Hard".equals(resetting)) {
            // OCPP 1.6 §5.14: a hard reset need not stop transactions gracefully; their StopTransaction goes after
            // the reboot. Sent now, it would be cut off by the reboot and, answered or not, sent again.
            stopsAfterBoot.add(() -> attemptStop(connectorId, session, reason, 0));
            return;
        }
        attemptStop(connectorId, session, reason, 0);
    }

    private void attemptStop(int connectorId, ChargingSession session, String reason, int failed) {
        session.ledger.stopSent(session.stopTimestamp());
        send("StopTransaction", () -> {
            var transactionId = session.transactionId();
            return transactionId.isEmpty() ? null : OcppPayloads.stopTransaction(transactionId.getAsInt(),
                    session.idTag, session.meterStopWh(), session.stopTimestamp(), reason);
        }).whenComplete((reply, error) -> {
            Throwable cause = error == null ? null : Failures.unwrap(error);
            session.ledger.stopDone(cause, cause instanceof OcppCallErrorException
                    && failed + 1 >= configuration.transactionMessageAttempts());
            if (cause == null || cause instanceof OcppCallQueue.Skipped) {
                if (cause == null) {
                    stats.transactionStopped();
                    learnAuthorization(session.idTag, OcppPayloads.idTagInfo(reply));
                    log.info("{}/{} transaction {} stopped ({} Wh, {})", id, connectorId,
                            session.transactionId().orElse(-1), session.meterStopWh() - session.meterStartWh, reason);
                }
                stopDone();
            } else if (cause instanceof OcppCallErrorException) {
                int attempts = failed + 1;
                if (attempts >= configuration.transactionMessageAttempts()) {
                    log.warn("{}/{} StopTransaction rejected {} times by the CSMS ({}); given up", id, connectorId,
                            attempts, cause.getMessage());
                    stopDone();
                } else {
                    later(configuration.transactionMessageRetryInterval().multipliedBy(attempts),
                            () -> attemptStop(connectorId, session, reason, attempts));
                }
            } else if (!closed) {
                later(retryDelay(), () -> attemptStop(connectorId, session, reason, failed));
            }
        });
    }

    private void stopDone() {
        stopsOwed--;
        connectorIdle();
    }

    /** After a session ends: the tx key names another running transaction of this charge point, or goes. */
    void transactionEnded() {
        for (Connector connector : connectors) {
            Optional<Integer> running = connector.activeTransaction();
            if (running.isPresent()) {
                store.saveTransaction(id, running.get());
                return;
            }
        }
        store.clearTransaction(id);
    }

    /** The local authorization cache's entry for an idTag (empty when the cache is off). */
    CompletableFuture<Optional<String>> cachedAuthorization(String idTag) {
        return configuration.authorizationCacheEnabled() ? store.cachedAuthorization(id, idTag)
                : CompletableFuture.completedFuture(Optional.empty());
    }

    /** Every idTagInfo the CSMS returns goes into the local authorization cache (when it is on). */
    void learnAuthorization(String idTag, JsonObject idTagInfo) {
        if (configuration.authorizationCacheEnabled() && idTagInfo.has("status")) {
            store.cacheAuthorization(id, idTag, idTagInfo.toString());
        }
    }

    long totalEnergyWh() {
        long total = 0;
        for (Connector connector : connectors) {
            total += connector.registerWh();
        }
        return total;
    }

    ChargePointSpec spec() {
        return spec;
    }

    StateStore store() {
        return store;
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
        if (!closed) {
            executor.execute(task);
        }
    }

    ScheduledFuture<?> later(Duration delay, Runnable task) {
        if (closed) {
            return null;
        }
        try {
            return scheduler.schedule(() -> execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // shutting down
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
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
