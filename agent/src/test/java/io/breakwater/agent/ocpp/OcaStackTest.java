package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import eu.chargetime.ocpp.CallErrorException;
import eu.chargetime.ocpp.NotConnectedException;
import eu.chargetime.ocpp.OccurenceConstraintException;
import eu.chargetime.ocpp.UnsupportedFeatureException;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import io.breakwater.agent.breaker.Outcome;
import io.breakwater.testkit.OcaCentralSystem;
import io.breakwater.testkit.OcaChargePoint;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Java-OCA-OCPP's errors and connection state as the agent reads them, on the real library. */
class OcaStackTest {
    private final OcaStack stack = new OcaStack();

    @Test
    void aCallErrorFromTheCsmsIsIgnoredButTheLibrarysNotConnectedIsAFailure() {
        assertThat(stack.classify(new CallErrorException("InternalError", "boom", null))).isEqualTo(Outcome.IGNORED);
        assertThat(stack.classify(new CompletionException(new CallErrorException("NotImplemented", "?", null)))).isEqualTo(Outcome.IGNORED);
        assertThat(stack.classify(new CallErrorException("Not connected", "The request can't be sent", null))).isEqualTo(Outcome.FAILURE);
        assertThat(stack.classify(new NotConnectedException())).isEqualTo(Outcome.FAILURE);
        assertThat(stack.classify(new TimeoutException())).isEqualTo(Outcome.FAILURE);
        assertThat(stack.classify(new IOException("reset"))).isEqualTo(Outcome.FAILURE);
        assertThat(stack.classify(new OccurenceConstraintException())).isEqualTo(Outcome.IGNORED); // the application's mistake
        assertThat(stack.classify(new UnsupportedFeatureException())).isEqualTo(Outcome.IGNORED);
        assertThat(stack.classify(null)).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void anUnsentMessageFailsAsTheLibraryReportsIt() {
        try (OcaChargePoint chargePoint = new OcaChargePoint("ws://127.0.0.1:1/ocpp", "CP-X")) {
            Throwable notSent = stack.notSent(chargePoint.client(), "[breakwater] breaker open; Heartbeat not sent");
            assertThat(notSent).isExactlyInstanceOf(CallErrorException.class);
            assertThat(((CallErrorException) notSent).getErrorCode()).isEqualTo("Not connected");
            assertThat(((CallErrorException) notSent).getErrorDescription()).contains("Heartbeat not sent");
            assertThat(((CallErrorException) notSent).getPayload()).isNull();
            assertThat(stack.classify(notSent)).isEqualTo(Outcome.FAILURE);
        }
        assertThat(stack.notSent(null, "x")).isInstanceOf(IOException.class);
    }

    @Test
    void anInvalidRequestIsRefusedAsTheLibraryWould() {
        assertThat(stack.refusal(new Object[] {new StopTransactionRequest()})).isExactlyInstanceOf(OccurenceConstraintException.class);
        assertThat(stack.refusal(new Object[] {new StopTransactionRequest(1, ZonedDateTime.now(), 3)})).isNull();
        assertThat(stack.refusal(new Object[] {"not a request"})).isNull();
    }

    @Test
    void theClientIsConnectedOnlyWhileItsWebSocketIsOpen() {
        try (OcaCentralSystem csms = OcaCentralSystem.start();
                OcaChargePoint chargePoint = new OcaChargePoint(csms.url(), "CP-C")) {
            assertThat(stack.isConnected(chargePoint.client())).isFalse(); // never connected
            chargePoint.connect();
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.isConnected(chargePoint.client()));
            csms.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !stack.isConnected(chargePoint.client()));
        }
        assertThat(stack.isConnected("something else")).isTrue(); // cannot tell
    }
}
