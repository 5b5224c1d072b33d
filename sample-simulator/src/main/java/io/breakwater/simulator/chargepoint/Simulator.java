package io.breakwater.simulator.chargepoint;

import io.breakwater.simulator.ocpp.OcppConnection;
import io.breakwater.simulator.state.RedisClients;
import io.breakwater.simulator.state.StateStore;
import io.breakwater.simulator.util.DaemonThreads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet: N charge points sharing one small scheduler (a few threads whatever N is), one Redis client with its
 * own small pool for the blocking Redis calls, and the JVM's one WebSocket client ({@code WebSocketClients}), so the
 * threads do not grow with N; keep-alive pings run on the shared scheduler.
 */
public final class Simulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);
    private static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    /** Threads of the pool that runs the blocking Redis calls. */
    static final int REDIS_THREADS = 4;
    /** Threads of the scheduler every charge point's steps run on: 2 to 4, after the number of processors. */
    static final int SCHEDULER_THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final SimulatorConfig config;
    private final SimulatorStats stats;
    private final Map<String, ChargePoint> chargePoints = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private volatile StateStore store;
    private boolean started;
    private boolean closed;

    public Simulator(SimulatorConfig config) {
        this.config = config;
        this.stats = new SimulatorStats(config.chargePoints());
    }

    /** Starts every charge point, spread over a few seconds so the CSMS does not see one burst. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("a simulator starts once");
        }
        started = true;
        scheduler = Executors.newScheduledThreadPool(SCHEDULER_THREADS, DaemonThreads.named("sim-scheduler"));
        store = new StateStore(RedisClients.create(config.redisUri(), REDIS_THREADS * 2),
                Executors.newFixedThreadPool(REDIS_THREADS, DaemonThreads.named("sim-redis")));
        long spreadMillis = Math.min(5_000, config.chargePoints() * 10L);
        for (ChargePointSpec spec : config.fleet().chargePoints()) {
            OcppConnection connection = new OcppConnection(spec.id(), config.endpointFor(spec.id()), scheduler,
                    KEEP_ALIVE);
            ChargePoint chargePoint = new ChargePoint(spec, config, connection, store, scheduler, stats);
            chargePoints.put(spec.id(), chargePoint);
            long delay = spreadMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(spreadMillis + 1);
            scheduler.schedule(chargePoint::start, delay, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleAtFixedRate(this::logSummary, SUMMARY_INTERVAL.toMillis(), SUMMARY_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("simulator started: {} charge points, {} connectors -> {} (redis {})", config.chargePoints(),
                config.fleet().connectors(), config.csmsUri(), RedisClients.redact(config.redisUri()));
    }

    /** A charge point of the fleet, e.g. for a test to fault a connector or read its status. */
    public ChargePoint chargePoint(String id) {
        ChargePoint chargePoint = chargePoints.get(id);
        if (chargePoint == null) {
            throw new IllegalArgumentException("no charge point " + id + " in this fleet");
        }
        return chargePoint;
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatorStats stats() {
        return stats;
    }

    /** Counters of the fleet and of its Redis use, for the health endpoint. */
    public Map<String, Object> statsSnapshot() {
        Map<String, Object> snapshot = new LinkedHashMap<>(stats.toMap());
        StateStore current = store;
        snapshot.put("redisCommandsOk", current == null ? 0 : current.succeededCommands());
        snapshot.put("redisCommandsFailed", current == null ? 0 : current.failedCommands());
        snapshot.put("redisCommandsInFlight", current == null ? 0 : current.commandsInFlight());
        snapshot.put("callsWaiting", chargePoints.values().stream().mapToInt(ChargePoint::callsWaiting).sum());
        return snapshot;
    }

    /**
     * Charge point id (sorted) → what it keeps in Redis according to its memory ({@link ChargePoint#stateForRedis()}):
     * built on request from the live charge points, nothing recorded over time.
     */
    public Map<String, Object> stateForRedis() {
        Map<String, Object> state = new TreeMap<>();
        chargePoints.forEach((id, chargePoint) -> state.put(id, chargePoint.stateForRedis()));
        return state;
    }

    public String summaryLine() {
        StateStore current = store;
        return String.format("summary: %d/%d connected, %d booted, transactions %d started / %d stopped,"
                        + " calls %d ok / %d failed, redis %d ok / %d failed",
                stats.connectedChargePoints(), stats.chargePoints(), stats.bootedChargePoints(),
                stats.transactionsStarted(), stats.transactionsStopped(), stats.callsOk(), stats.callsFailed(),
                current == null ? 0 : current.succeededCommands(), current == null ? 0 : current.failedCommands());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            log.info("simulator stopping; {}", summaryLine());
        }
        for (ChargePoint chargePoint : chargePoints.values()) {
            try {
                chargePoint.close();
            } catch (RuntimeException e) {
                log.debug("closing {}: {}", chargePoint.id(), e.toString());
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
    }

    private void logSummary() {
        try {
            log.info(summaryLine());
        } catch (RuntimeException e) {
            log.debug("summary failed: {}", e.toString());
        }
    }
}
