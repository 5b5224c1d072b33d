package io.breakwater.simulator.chargepoint;

import static io.breakwater.simulator.chargepoint.ConnectorStatus.AVAILABLE;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.CHARGING;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.FAULTED;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.FINISHING;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.PREPARING;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.SUSPENDED_EV;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.SUSPENDED_EVSE;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.UNAVAILABLE;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connector: its OCPP status (changed only along {@link ConnectorStatus}'s transitions, each change sent as a
 * StatusNotification and kept in Redis) and its sessions.
 *
 * <p>A session: Preparing → Authorize (or the authorization cache when the CSMS does not answer) → StartTransaction
 * handed to the charge point's queue → Charging at once, MeterValues every {@code MeterValueSampleInterval}, maybe a
 * pause (SuspendedEV or SuspendedEVSE) → Finishing, StopTransaction → Available after the cable is out → a pause →
 * the next session. Charging does not wait for StartTransaction's answer: its MeterValues and StopTransaction queue
 * behind it and take the transaction id from that answer when they leave; if StartTransaction fails for good the
 * session is called off and they are not sent.
 *
 * <p>Everything runs on the charge point's serial executor: no locks, and a CSMS request never races a timer.
 * Fields read from other threads (status, for tests and logs) are volatile.
 */
final class Connector {

    /** What the connector is doing, beyond what its status says (a fault hides it). */
    enum Phase { IDLE, PREPARING, CHARGING, FINISHING }

    private static final Logger log = LoggerFactory.getLogger(Connector.class);
    private static final Duration NOT_READY_POLL = Duration.ofSeconds(1);
    private static final Duration UNPLUG = Duration.ofSeconds(1);
    private static final String NO_ERROR = "NoError";

    private final ChargePoint chargePoint;
    private final int connectorId;
    private final AtomicLong registerWh = new AtomicLong();
    private final AtomicBoolean meterWriteInFlight = new AtomicBoolean();
    /** The register changed while a write was in flight: write again when it is done. */
    private final AtomicBoolean meterWriteAgain = new AtomicBoolean();
    private volatile ConnectorStatus status = AVAILABLE;
    private volatile String errorCode = NO_ERROR;
    private volatile Phase phase = Phase.IDLE;
    private volatile ChargingSession session;
    /** ChangeAvailability: false takes the connector out of service (status Unavailable). */
    private volatile boolean operative = true;
    /** Inoperative as soon as the current session is over (ChangeAvailability answered Scheduled). */
    private boolean inoperativeScheduled;
    /** Bumped by every session start and abort, so a late answer to an old Authorize is ignored. */
    private long attempt;
    private ScheduledFuture<?> autoStart;
    private ScheduledFuture<?> prepareTimeout;
    private ScheduledFuture<?> meterTask;
    private ScheduledFuture<?> endTask;
    private ScheduledFuture<?> suspendTask;
    private ScheduledFuture<?> unplugTask;

    Connector(ChargePoint chargePoint, int connectorId) {
        this.chargePoint = chargePoint;
        this.connectorId = connectorId;
    }

    int id() {
        return connectorId;
    }

    ConnectorStatus status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    Phase phase() {
        return phase;
    }

    boolean isOperative() {
        return operative;
    }

    long registerWh() {
        return registerWh.get();
    }

    /** Id of this connector's charging transaction, once StartTransaction was answered. */
    OptionalInt chargingTransactionId() {
        ChargingSession current = session;
        return current == null || phase != Phase.CHARGING ? OptionalInt.empty() : current.transactionId();
    }

    /** Id of this connector's transaction (charging or finishing), for the Redis tx key. */
    Optional<Integer> activeTransaction() {
        ChargingSession current = session;
        if (current == null) {
            return Optional.empty();
        }
        OptionalInt id = current.transactionId();
        return id.isPresent() ? Optional.of(id.getAsInt()) : Optional.empty();
    }

