package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.ReceivedCall;
import io.breakwater.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** A real redis-server, the embedded CSMS and a simulator against both, with helpers to drive and read them. */
final class SimulatorHarness implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    final RedisServer redis;
    final EmbeddedCsms csms;
    Simulator simulator;

    SimulatorHarness() {
        redis = RedisServer.start();
        csms = new EmbeddedCsms(0);
        csms.start();
    }

    /** Runs the fleet; failed steps are retried after about 300 ms, reconnects at most 1 s apart. */
    Simulator run(Fleet fleet) {
        SimulatorConfig config = new SimulatorConfig(URI.create(csms.url()), URI.create(redis.uri()), fleet, null,
                Duration.ofMillis(300), Duration.ofSeconds(1));
        simulator = new Simulator(config);
        simulator.start();
        return simulator;
    }

    /** A charge point that charges only when told to (RemoteStartTransaction), sessions of {@code session}. */
    static ChargePointSpec remoteOnly(String id, int connectors, Duration session) {
        return new ChargePointSpec(id, connectors, List.of("TAG-A", "TAG-B"), DurationRange.exactly(session),
                DurationRange.exactly(Duration.ofMillis(200)), Duration.ofSeconds(1), 0, false);
    }

    /**
     * Waits until the charge point booted and reported its last connector's status; on time-out, prints what the charge
     * point and the CSMS hold and every thread, for whoever reads the test report.
     */
    void awaitBooted(String chargePointId, int lastConnector) {
        ChargePoint chargePoint = simulator.chargePoint(chargePointId);
        try {
            await().atMost(WAIT).until(() -> chargePoint.isBooted() && statuses(chargePointId, lastConnector).size() == 1);
        } catch (RuntimeException | AssertionError e) {
            System.out.println("not booted: booted=" + chargePoint.isBooted() + " waiting=" + chargePoint.callsWaiting()
                    + " csms=" + csms.messagesOf(chargePointId) + " stats=" + simulator.statsSnapshot());
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                System.out.print(thread);
            }
            throw e;
        }
    }

    /** Sends a CALL to a charge point and returns its CALLRESULT payload. */
    JsonObject call(String chargePointId, String action, String payloadJson) throws Exception {
        String reply = csms.callChargePoint(chargePointId, action, payloadJson).get(10, TimeUnit.SECONDS);
        return JsonParser.parseString(reply).getAsJsonObject();
    }

    /** Its {@code status} field. */
    String callStatus(String chargePointId, String action, String payloadJson) throws Exception {
        return call(chargePointId, action, payloadJson).get("status").getAsString();
    }

    List<ReceivedCall> received(String chargePointId, String action) {
        return csms.received().stream()
                .filter(call -> call.chargePointId().equals(chargePointId) && call.action().equals(action)).toList();
    }

    /** The statuses a connector reported, in order. */
    List<String> statuses(String chargePointId, int connectorId) {
        List<String> statuses = new ArrayList<>();
        for (ReceivedCall call : received(chargePointId, "StatusNotification")) {
            JsonObject payload = JsonParser.parseString(call.payloadJson()).getAsJsonObject();
            if (payload.get("connectorId").getAsInt() == connectorId) {
                statuses.add(payload.get("status").getAsString());
            }
        }
        return statuses;
    }

    /**
     * Every connector's reported statuses, one after another, follow OCPP 1.6's transitions (a status repeated, as
     * after a reboot, is no transition).
     */
    void assertStatusSequencesAreLegal() {
        Map<String, List<String>> byConnector = new TreeMap<>();
        for (ReceivedCall call : csms.received()) {
            if (call.action().equals("StatusNotification")) {
                JsonObject payload = JsonParser.parseString(call.payloadJson()).getAsJsonObject();
                int connector = payload.get("connectorId").getAsInt();
                if (connector > 0) {
                    byConnector.computeIfAbsent(call.chargePointId() + "/" + connector, k -> new ArrayList<>())
                            .add(payload.get("status").getAsString());
                }
            }
        }
        byConnector.forEach((connector, statuses) -> {
            for (int i = 1; i < statuses.size(); i++) {
                ConnectorStatus from = ConnectorStatus.fromOcpp(statuses.get(i - 1)).orElseThrow();
                ConnectorStatus to = ConnectorStatus.fromOcpp(statuses.get(i)).orElseThrow();
                assertThat(from == to || from.canChangeTo(to)).as("%s: %s -> %s in %s", connector, from, to, statuses)
                        .isTrue();
            }
        });
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
        csms.close();
        redis.close();
    }
}
