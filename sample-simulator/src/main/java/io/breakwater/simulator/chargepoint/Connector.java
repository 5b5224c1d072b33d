package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connector and its endless session loop:
 * Authorize → StartTransaction → Charging + MeterValues every interval → StopTransaction → Available → pause → again.
 *
 * <p>Every step is a callback on the shared scheduler; nothing waits on a future. A failed step is retried later
 * (the charge point already logged it): a failed session start goes back to the beginning, a failed StopTransaction
 * is repeated with the same meterStop until the CSMS takes it. MeterValues are fire-and-forget.
 */
final class Connector {

    static final String AVAILABLE = "Available";
    static final String CHARGING = "Charging";
    static final String UNAVAILABLE = "Unavailable";

    private static final Logger log = LoggerFactory.getLogger(Connector.class);
    private static final Duration NOT_BOOTED_POLL = Duration.ofSeconds(1);

    private final ChargePoint chargePoint;
    private final int connectorId;
    private final AtomicLong registerWh = new AtomicLong();
    private final AtomicBoolean meterWriteInFlight = new AtomicBoolean();
    private volatile String status = AVAILABLE;
    private volatile ChargingSession session;
    private volatile ScheduledFuture<?> meterTask;

    Connector(ChargePoint chargePoint, int connectorId) {
        this.chargePoint = chargePoint;
        this.connectorId = connectorId;
    }

    int id() {
        return connectorId;
    }

    String status() {
        return status;
    }

    long registerWh() {
        return registerWh.get();
    }

    /** Restores state read from Redis before the loop starts. */
    void restore(long energyWh, String storedStatus) {
        registerWh.set(Math.max(0, energyWh));
        if (UNAVAILABLE.equals(storedStatus)) {
            status = UNAVAILABLE;
        }
    }

    /** Id of this connector's running transaction, if any. */
    Optional<Integer> activeTransaction() {
        ChargingSession current = session;
        return current == null ? Optional.empty() : Optional.of(current.transactionId);
    }

    void start(Duration initialDelay) {
        chargePoint.later(initialDelay, this::nextSession);
    }

    void stop() {
        ScheduledFuture<?> task = meterTask;
        if (task != null) {
            task.cancel(false);
        }
    }

    // --- the loop -------------------------------------------------------------------------------------------------

    private void nextSession() {
        if (!chargePoint.isBooted()) {
            chargePoint.later(NOT_BOOTED_POLL, this::nextSession);
            return;
        }
        whenInService(() -> authorize(IdTags.pick()));
    }

    /**
     * An operator can take a connector out of service with {@code HSET <connectors key> <id> Unavailable} (and put
     * it back with {@code Available}). Checked after each session and before the next one, so a status this
     * connector writes itself (Charging, Available) never overwrites the operator's word.
     */
    private void whenInService(Runnable next) {
        chargePoint.store().connectorStatus(chargePoint.id(), connectorId).thenAcceptAsync(stored -> guarded(() -> {
            if (stored.filter(UNAVAILABLE::equals).isPresent()) {
                if (!UNAVAILABLE.equals(status)) {
                    status = UNAVAILABLE;
                    chargePoint.sendStatus(connectorId, UNAVAILABLE);
                }
                chargePoint.later(pause(), this::nextSession);
                return;
            }
            if (!AVAILABLE.equals(status)) {
                changeStatus(AVAILABLE);
            }
            next.run();
        }), chargePoint.executor());
    }

    private void authorize(String idTag) {
        chargePoint.store().cachedAuthorization(idTag).thenAcceptAsync(cached -> guarded(() ->
                chargePoint.send("Authorize", OcppPayloads.authorize(idTag)).whenComplete((reply, error) ->
                        guarded(() -> authorized(idTag, cached, reply, error)))), chargePoint.executor());
    }

    private void authorized(String idTag, Optional<String> cached, JsonObject reply, Throwable error) {
        if (error == null) {
            JsonObject info = OcppPayloads.idTagInfo(reply);
            chargePoint.store().cacheAuthorization(idTag, info.toString());
            if (OcppPayloads.isAccepted(info)) {
                startTransaction(idTag);
            } else {
                log.info("{}/{} idTag not accepted ({})", chargePoint.id(), connectorId,
                        OcppPayloads.string(info, "status", "no status"));
                chargePoint.later(pause(), this::nextSession);
            }
        } else if (cached.map(Connector::acceptedInCache).orElse(false)) {
            // Local authorization cache (OCPP LocalAuthorizeOffline): the CSMS accepted this tag recently.
            startTransaction(idTag);
        } else {
            chargePoint.later(chargePoint.retryDelay(), this::nextSession);
        }
    }

