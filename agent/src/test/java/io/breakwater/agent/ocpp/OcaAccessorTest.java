package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import eu.chargetime.ocpp.model.core.AuthorizationStatus;
import eu.chargetime.ocpp.model.core.AuthorizeConfirmation;
import eu.chargetime.ocpp.model.core.AuthorizeRequest;
import eu.chargetime.ocpp.model.core.HeartbeatRequest;
import eu.chargetime.ocpp.model.core.IdTagInfo;
import eu.chargetime.ocpp.model.core.MeterValuesRequest;
import eu.chargetime.ocpp.model.core.StartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.StartTransactionRequest;
import eu.chargetime.ocpp.model.core.StatusNotificationConfirmation;
import eu.chargetime.ocpp.model.core.StatusNotificationRequest;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The accessor on Java-OCA-OCPP's own request and confirmation objects (v1_6 1.1.0). */
class OcaAccessorTest {
    private final OcaAccessor accessor = new OcaAccessor();

    @Test
    void theActionIsTheRequestClassWithoutRequest() {
        assertThat(accessor.action(new Object[] {new StartTransactionRequest()})).isEqualTo("StartTransaction");
        assertThat(accessor.action(new Object[] {new HeartbeatRequest()})).isEqualTo("Heartbeat");
        assertThat(accessor.action(new Object[] {"not a request"})).isEmpty();
        assertThat(accessor.action(new Object[] {null})).isEmpty();
    }

    @Test
    void requestFieldsAreReadThroughTheirGetters() {
        StartTransactionRequest start = new StartTransactionRequest(2, "TAG-1", 100, ZonedDateTime.now());
        assertThat(accessor.requestString(new Object[] {start}, "idTag")).isEqualTo("TAG-1");
        assertThat(accessor.requestInteger(new Object[] {start}, "connectorId")).isEqualTo(2);
        assertThat(accessor.requestInteger(new Object[] {start}, "transactionId")).isNull(); // Start has none
        assertThat(accessor.requestInteger(new Object[] {new MeterValuesRequest(1)}, "transactionId")).isNull();
        assertThat(accessor.requestInteger(new Object[] {new StatusNotificationRequest()}, "connectorId")).isNull();
    }

    @Test
    void theTransactionIdIsSetOnTheRequestItself() {
        StopTransactionRequest stop = new StopTransactionRequest(10, ZonedDateTime.now(), -1);
        Object[] arguments = {stop};
        assertThat(accessor.withTransactionId(arguments, 42)).isSameAs(arguments);
        assertThat(stop.getTransactionId()).isEqualTo(42);
        assertThat(accessor.withTransactionId(new Object[] {new AuthorizeRequest("A")}, 42)).isNull(); // no such setter
    }

    @Test
    void repliesAreReadAndBuiltAsTheLibrarysObjects() {
        IdTagInfo info = new IdTagInfo(AuthorizationStatus.Blocked);
        ZonedDateTime expiry = ZonedDateTime.now().plusDays(1);
        info.setExpiryDate(expiry);
        StartTransactionConfirmation started = new StartTransactionConfirmation(info, 7);

        io.breakwater.agent.ocpp.IdTagInfo read = accessor.idTagInfo(started);
        assertThat(read.status()).isEqualTo("Blocked");
        assertThat(read.expiry()).isEqualTo(expiry.toInstant());
        assertThat(read.original()).as("no application object in the agent's cache").isNull();
        assertThat(accessor.replyTransactionId(started)).isEqualTo(7);
        assertThat(accessor.idTagInfo(new StatusNotificationConfirmation())).isNull();

        Object[] authorize = {new AuthorizeRequest("A")};
        // Built afresh from the asking loader's classes: the status (the cache itself honours the expiry).
        assertThat(accessor.authorizeReply(authorize, read)).isEqualTo(new AuthorizeConfirmation(new IdTagInfo(AuthorizationStatus.Blocked)));
        assertThat(accessor.authorizeReply(authorize, io.breakwater.agent.ocpp.IdTagInfo.withStatus("Expired")))
                .isEqualTo(new AuthorizeConfirmation(new IdTagInfo(AuthorizationStatus.Expired)));
        assertThat(accessor.emptyReply(new Object[] {new StatusNotificationRequest()})).isInstanceOf(StatusNotificationConfirmation.class);
    }
}
