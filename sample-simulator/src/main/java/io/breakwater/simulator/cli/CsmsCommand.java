package io.breakwater.simulator.cli;

import io.breakwater.simulator.csms.CsmsControlApi;
import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.util.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code csms}: the embedded CSMS as a process, with its fault switches over HTTP. */
@Command(name = "csms",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run an accept-everything OCPP 1.6J CSMS with fault injection.",
            "Charge points connect to ws://<bind>:<port>/<anything>/<chargePointId> (subprotocol ocpp1.6)."},
        footer = {"", "Control API (127.0.0.1:<control-port>):",
            "  POST /down                      close all connections and refuse new ones",
            "  POST /up                        listen again on the same port",
            "  POST /delay?ms=N                delay every reply by N ms (0 = off)",
            "  POST /callerror?on=true|false   answer every CALL with CALLERROR InternalError",
            "  POST /silent?on=true|false      never answer (connections stay open)",
            "  GET  /stats                     switches, connections, CALLs received per action",
            "  POST /chargepoints/<id>/<Action> send a CALL (body: JSON payload) to a charge point,",
            "                                  e.g. Reset, RemoteStartTransaction; answers its reply",
            "  GET  /chargepoints              connected charge points",
            "  GET  /messages?chargePoint=<id> every CALL that charge point sent, in order",
            "  POST /availability?type=Inoperative|Operative",
            "                                  ChangeAvailability (connectorId 0) to every connected",
            "                                  charge point; answers how many Accepted/Scheduled/failed",
            "  GET  /check                     duplicate or out-of-order Start/MeterValues/Stop per",
            "                                  transaction, counts, and whether the log is complete"})
public final class CsmsCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(CsmsCommand.class);
    static final int MAX_MESSAGE_LOG_CAPACITY = 100_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000",
            description = "WebSocket port (0 = any free port). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the WebSocket server binds to. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--control-port", paramLabel = "PORT",
            description = "Control API port on 127.0.0.1, not --port. Default: port + 1")
    Integer controlPort;

    @Option(names = "--heartbeat-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "Heartbeat interval returned in BootNotification. Default: ${DEFAULT-VALUE}")
    int heartbeatInterval;

    @Option(names = "--message-log-capacity", paramLabel = "N", defaultValue = "1000000",
            description = "Messages the CSMS keeps for GET /messages and /check (about 250 bytes each: size -Xmx"
                    + " for it); past it the oldest go and /check reports itself incomplete. Default: ${DEFAULT-VALUE}")
    int messageLogCapacity;

    @Override
    public Integer call() throws Exception {
        Validation check = new Validation(spec);
        check.range("--port", port, 0, 65_535);
        check.range("--heartbeat-interval", heartbeatInterval, 1, 86_400);
        check.range("--message-log-capacity", messageLogCapacity, 1, MAX_MESSAGE_LOG_CAPACITY);
        int control = controlPort != null ? controlPort : port == 0 ? 0 : port + 1;
        check.range("--control-port", control, 0, 65_535);
        check.differentPorts("--port", port, "--control-port", control);

        EmbeddedCsms csms = new EmbeddedCsms(bind, port);
        csms.setHeartbeatInterval(Duration.ofSeconds(heartbeatInterval));
        csms.setMessageLogCapacity(messageLogCapacity);
        csms.start();
        CsmsControlApi api;
        try {
            api = new CsmsControlApi(csms, control);
        } catch (Exception e) {
            csms.close();
            throw e;
        }
        log.info("CSMS control API on http://127.0.0.1:{} (POST /down /up /delay?ms=N /callerror?on= /silent?on="
                + " /chargepoints/<id>/<Action> /availability?type=, GET /stats /chargepoints /messages?chargePoint= /check)", api.port());

        ScheduledExecutorService summary = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("csms-log"));
        summary.scheduleAtFixedRate(() -> log.info("csms: {}, {} charge points connected, received {}",
                csms.isUp() ? "up" : "DOWN", csms.connectedChargePoints(), csms.counts()), 10, 10, TimeUnit.SECONDS);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            summary.shutdownNow();
            api.close();
            csms.close();
            stopped.countDown();
        }, "csms-shutdown"));
        stopped.await();
        return 0;
    }
}
