package io.breakwater.simulator.cli;

import io.breakwater.simulator.chargepoint.Fleet;
import io.breakwater.simulator.chargepoint.Simulator;
import io.breakwater.simulator.chargepoint.SimulatorConfig;
import io.breakwater.simulator.health.BreakerReader;
import io.breakwater.simulator.health.HealthServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: the charge-point fleet, until SIGTERM or Ctrl-C. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run simulated OCPP 1.6J charge points against a CSMS, keeping state in Redis.",
            "Each connector loops: Authorize, StartTransaction, MeterValues every interval, StopTransaction, pause.",
            "Failed calls are logged (rate-limited) and retried; Redis errors never stop charging."},
        footer = {"", "Health: GET /health and /health/detailed on <health-bind>:<health-port>;",
            "GET /health/state: per charge point what it keeps in Redis (meterWh, transactionId,",
            "connector statuses), as its memory has it: Redis must match once writes are done.",
            "Always HTTP 200; \"status\" is DEGRADED while a circuit-breaker MBean",
            "(io.breakwater:type=CircuitBreaker,name=...) is open, forced_open or half_open."})
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** What a fleet file says instead. */
    private static final List<String> FLEET_REPLACES = List.of("--charge-points", "--connectors", "--id-prefix",
            "--meter-interval", "--session-seconds");

    @Spec
    CommandSpec spec;

    @Option(names = "--csms", paramLabel = "URL", defaultValue = "ws://127.0.0.1:9000/ocpp",
            description = "CSMS WebSocket base URL (ws://); charge point <id> connects to <URL>/<id>. Default: ${DEFAULT-VALUE}")
    URI csms;

    @Option(names = "--redis", paramLabel = "URL", defaultValue = "redis://127.0.0.1:6379",
            description = "Redis URL (redis://[[user]:password@]host[:port][/db]). Default: ${DEFAULT-VALUE}")
    URI redis;

    @Option(names = "--fleet", paramLabel = "FILE",
            description = "JSON file describing the fleet (charge points, connectors, idTags, session lengths);"
                    + " instead of --charge-points, --connectors, --id-prefix, --meter-interval, --session-seconds."
                    + " See fleet-example.json.")
    Path fleet;

    @Option(names = "--charge-points", paramLabel = "N", defaultValue = "10",
            description = "Number of charge points. Default: ${DEFAULT-VALUE}")
    int chargePoints;

    @Option(names = "--connectors", paramLabel = "N", defaultValue = "2",
            description = "Connectors per charge point. Default: ${DEFAULT-VALUE}")
    int connectors;

    @Option(names = "--id-prefix", paramLabel = "PREFIX", defaultValue = "CP",
            description = "Charge point ids are PREFIX-0001, PREFIX-0002, ... Default: ${DEFAULT-VALUE}")
    String idPrefix;

    @Option(names = "--meter-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "MeterValues interval while charging; 0 for none (OCPP's MeterValueSampleInterval)."
                    + " Default: ${DEFAULT-VALUE}")
    int meterInterval;

    @Option(names = "--session-seconds", paramLabel = "SECONDS", defaultValue = "30",
            description = "Charging time of each session. Default: ${DEFAULT-VALUE}")
    int sessionSeconds;

    @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Health endpoint port, 0 to disable. Default: ${DEFAULT-VALUE}")
    int healthPort;

    @Option(names = "--health-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the health endpoint binds to. Default: ${DEFAULT-VALUE}")
    String healthBind;

    @Option(names = "--heartbeat-override", paramLabel = "SECONDS",
            description = "Heartbeat interval to use instead of the one the CSMS returns at boot.")
    Integer heartbeatOverride;

    @Option(names = "--reconnect-max", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest wait between reconnection attempts to the CSMS (exponential backoff with jitter). Default: ${DEFAULT-VALUE}.")
    int reconnectMax;

    @Option(names = "--record-transactions",
            description = "Keep, per transaction, what each charge point sent (Start, every MeterValues, Stop and how"
                    + " each ended) and serve it on GET /health/transactions; for tests (memory grows with the run).")
    boolean recordTransactions;

    @Override
    public Integer call() throws Exception {
        Validation check = new Validation(spec);
        check.url("--csms", csms, "ws");
        check.url("--redis", redis, "redis");
        check.range("--charge-points", chargePoints, 1, 100_000);
        check.range("--connectors", connectors, 1, 100);
        check.matches("--id-prefix", idPrefix, "[A-Za-z0-9._-]{1,32}", "1-32 letters, digits, '.', '_' or '-'");
        check.range("--meter-interval", meterInterval, 0, 86_400); // as in a fleet file
        check.range("--session-seconds", sessionSeconds, 1, 7 * 86_400);
        if (fleet != null) {
            check.notWith("--fleet", FLEET_REPLACES);
        }
        check.range("--health-port", healthPort, 0, 65_535);
        check.range("--reconnect-max", reconnectMax, 1, 3_600);
        if (heartbeatOverride != null) {
            check.range("--heartbeat-override", heartbeatOverride, 1, 86_400);
        }

        Duration heartbeat = heartbeatOverride == null ? null : Duration.ofSeconds(heartbeatOverride);
        Fleet charging = fleet == null
                ? Fleet.uniform(idPrefix, chargePoints, connectors, Duration.ofSeconds(meterInterval),
                        Duration.ofSeconds(sessionSeconds), Fleet.DEFAULT_PAUSE)
                : check.fleet("--fleet", fleet);
        SimulatorConfig config = SimulatorConfig.of(csms, redis, charging, heartbeat)
                .withReconnectMax(Duration.ofSeconds(reconnectMax));
        Simulator simulator = new Simulator(config);
        if (recordTransactions) {
            simulator.stats().transactions().enable();
        }
        // Bind the health port first: a port in use should fail before any charge point connects.
        HealthServer health = healthPort == 0 ? null
                : new HealthServer(healthBind, healthPort, new BreakerReader(), simulator::statsSnapshot,
                        recordTransactions ? simulator.stats().transactions()::snapshot : null, simulator::stateForRedis);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            if (health != null) {
                health.close();
            }
            simulator.close();
            stopped.countDown();
        }, "sim-shutdown"));
        simulator.start();
        if (health != null) {
            log.info("health on http://{}:{}/health", healthBind, health.port());
        }
        stopped.await();
        return 0;
    }
}