    /** Restores state read from Redis before the charge point boots (no StatusNotification: boot sends them all). */
    void restore(long energyWh, String storedStatus) {
        registerWh.set(Math.max(0, energyWh));
        if (UNAVAILABLE.ocppName().equals(storedStatus)) {
            operative = false;
            status = UNAVAILABLE;
        }
    }

    void start(Duration initialDelay) {
        scheduleAutoStart(initialDelay);
    }

    /** The charge point closes: every timer goes. */
    void close() {
        cancelAll();
        cancel(autoStart);
        cancel(unplugTask);
    }

    // --- requests from the CSMS (via the charge point) --------------------------------------------------------------

    /** RemoteStartTransaction is Accepted for a connector that is free (Available) and in service. */
    boolean canStartRemotely() {
        return canBegin();
    }

    /** RemoteStartTransaction, accepted: a session begins (with Authorize only if AuthorizeRemoteTxRequests). */
    void remoteStart(String idTag) {
        if (canBegin()) {
            begin(idTag, true);
        }
    }

    /** RemoteStopTransaction for this connector's charging transaction. */
    void remoteStop() {
        stopSession("Remote");
    }

    /** UnlockConnector: a charging session stops (UnlockCommand), one being prepared is called off. */
    void unlock() {
        if (phase == Phase.CHARGING) {
            stopSession("UnlockCommand");
        } else if (phase == Phase.PREPARING) {
            abortPreparing("unlocked", pause());
        }
    }

    /**
     * ChangeAvailability for this connector: at once, or (out of service, {@code Scheduled}) once the session being
     * prepared or charging is over. Returns what the CSMS is told: {@code Accepted} or {@code Scheduled}.
     */
    String changeAvailability(boolean toOperative) {
        if (toOperative) {
            inoperativeScheduled = false;
            if (!operative) {
                operative = true;
                if (status == UNAVAILABLE) {
                    changeStatus(AVAILABLE);
                    scheduleAutoStart(pause());
                }
            }
            return "Accepted";
        }
        if (phase == Phase.PREPARING || phase == Phase.CHARGING) {
            inoperativeScheduled = true;
            return "Scheduled";
        }
        if (phase == Phase.FINISHING) {
            inoperativeScheduled = true; // no transaction any more: Unavailable once the cable is out
            return "Accepted";
        }
        operative = false;
        cancel(autoStart);
        if (status == AVAILABLE) {
            changeStatus(UNAVAILABLE);
        }
        return "Accepted";
    }

    /** Reset: a charging session stops with {@code reason} (SoftReset, HardReset), one being prepared is called off. */
    void endForReset(String reason) {
        cancel(autoStart);
        if (phase == Phase.CHARGING) {
            stopSession(reason);
        } else if (phase == Phase.PREPARING) {
            abortPreparing("reset", NOT_READY_POLL);
        }
    }

    /** After a reboot the loop starts again (it waits until the charge point is booted). */
    void afterReboot() {
        if (phase == Phase.IDLE) {
            scheduleAutoStart(pause());
        }
    }

    boolean isInSession() {
        return phase == Phase.PREPARING || phase == Phase.CHARGING;
    }

    /** A hardware fault: status Faulted with this OCPP error code; a charging session stops (Other). */
    void fault(String code) {
        errorCode = code;
        if (status == FAULTED) {
            chargePoint.sendStatus(connectorId, status, errorCode);
            return;
        }
        changeStatus(FAULTED);
        cancel(autoStart);
        if (phase == Phase.PREPARING) {
            abortPreparing("fault " + code, pause());
        } else if (phase == Phase.CHARGING) {
            stopSession("Other");
        }
    }

    /** The fault is gone: back to what the connector would be without it. */
    void clearFault() {
        if (status != FAULTED) {
            return;
        }
        errorCode = NO_ERROR;
        if (phase == Phase.FINISHING) {
            changeStatus(FINISHING);
        } else {
            becomeIdle(pause());
        }
    }

    /** TriggerMessage StatusNotification. */
    void sendStatus() {
        chargePoint.sendStatus(connectorId, status, errorCode);
    }