    private void startTransaction(String idTag) {
        long meterStart = registerWh.get();
        JsonObject request = OcppPayloads.startTransaction(connectorId, idTag, meterStart, OcppPayloads.now());
        chargePoint.send("StartTransaction", request).whenComplete((reply, error) -> guarded(() -> {
            int transactionId = error == null ? OcppPayloads.integer(reply, "transactionId", -1) : -1;
            if (transactionId < 0) {
                chargePoint.later(chargePoint.retryDelay(), this::nextSession);
                return;
            }
            ChargingSession started = new ChargingSession(transactionId, idTag, meterStart, registerWh);
            session = started;
            chargePoint.stats().transactionStarted();
            log.info("{}/{} transaction {} started", chargePoint.id(), connectorId, transactionId);
            boolean accepted = OcppPayloads.isAccepted(OcppPayloads.idTagInfo(reply));
            chargePoint.store().saveTransaction(chargePoint.id(), transactionId)
                    .thenRunAsync(() -> guarded(() -> charge(started, accepted)), chargePoint.executor());
        }));
    }

    private void charge(ChargingSession charging, boolean accepted) {
        changeStatus(CHARGING);
        if (!accepted) {
            // The CSMS started the transaction but rejected the tag: stop at once, as OCPP 1.6 §5.19 asks.
            stopTransaction(charging, "DeAuthorized");
            return;
        }
        Duration interval = chargePoint.config().meterInterval();
        meterTask = chargePoint.every(interval, () -> sampleMeter(charging));
        chargePoint.later(chargePoint.config().sessionDuration(), () -> {
            stop();
            stopTransaction(charging, "Local");
        });
    }

    private void sampleMeter(ChargingSession charging) {
        if (!charging.sample()) {
            return;
        }
        long energy = registerWh.get();
        chargePoint.send("MeterValues",
                OcppPayloads.meterValues(connectorId, charging.transactionId, energy, charging.powerW()));
        persistMeter();
    }

    private void stopTransaction(ChargingSession charging, String reason) {
        charging.finish();
        persistMeter();
        JsonObject request = OcppPayloads.stopTransaction(charging.transactionId, charging.idTag,
                charging.meterStopWh(), charging.stopTimestamp(), reason);
        chargePoint.send("StopTransaction", request).whenComplete((reply, error) -> guarded(() -> {
            if (error != null) {
                chargePoint.later(chargePoint.retryDelay(), () -> stopTransaction(charging, reason));
                return;
            }
            session = null;
            chargePoint.stats().transactionStopped();
            log.info("{}/{} transaction {} stopped ({} Wh)", chargePoint.id(), connectorId, charging.transactionId,
                    charging.meterStopWh() - charging.meterStartWh);
            chargePoint.transactionEnded().thenRunAsync(() -> guarded(() ->
                    whenInService(() -> chargePoint.later(pause(), this::nextSession))), chargePoint.executor());
        }));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private void changeStatus(String next) {
        status = next;
        chargePoint.store().saveConnectorStatus(chargePoint.id(), connectorId, next);
        chargePoint.sendStatus(connectorId, next);
    }

    /** Latest register wins: skip a write while the previous one is still with a slow Redis, so nothing piles up. */
    private void persistMeter() {
        if (meterWriteInFlight.compareAndSet(false, true)) {
            chargePoint.store().saveMeter(chargePoint.id(), chargePoint.totalEnergyWh())
                    .whenComplete((ignored, error) -> meterWriteInFlight.set(false));
        }
    }

    /** Any bug in a step must not end this connector's loop: log it and start over later. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("{}/{} session step failed, restarting the session loop: {}", chargePoint.id(), connectorId,
                    e.toString());
            chargePoint.later(chargePoint.retryDelay(), this::nextSession);
        }
    }

    private Duration pause() {
        return jitter(chargePoint.config().pauseBetweenSessions());
    }

    static Duration jitter(Duration base) {
        double factor = 0.5 + ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
    }

    private static boolean acceptedInCache(String idTagInfoJson) {
        try {
            return OcppPayloads.isAccepted(JsonParser.parseString(idTagInfoJson).getAsJsonObject());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
