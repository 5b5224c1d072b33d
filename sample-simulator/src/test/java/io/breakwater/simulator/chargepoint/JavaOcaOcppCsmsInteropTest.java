package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import eu.chargetime.ocpp.model.core.AuthorizeRequest;
import eu.chargetime.ocpp.model.core.BootNotificationRequest;
import eu.chargetime.ocpp.model.core.HeartbeatRequest;
import eu.chargetime.ocpp.model.core.MeterValuesRequest;
import eu.chargetime.ocpp.model.core.StartTransactionRequest;
import eu.chargetime.ocpp.model.core.StatusNotificationRequest;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import io.breakwater.testkit.OcaCentralSystem;
import io.breakwater.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interop: the sample simulator against a CSMS built on Java-OCA-OCPP's {@code JSONServer}, a
 * third-party OCPP 1.6J implementation. Every message the simulator sends must pass the library's
 * parsing and validation (an invalid one would be answered with a CALLERROR and never reach the
 * handlers), and the transaction's messages must carry the id the CSMS assigned.
 */
class JavaOcaOcppCsmsInteropTest {
    private static final String CHARGE_POINT = "OCA-0001";

    private final RedisServer redis = RedisServer.start();
    private final OcaCentralSystem csms = OcaCentralSystem.start();
    private Simulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        csms.close();
        redis.close();
    }

    @Test
    void bootHeartbeatAuthorizeAndATransactionAreAcceptedAndParsedByTheLibrarysServer() {
        Fleet fleet = Fleet.uniform("OCA", 1, 1, Duration.ofSeconds(1), Duration.ofMillis(3500),
                DurationRange.exactly(Duration.ofMillis(200)));
        simulator = new Simulator(new SimulatorConfig(URI.create(csms.url()), URI.create(redis.uri()), fleet,
                Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(1)));
        simulator.start();

        await("a whole transaction at the OCA CSMS").atMost(Duration.ofSeconds(30))
                .until(() -> !csms.received(CHARGE_POINT, StopTransactionRequest.class).isEmpty()
                        && !csms.received(CHARGE_POINT, HeartbeatRequest.class).isEmpty());

        BootNotificationRequest boot = csms.received(CHARGE_POINT, BootNotificationRequest.class).get(0);
        assertThat(boot.getChargePointVendor()).isNotBlank();
        assertThat(boot.getChargePointModel()).isNotBlank();
        assertThat(csms.received(CHARGE_POINT, StatusNotificationRequest.class))
                .allSatisfy(s -> assertThat(s.getStatus()).isNotNull());

        AuthorizeRequest authorize = csms.received(CHARGE_POINT, AuthorizeRequest.class).get(0);
        StartTransactionRequest start = csms.received(CHARGE_POINT, StartTransactionRequest.class).get(0);
        assertThat(authorize.getIdTag()).isIn(ChargePointSpec.DEFAULT_ID_TAGS);
        assertThat(start.getIdTag()).isEqualTo(authorize.getIdTag());
        assertThat(start.getConnectorId()).isEqualTo(1);
        assertThat(start.getMeterStart()).isNotNull();
        assertThat(start.getTimestamp()).isNotNull();

        int transactionId = 1; // the first this CSMS assigned
        int assigned = csms.received(CHARGE_POINT, StartTransactionRequest.class).size();
        List<MeterValuesRequest> meterValues = csms.received(CHARGE_POINT, MeterValuesRequest.class);
        assertThat(meterValues).extracting(MeterValuesRequest::getTransactionId).contains(transactionId);
        assertThat(meterValues).allSatisfy(m -> {
            assertThat(m.getConnectorId()).isEqualTo(1);
            assertThat(m.getTransactionId()).isBetween(1, assigned);
            assertThat(m.getMeterValue()).isNotEmpty();
            assertThat(m.getMeterValue()[0].getSampledValue()).isNotEmpty();
        });
        StopTransactionRequest stop = csms.received(CHARGE_POINT, StopTransactionRequest.class).get(0);
        assertThat(stop.getTransactionId()).isEqualTo(transactionId);
        assertThat(stop.getMeterStop()).isGreaterThanOrEqualTo(start.getMeterStart());
        assertThat(stop.getTimestamp()).isNotNull();

        List<String> actions = csms.actions(CHARGE_POINT);
        assertThat(actions.indexOf("BootNotification")).isZero();
        assertThat(actions.indexOf("Authorize")).isLessThan(actions.indexOf("StartTransaction"));
        assertThat(actions.indexOf("StartTransaction")).isLessThan(actions.indexOf("MeterValues"));
        assertThat(actions.lastIndexOf("MeterValues")).isLessThan(actions.indexOf("StopTransaction"));
        assertThat(simulator.stats().callsFailed()).as("every CALL answered with a CALLRESULT: " + simulator.statsSnapshot()).isZero();
    }
}