    /** TriggerMessage MeterValues: the register now, with the transaction id if one is charging and known. */
    void sendTriggeredMeterValues() {
        ChargingSession current = session;
        long powerW = 0;
        if (current != null && phase == Phase.CHARGING) {
            current.sample();
            powerW = current.powerW();
        }
        OptionalInt transactionId = chargingTransactionId();
        chargePoint.send("MeterValues", OcppPayloads.meterValues(connectorId,
                transactionId.isPresent() ? transactionId.getAsInt() : null, registerWh.get(), powerW, "Trigger",
                OcppPayloads.now()));
    }

    /** MeterValueSampleInterval changed: a charging session samples at the new pace from now on. */
    void meterIntervalChanged() {
        if (phase == Phase.CHARGING) {
            cancel(meterTask);
            scheduleMeter(session);
        }
    }

    // --- the session loop -----------------------------------------------------------------------------------------

    private void scheduleAutoStart(Duration delay) {
        cancel(autoStart);
        autoStart = null;
        if (chargePoint.spec().autoStart()) {
            autoStart = chargePoint.later(delay, this::autoStart);
        }
    }

    private void autoStart() {
        autoStart = null;
        if (phase != Phase.IDLE) {
            return; // a remote start got there first; the end of its session schedules the next
        }
        if (!chargePoint.canStartSessions()) {
            scheduleAutoStart(NOT_READY_POLL);
            return;
        }
        // An operator can take the connector out of service with HSET <connectors key> <id> Unavailable (and put it
        // back with Available); checked before each session, so the connector's own statuses never override it.
        chargePoint.store().connectorStatus(chargePoint.id(), connectorId).thenAcceptAsync(stored -> {
            if (phase != Phase.IDLE) {
                return;
            }
            if (stored.filter(UNAVAILABLE.ocppName()::equals).isPresent() && operative) {
                changeAvailability(false);
            } else if (stored.filter(AVAILABLE.ocppName()::equals).isPresent() && !operative) {
                changeAvailability(true);
            }
            if (canBegin()) {
                begin(chargePoint.spec().pickIdTag(), false);
            } else {
                scheduleAutoStart(pause());
            }
        }, chargePoint.executor());
    }

    private boolean canBegin() {
        return phase == Phase.IDLE && status == AVAILABLE && operative && chargePoint.canStartSessions();
    }

    private void begin(String idTag, boolean remote) {
        cancel(autoStart);
        long mine = ++attempt;
        phase = Phase.PREPARING;
        changeStatus(PREPARING);
        // ConnectionTimeOut: an Authorize stuck behind unanswered CALLs does not hold the connector forever.
        prepareTimeout = chargePoint.later(chargePoint.configuration().connectionTimeOut(), () -> {
            if (attempt == mine && phase == Phase.PREPARING) {
                abortPreparing("no authorization within ConnectionTimeOut", pause());
            }
        });
        if (remote && !chargePoint.configuration().authorizeRemoteTxRequests()) {
            startTransaction(idTag);
        } else {
            authorize(mine, idTag);
        }
    }

    private void authorize(long mine, String idTag) {
        chargePoint.cachedAuthorization(idTag).thenAcceptAsync(cached ->
                chargePoint.send("Authorize", OcppPayloads.authorize(idTag)).whenComplete((reply, error) -> {
                    if (attempt == mine && phase == Phase.PREPARING) {
                        authorized(idTag, cached, reply, error);
                    }
                }), chargePoint.executor());
    }

    private void authorized(String idTag, Optional<String> cached, JsonObject reply, Throwable error) {
        ChargePointConfiguration configuration = chargePoint.configuration();
        if (error == null) {
            JsonObject info = OcppPayloads.idTagInfo(reply);
            chargePoint.learnAuthorization(idTag, info);
            if (OcppPayloads.isAccepted(info)) {
                startTransaction(idTag);
            } else {
                abortPreparing("idTag not accepted (" + OcppPayloads.string(info, "status", "no status") + ")",
                        pause());
            }
        } else if (cached.isPresent() ? configuration.localAuthorizeOffline()
                && OcppPayloads.isValidAcceptance(cached.get()) : configuration.allowOfflineTxForUnknownId()) {
            // Local authorization (LocalAuthorizeOffline, AllowOfflineTxForUnknownId): the CSMS did not answer.
            startTransaction(idTag);
        } else {
            abortPreparing("not authorized", chargePoint.retryDelay());
        }
    }

