package io.breakwater.simulator.chargepoint;

import static io.breakwater.simulator.TestFutures.failure;
import static io.breakwater.simulator.chargepoint.SimulatorHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.breakwater.simulator.csms.CallRecord;
import io.breakwater.simulator.csms.ReceivedCall;
import io.breakwater.simulator.csms.TransactionCheck;
import io.breakwater.simulator.ocpp.OcppCallErrorException;
import io.breakwater.simulator.state.RedisClients;
import io.breakwater.simulator.state.RedisKeys;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** What a charge point does when the CSMS asks: one charge point (2 connectors) that charges only when told to. */
class CsmsRequestsTest {

    private static final String CP = "R-1";

    private SimulatorHarness harness;
    private Simulator simulator;
    private ChargePoint chargePoint;

    @BeforeEach
    void setUp() {
        harness = new SimulatorHarness();
        simulator = harness.run(new Fleet(List.of(SimulatorHarness.remoteOnly(CP, 2, Duration.ofMinutes(5)))));
        chargePoint = simulator.chargePoint(CP);
        harness.awaitBooted(CP, 2);
    }

    @AfterEach
    void tearDown() {
        harness.assertStatusSequencesAreLegal();
        harness.close();
    }

    @Test
    void remoteStartAndStopTransaction() throws Exception {
        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"DRIVER-1\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> chargePoint.status(1) == ConnectorStatus.CHARGING && startOn(1) != null);
        assertThat(harness.received(CP, "StartTransaction")).singleElement().extracting(ReceivedCall::payloadJson)
                .asString().contains("\"connectorId\":1", "\"idTag\":\"DRIVER-1\"");
        assertThat(harness.received(CP, "Authorize")).as("AuthorizeRemoteTxRequests is false").isEmpty();

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"DRIVER-2\"}")).isEqualTo("Rejected");
        assertThat(status("RemoteStartTransaction", "{\"idTag\":\"DRIVER-2\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> chargePoint.status(2) == ConnectorStatus.CHARGING && startOn(2) != null);
        assertThat(status("RemoteStartTransaction", "{\"idTag\":\"DRIVER-3\"}")).isEqualTo("Rejected");

        assertThat(status("RemoteStopTransaction", "{\"transactionId\":99999}")).isEqualTo("Rejected");
        int transactionId = startOn(1);
        assertThat(status("RemoteStopTransaction", "{\"transactionId\":" + transactionId + "}")).isEqualTo("Accepted");

        await().atMost(WAIT).until(() -> harness.statuses(CP, 1).size() == 5);
        assertThat(harness.received(CP, "StopTransaction")).singleElement().extracting(ReceivedCall::payloadJson)
                .asString().contains("\"transactionId\":" + transactionId, "\"reason\":\"Remote\"");
        assertThat(harness.statuses(CP, 1)).containsExactly("Available", "Preparing", "Charging", "Finishing",
                "Available");
        assertThat(chargePoint.status(2)).isEqualTo(ConnectorStatus.CHARGING);
        TransactionCheck check = harness.csms.checkTransactions();
        assertThat(check.isClean()).as(check.toString()).isTrue();
        assertThat(check.openTransactions()).containsOnlyKeys(CP);
    }

    @Test
    void remoteStartIsAuthorizedFirstWhenConfiguredSo() throws Exception {
        assertThat(status("ChangeConfiguration", "{\"key\":\"AuthorizeRemoteTxRequests\",\"value\":\"true\"}"))
                .isEqualTo("Accepted");

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"DRIVER-9\"}")).isEqualTo("Accepted");

        await().atMost(WAIT).until(() -> startOn(2) != null);
        assertThat(harness.csms.messagesOf(CP)).extracting(CallRecord::action)
                .containsSubsequence("Authorize", "StartTransaction");
        assertThat(harness.received(CP, "Authorize")).singleElement().extracting(ReceivedCall::payloadJson)
                .asString().contains("DRIVER-9");
    }

    @Test
    void malformedOrUnknownRequestsGetTheCallErrorsOcppNames() throws Exception {
        assertThat(errorCode("RemoteStartTransaction", "{}")).isEqualTo("OccurenceConstraintViolation");
        assertThat(errorCode("RemoteStartTransaction", "{\"idTag\":5}")).isEqualTo("TypeConstraintViolation");
        assertThat(errorCode("RemoteStartTransaction", "{\"idTag\":\"ABCDEFGHIJKLMNOPQRSTU\"}"))
                .isEqualTo("PropertyConstraintViolation");
        assertThat(errorCode("Reset", "{\"type\":\"Medium\"}")).isEqualTo("PropertyConstraintViolation");
        assertThat(errorCode("UnlockConnector", "{\"connectorId\":0}")).isEqualTo("PropertyConstraintViolation");
        assertThat(errorCode("UnlockConnector", "{\"connectorId\":\"one\"}")).isEqualTo("TypeConstraintViolation");
        assertThat(errorCode("UnlockConnector", "{\"connectorId\":1.5}")).isEqualTo("TypeConstraintViolation");
        assertThat(errorCode("ChangeConfiguration", "{\"key\":\"HeartbeatInterval\"}"))
                .isEqualTo("OccurenceConstraintViolation");
        assertThat(errorCode("GetConfiguration", "{\"key\":\"HeartbeatInterval\"}")).isEqualTo("TypeConstraintViolation");
        assertThat(errorCode("TriggerMessage", "{\"requestedMessage\":\"Everything\"}"))
                .isEqualTo("PropertyConstraintViolation");
        assertThat(errorCode("ReserveNow", "{}")).isEqualTo("NotImplemented");
        assertThat(errorCode("GetDiagnostics", "{\"location\":\"ftp://x\"}")).isEqualTo("NotImplemented");

        assertThat(status("UnlockConnector", "{\"connectorId\":3}")).isEqualTo("NotSupported");
        assertThat(status("ChangeAvailability", "{\"connectorId\":3,\"type\":\"Inoperative\"}")).isEqualTo("Rejected");
        assertThat(status("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":3}"))
                .isEqualTo("Rejected");
        assertThat(status("TriggerMessage", "{\"requestedMessage\":\"FirmwareStatusNotification\"}"))
                .isEqualTo("NotImplemented");
        assertThat(status("DataTransfer", "{\"vendorId\":\"com.example\"}")).isEqualTo("UnknownVendorId");
        assertThat(chargePoint.isBooted()).isTrue();
    }

    @Test
    void getAndChangeConfiguration() throws Exception {
        JsonObject all = harness.call(CP, "GetConfiguration", "{}");
        Map<String, JsonObject> keys = keys(all.getAsJsonArray("configurationKey"));
        assertThat(keys).containsKeys("HeartbeatInterval", "MeterValueSampleInterval", "TransactionMessageAttempts",
                "TransactionMessageRetryInterval", "LocalAuthorizeOffline", "AllowOfflineTxForUnknownId",
                "ConnectionTimeOut", "NumberOfConnectors");
        assertThat(keys.get("NumberOfConnectors").get("value").getAsString()).isEqualTo("2");
        assertThat(keys.get("NumberOfConnectors").get("readonly").getAsBoolean()).isTrue();
        assertThat(keys.get("HeartbeatInterval").get("value").getAsString())
                .as("taken from BootNotification's answer").isEqualTo("60");
        assertThat(all.has("unknownKey")).isFalse();

        JsonObject some = harness.call(CP, "GetConfiguration", "{\"key\":[\"MeterValueSampleInterval\",\"Bogus\"]}");
        assertThat(keys(some.getAsJsonArray("configurationKey"))).containsOnlyKeys("MeterValueSampleInterval");
        assertThat(some.getAsJsonArray("unknownKey").toString()).isEqualTo("[\"Bogus\"]");

        assertThat(status("ChangeConfiguration", "{\"key\":\"NumberOfConnectors\",\"value\":\"4\"}")).isEqualTo("Rejected");
        assertThat(status("ChangeConfiguration", "{\"key\":\"Bogus\",\"value\":\"1\"}")).isEqualTo("NotSupported");
        assertThat(status("ChangeConfiguration", "{\"key\":\"HeartbeatInterval\",\"value\":\"soon\"}")).isEqualTo("Rejected");
        assertThat(harness.csms.count("Heartbeat")).isZero();

        assertThat(status("ChangeConfiguration", "{\"key\":\"HeartbeatInterval\",\"value\":\"1\"}")).isEqualTo("Accepted");

        await().atMost(WAIT).until(() -> harness.csms.count("Heartbeat") >= 2);
        assertThat(chargePoint.configuration().value("HeartbeatInterval")).hasValue("1");
    }

    @Test
    void triggerMessageAnswersFirstThenSendsTheMessage() throws Exception {
        for (String message : List.of("BootNotification", "Heartbeat", "MeterValues")) {
            long before = harness.csms.count(message);
            assertThat(status("TriggerMessage", "{\"requestedMessage\":\"" + message + "\",\"connectorId\":1}"))
                    .isEqualTo("Accepted");

            await().atMost(WAIT).until(() -> harness.csms.count(message) == before + 1);
            List<CallRecord> log = harness.csms.messagesOf(CP);
            int answer = lastIndexOf(log, CallRecord.Type.CALLRESULT, "TriggerMessage");
            assertThat(answer).as(message + " answered").isNotNegative();
            assertThat(lastIndexOf(log, CallRecord.Type.CALL, message)).as(message + " sent after the answer")
                    .isGreaterThan(answer);
        }
        assertThat(harness.received(CP, "MeterValues")).singleElement().extracting(ReceivedCall::payloadJson).asString()
                .contains("\"connectorId\":1", "\"context\":\"Trigger\"").doesNotContain("transactionId");

        long statuses = harness.csms.count("StatusNotification");
        assertThat(status("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.csms.count("StatusNotification") == statuses + 3);
        assertThat(status("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":2}"))
                .isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.csms.count("StatusNotification") == statuses + 4);
    }

    @Test
    void changeAvailabilityNowOrOnceTheTransactionIsOver() throws Exception {
        assertThat(status("ChangeAvailability", "{\"connectorId\":2,\"type\":\"Inoperative\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.statuses(CP, 2).equals(List.of("Available", "Unavailable")));
        assertThat(status("RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"D\"}")).isEqualTo("Rejected");
        try (RedisClient redis = RedisClients.create(URI.create(harness.redis.uri()), 1)) {
            await().atMost(WAIT).until(() -> "Unavailable".equals(redis.hget(RedisKeys.connectors(CP), "2")));
        }
        assertThat(status("ChangeAvailability", "{\"connectorId\":2,\"type\":\"Operative\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> chargePoint.status(2) == ConnectorStatus.AVAILABLE);

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"D\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> startOn(1) != null);
        assertThat(status("ChangeAvailability", "{\"connectorId\":1,\"type\":\"Inoperative\"}")).isEqualTo("Scheduled");
        assertThat(chargePoint.status(1)).isEqualTo(ConnectorStatus.CHARGING);
        assertThat(status("RemoteStopTransaction", "{\"transactionId\":" + startOn(1) + "}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.statuses(CP, 1).size() == 5);
        assertThat(harness.statuses(CP, 1)).endsWith("Charging", "Finishing", "Unavailable");

        assertThat(status("ChangeAvailability", "{\"connectorId\":0,\"type\":\"Inoperative\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> chargePoint.status(0) == ConnectorStatus.UNAVAILABLE
                && harness.statuses(CP, 0).contains("Unavailable") && chargePoint.status(2) == ConnectorStatus.UNAVAILABLE);
        assertThat(status("ChangeAvailability", "{\"connectorId\":0,\"type\":\"Operative\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.statuses(CP, 0).size() == 3 && harness.statuses(CP, 1).size() == 6
                && chargePoint.status(2) == ConnectorStatus.AVAILABLE);
        assertThat(harness.statuses(CP, 0)).containsExactly("Available", "Unavailable", "Available");
        assertThat(harness.statuses(CP, 1)).endsWith("Unavailable", "Available");
    }

    @Test
    void unlockConnectorFaultsAndClearCache() throws Exception {
        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"TAG-A\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> startOn(1) != null);
        assertThat(status("UnlockConnector", "{\"connectorId\":1}")).isEqualTo("Unlocked");
        await().atMost(WAIT).until(() -> harness.received(CP, "StopTransaction").size() == 1
                && chargePoint.status(1) == ConnectorStatus.AVAILABLE);
        assertThat(harness.received(CP, "StopTransaction").get(0).payloadJson()).contains("\"reason\":\"UnlockCommand\"");

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"TAG-B\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> startOn(2) != null);
        chargePoint.fault(2, "GroundFailure");
        await().atMost(WAIT).until(() -> harness.received(CP, "StopTransaction").size() == 2);
        assertThat(harness.received(CP, "StopTransaction").get(1).payloadJson()).contains("\"reason\":\"Other\"");
        assertThat(harness.received(CP, "StatusNotification")).anySatisfy(call -> assertThat(call.payloadJson())
                .contains("\"connectorId\":2", "\"errorCode\":\"GroundFailure\"", "\"status\":\"Faulted\""));
        assertThat(status("RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"TAG-B\"}")).isEqualTo("Rejected");
        chargePoint.clearFault(2);
        await().atMost(WAIT).until(() -> harness.statuses(CP, 2).size() >= 5
                && harness.statuses(CP, 2).get(harness.statuses(CP, 2).size() - 1).equals("Available"));
        // Faulted hides Finishing; if the fault is cleared before the cable is out, Finishing shows again.
        assertThat(harness.statuses(CP, 2)).startsWith("Available", "Preparing", "Charging", "Faulted")
                .endsWith("Available").doesNotContain("Unavailable");

        try (RedisClient redis = RedisClients.create(URI.create(harness.redis.uri()), 1)) {
            // Every idTagInfo the CSMS returned (here in StartTransaction's answers) is in the local cache.
            await().atMost(WAIT).until(() -> redis.hgetAll(RedisKeys.authorizations(CP)).keySet()
                    .containsAll(List.of("TAG-A", "TAG-B")));
            assertThat(status("ClearCache", "{}")).isEqualTo("Accepted");
            assertThat(redis.exists(RedisKeys.authorizations(CP))).isFalse();
        }
    }

    @Test
    void softAndHardResetStopTransactionsAndReboot() throws Exception {
        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"TAG-A\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> startOn(1) != null);

        assertThat(status("Reset", "{\"type\":\"Soft\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.csms.count("BootNotification") == 2 && chargePoint.isBooted());
        List<String> afterSoft = actions();
        assertThat(afterSoft).containsSubsequence("StopTransaction", "BootNotification");
        assertThat(harness.received(CP, "StopTransaction").get(0).payloadJson()).contains("\"reason\":\"SoftReset\"");

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"TAG-B\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> startOn(2) != null);
        assertThat(status("Reset", "{\"type\":\"Hard\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.csms.count("BootNotification") == 3
                && harness.received(CP, "StopTransaction").size() == 2);
        assertThat(harness.received(CP, "StopTransaction").get(1).payloadJson()).contains("\"reason\":\"HardReset\"");
        await().atMost(WAIT).until(() -> chargePoint.isBooted() && chargePoint.status(2) == ConnectorStatus.AVAILABLE);
        TransactionCheck check = harness.csms.checkTransactions();
        assertThat(check.isClean()).as(check.toString()).isTrue();
        assertThat(check.openTransactions()).isEmpty();
    }

    @Test
    void chargingStartsBeforeStartTransactionIsAnsweredAndItsMessagesCarryTheIdWhenItIs() throws Exception {
        harness.csms.setReplyDelay(Duration.ofMillis(1_500));

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"TAG-A\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> chargePoint.status(1) == ConnectorStatus.CHARGING);
        assertThat(status("UnlockConnector", "{\"connectorId\":1}")).isEqualTo("Unlocked");
        await().atMost(WAIT).until(() -> chargePoint.status(1) != ConnectorStatus.CHARGING);
        // The session is over and its StartTransaction still waits behind the first, slow, StatusNotification.
        assertThat(harness.received(CP, "StartTransaction")).isEmpty();
        await().atMost(WAIT).until(() -> !harness.received(CP, "StartTransaction").isEmpty());
        harness.csms.setReplyDelay(Duration.ZERO);

        await().atMost(WAIT).until(() -> !harness.received(CP, "StopTransaction").isEmpty());
        List<CallRecord> transaction = harness.csms.messagesOf(CP).stream()
                .filter(m -> m.transactionId() != null).toList();
        assertThat(transaction).extracting(CallRecord::action).containsExactly("StartTransaction", "StopTransaction");
        assertThat(transaction).extracting(CallRecord::transactionId).containsOnly(startOn(1));
        assertThat(harness.received(CP, "StopTransaction").get(0).payloadJson()).contains("\"reason\":\"UnlockCommand\"");
        assertThat(harness.csms.maxOutstandingCalls()).containsEntry(CP, 1);
    }

    @Test
    void aStartTransactionTheCsmsRejectsCallsTheSessionOffAndNothingElseOfItIsSent() throws Exception {
        harness.csms.setCallErrorMode(true);

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"TAG-A\"}")).isEqualTo("Accepted");

        await().atMost(WAIT).until(() -> !harness.received(CP, "StartTransaction").isEmpty()
                && chargePoint.status(1) == ConnectorStatus.AVAILABLE);
        harness.csms.setCallErrorMode(false);
        assertThat(harness.received(CP, "MeterValues")).isEmpty();
        assertThat(harness.received(CP, "StopTransaction")).isEmpty();
    }

    @Test
    void aStopTransactionTheCsmsRejectsIsTriedTransactionMessageAttemptsTimes() throws Exception {
        assertThat(status("ChangeConfiguration", "{\"key\":\"TransactionMessageAttempts\",\"value\":\"3\"}"))
                .isEqualTo("Accepted");
        assertThat(status("ChangeConfiguration", "{\"key\":\"TransactionMessageRetryInterval\",\"value\":\"0\"}"))
                .isEqualTo("Accepted");
        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"TAG-A\"}")).isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> startOn(1) != null);
        harness.csms.setCallErrorMode(true);

        assertThat(status("RemoteStopTransaction", "{\"transactionId\":" + startOn(1) + "}")).isEqualTo("Accepted");

        await().atMost(WAIT).until(() -> harness.received(CP, "StopTransaction").size() == 3);
        // Given up after the third: a StatusNotification later, still three.
        long statuses = harness.csms.count("StatusNotification");
        assertThat(status("TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":1}"))
                .isEqualTo("Accepted");
        await().atMost(WAIT).until(() -> harness.csms.count("StatusNotification") > statuses);
        assertThat(harness.received(CP, "StopTransaction")).hasSize(3);
        harness.csms.setCallErrorMode(false);
    }

    @Test
    void aPreparingConnectorGivesUpAfterConnectionTimeOut() throws Exception {
        assertThat(status("ChangeConfiguration", "{\"key\":\"ConnectionTimeOut\",\"value\":\"1\"}")).isEqualTo("Accepted");
        assertThat(status("ChangeConfiguration", "{\"key\":\"AuthorizeRemoteTxRequests\",\"value\":\"true\"}"))
                .isEqualTo("Accepted");
        harness.csms.setSilent(true);

        assertThat(status("RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"TAG-A\"}")).isEqualTo("Accepted");

        await().atMost(WAIT).until(() -> harness.statuses(CP, 1).equals(List.of("Available", "Preparing"))
                || chargePoint.status(1) == ConnectorStatus.PREPARING);
        await().atMost(WAIT).until(() -> chargePoint.status(1) == ConnectorStatus.AVAILABLE);
        assertThat(harness.received(CP, "StartTransaction")).isEmpty();
        harness.csms.setSilent(false);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private String status(String action, String payload) throws Exception {
        return harness.callStatus(CP, action, payload);
    }

    private String errorCode(String action, String payload) {
        Throwable error = failure(harness.csms.callChargePoint(CP, action, payload));
        assertThat(error).as(action + " " + payload).isInstanceOf(OcppCallErrorException.class);
        return ((OcppCallErrorException) error).getErrorCode();
    }

    /** The transaction id the CSMS gave the latest StartTransaction on a connector, or null. */
    private Integer startOn(int connectorId) {
        Integer id = null;
        for (CallRecord call : harness.csms.messagesOf(CP)) {
            if (call.action().equals("StartTransaction") && call.connectorId() == connectorId) {
                id = call.transactionId();
            }
        }
        return id;
    }

    private static int lastIndexOf(List<CallRecord> log, CallRecord.Type type, String action) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).type() == type && log.get(i).action().equals(action)) {
                return i;
            }
        }
        return -1;
    }

    private List<String> actions() {
        List<String> actions = new ArrayList<>();
        harness.csms.messagesOf(CP).stream().filter(call -> call.type() == CallRecord.Type.CALL)
                .forEach(call -> actions.add(call.action()));
        return actions;
    }

    private static Map<String, JsonObject> keys(JsonArray configurationKey) {
        Map<String, JsonObject> keys = new java.util.LinkedHashMap<>();
        for (JsonElement entry : configurationKey) {
            keys.put(entry.getAsJsonObject().get("key").getAsString(), entry.getAsJsonObject());
        }
        return keys;
    }
}