    private void startTransaction(String idTag) {
        cancel(prepareTimeout);
        ChargingSession started = new ChargingSession(idTag, registerWh.get(), OcppPayloads.now(), registerWh);
        CompletableFuture<String> reply = chargePoint.submit("StartTransaction", () -> OcppPayloads.startTransaction(
                connectorId, idTag, started.meterStartWh, started.startTimestamp));
        started.startSent(reply);
        started.ledger = chargePoint.stats().transactions().begin(chargePoint.id(), connectorId,
                started.startTimestamp);
        session = started;
        phase = Phase.CHARGING;
        if (status != FAULTED) {
            changeStatus(CHARGING);
        }
        Duration length = chargePoint.spec().sessionLength().pick();
        scheduleMeter(started);
        endTask = chargePoint.later(length, () -> {
            if (session == started) {
                stopSession("Local");
            }
        });
        if (ThreadLocalRandom.current().nextDouble() < chargePoint.spec().suspendProbability()) {
            planSuspension(started, length);
        }
        chargePoint.track("StartTransaction", reply).whenComplete((answer, error) -> startAnswered(started, answer,
                error));
    }

    private void startAnswered(ChargingSession started, JsonObject answer, Throwable error) {
        OptionalInt transactionId = started.transactionId();
        started.ledger.startAnswered(transactionId.isEmpty() ? null : transactionId.getAsInt());
        if (transactionId.isEmpty()) {
            log.info("{}/{} StartTransaction failed{}; session called off", chargePoint.id(), connectorId,
                    error == null ? " (no transaction id)" : "");
            if (session == started && phase == Phase.CHARGING) {
                cancelAll();
                started.finish();
                session = null;
                phase = Phase.IDLE;
                becomeIdle(chargePoint.retryDelay());
            }
            return;
        }
        chargePoint.stats().transactionStarted();
        log.info("{}/{} transaction {} started", chargePoint.id(), connectorId, transactionId.getAsInt());
        JsonObject info = OcppPayloads.idTagInfo(answer);
        chargePoint.learnAuthorization(started.idTag, info);
        if (session == started) {
            chargePoint.store().saveTransaction(chargePoint.id(), transactionId.getAsInt());
            if (!OcppPayloads.isAccepted(info) && phase == Phase.CHARGING) {
                // The CSMS started the transaction but rejected the tag: stop at once (OCPP 1.6 §4.8, StopTransactionOnInvalidId).
                stopSession("DeAuthorized");
            }
        }
    }

    private void scheduleMeter(ChargingSession charging) {
        Duration interval = chargePoint.configuration().meterValueSampleInterval();
        if (interval.isZero()) {
            return; // none until MeterValueSampleInterval changes again
        }
        meterTask = chargePoint.later(interval, () -> {
            if (session == charging && phase == Phase.CHARGING) {
                sampleMeter(charging);
                scheduleMeter(charging);
            }
        });
    }

    private void sampleMeter(ChargingSession charging) {
        if (!charging.sample()) {
            return;
        }
        long energy = registerWh.get();
        long power = charging.powerW();
        String timestamp = OcppPayloads.now();
        charging.ledger.meterValuesSent();
        chargePoint.send("MeterValues", () -> {
            OptionalInt id = charging.transactionId();
            return id.isEmpty() ? null : OcppPayloads.meterValues(connectorId, id.getAsInt(), energy, power,
                    "Sample.Periodic", timestamp);
        }).whenComplete((reply, error) -> charging.ledger.meterValuesDone(timestamp, error));
        persistMeter();
    }

    /** Once per session, at a random point, the EV or the EVSE pauses the charge for a while. */
    private void planSuspension(ChargingSession charging, Duration length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Duration at = Duration.ofMillis((long) (length.toMillis() * random.nextDouble(0.2, 0.5)));
        Duration lasting = Duration.ofMillis((long) (length.toMillis() * random.nextDouble(0.1, 0.3)));
        ConnectorStatus kind = random.nextBoolean() ? SUSPENDED_EV : SUSPENDED_EVSE;
        suspendTask = chargePoint.later(at, () -> {
            if (session != charging || phase != Phase.CHARGING || status != CHARGING) {
                return;
            }
            charging.suspend();
            changeStatus(kind);
            suspendTask = chargePoint.later(lasting, () -> {
                if (session == charging && phase == Phase.CHARGING && status == kind) {
                    charging.resume();
                    changeStatus(CHARGING);
                }
            });
        });
    }

    /** Ends the charging session: Finishing, StopTransaction (the charge point delivers it), then the cable comes out. */
    private void stopSession(String reason) {
        if (phase != Phase.CHARGING) {
            return;
        }
        ChargingSession ending = session;
        cancelAll();
        ending.finish();
        persistMeter();
        phase = Phase.FINISHING;
        if (status != FAULTED) {
            changeStatus(FINISHING);
        }
        chargePoint.deliverStop(connectorId, ending, reason);
        unplugTask = chargePoint.later(jitter(UNPLUG), () -> {
            if (phase == Phase.FINISHING && session == ending) {
                session = null;
                phase = Phase.IDLE;
                chargePoint.transactionEnded();
                becomeIdle(pause());
            }
        });
    }

    private void abortPreparing(String why, Duration nextTry) {
        if (phase != Phase.PREPARING) {
            return;
        }
        log.debug("{}/{} session not started: {}", chargePoint.id(), connectorId, why);
        cancel(prepareTimeout);
        attempt++;
        phase = Phase.IDLE;
        if (status == PREPARING) {
            changeStatus(AVAILABLE); // Preparing cannot go to Unavailable directly
        }
        becomeIdle(nextTry);
    }

    /** Phase IDLE: Available, or Unavailable if out of service (a fault keeps Faulted); the next session later. */
    private void becomeIdle(Duration nextTry) {
        if (inoperativeScheduled) {
            inoperativeScheduled = false;
            operative = false;
        }
        if (status != FAULTED) {
            ConnectorStatus target = operative ? AVAILABLE : UNAVAILABLE;
            if (status != target) {
                changeStatus(target);
            }
        }
        chargePoint.connectorIdle();
        scheduleAutoStart(nextTry);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** The only way the status changes: checked against OCPP 1.6's transitions, stored in Redis and notified. */
    private void changeStatus(ConnectorStatus next) {
        status = status.requireChangeTo(next);
        chargePoint.store().saveConnectorStatus(chargePoint.id(), connectorId, next.ocppName());
        chargePoint.sendStatus(connectorId, next, next == FAULTED ? errorCode : NO_ERROR);
    }

    /**
     * Latest register wins: at most one write in flight, so nothing piles up with a slow Redis; a change meanwhile is
     * written once that write is done (with the register as it is then), so the last register always reaches Redis.
     * Every write is issued on the charge point's executor, so writes reach its Redis lane in the order the register
     * was read.
     */
    private void persistMeter() {
        meterWriteAgain.set(true);
        if (meterWriteInFlight.compareAndSet(false, true)) {
            writeMeter();
        }
    }

    private void writeMeter() {
        meterWriteAgain.set(false);
        chargePoint.store().saveMeter(chargePoint.id(), chargePoint.totalEnergyWh())
                .whenComplete((ignored, error) -> chargePoint.execute(() -> {
                    meterWriteInFlight.set(false);
                    if (meterWriteAgain.get() && meterWriteInFlight.compareAndSet(false, true)) {
                        writeMeter();
                    }
                }));
    }

    private void cancelAll() {
        cancel(prepareTimeout);
        cancel(meterTask);
        cancel(endTask);
        cancel(suspendTask);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private Duration pause() {
        return chargePoint.spec().pause().pick();
    }

    static Duration jitter(Duration base) {
        double factor = 0.5 + ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
    }
}
