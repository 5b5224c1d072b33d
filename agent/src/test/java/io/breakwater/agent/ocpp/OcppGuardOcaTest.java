package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import eu.chargetime.ocpp.CallErrorException;
import eu.chargetime.ocpp.OccurenceConstraintException;
import eu.chargetime.ocpp.model.Confirmation;
import eu.chargetime.ocpp.model.Request;
import eu.chargetime.ocpp.model.core.AuthorizationStatus;
import eu.chargetime.ocpp.model.core.AuthorizeConfirmation;
import eu.chargetime.ocpp.model.core.ChargePointStatus;
import eu.chargetime.ocpp.model.core.MeterValuesRequest;
import eu.chargetime.ocpp.model.core.StartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.StartTransactionRequest;
import eu.chargetime.ocpp.model.core.StatusNotificationConfirmation;
import eu.chargetime.ocpp.model.core.StatusNotificationRequest;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.config.BreakerSettings;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.config.OfflineSettings;
import io.breakwater.testkit.OcaCentralSystem;
import io.breakwater.testkit.OcaChargePoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on Java-OCA-OCPP's {@code JSONClient#send}, between a real client and a real
 * {@code JSONServer}. {@link #send} does what the inlined advice does around the library's method.
 */
class OcppGuardOcaTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Breaker breaker = new Breaker(new BreakerSettings("ocpp-oca-test", true, 5, 2, Duration.ofSeconds(2),
            Duration.ofMillis(500)), scheduler);
    private final OcppGuard guard = new OcppGuard(breaker, List.of(OcppTarget.JAVA_OCA_OCPP),
            new OfflineSettings(true, 100, 3, Duration.ofMillis(100), true, false, 100), scheduler);
    private final OcaCentralSystem csms = OcaCentralSystem.start();
    private final OcaChargePoint chargePoint = new OcaChargePoint(csms.url(), "CP-OCA");

    @AfterEach
    void stop() {
        chargePoint.close();
        csms.close();
        scheduler.shutdownNow();
    }

    /** {@code JSONClient#send(request)} as instrumented: the guard before and after the library's own code. */
    @SuppressWarnings("unchecked")
    private CompletableFuture<Confirmation> send(Request request) throws Throwable {
        Object entered = guard.enter(0, chargePoint.client(), new Object[] {request}, CompletionStage.class.getName());
        if (entered instanceof ShortCircuit shortCircuit) {
            if (shortCircuit.thrown != null) {
                throw shortCircuit.thrown;
            }
            return (CompletableFuture<Confirmation>) shortCircuit.value;
        }
        CompletionStage<Confirmation> reply = chargePoint.send(request);
        if (entered != null) {
            guard.exit(entered, System.nanoTime(), reply, null);
        }
        return reply.toCompletableFuture();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return future.handle((value, error) -> error).join();
    }

    @Test
    void whileOpenTransactionsAreKeptFromTheLibraryAndDeliveredOnceInOrderWithTheAssignedTransactionId() throws Throwable {
        chargePoint.connect();
        await().atMost(Duration.ofSeconds(10)).until(chargePoint::isOpen);
        send(chargePoint.boot()).get();
        csms.authorize("BLOCKED", AuthorizationStatus.Blocked);
        assertThat(send(chargePoint.authorize("KNOWN")).get()).isInstanceOf(AuthorizeConfirmation.class); // learned
        assertThat(send(chargePoint.authorize("BLOCKED")).get()).isInstanceOf(AuthorizeConfirmation.class);
        int before = csms.received().size();

        breaker.forceOpen();
        AuthorizeConfirmation known = (AuthorizeConfirmation) send(chargePoint.authorize("KNOWN")).get();
        AuthorizeConfirmation blocked = (AuthorizeConfirmation) send(chargePoint.authorize("BLOCKED")).get();
        CompletableFuture<Confirmation> stranger = send(chargePoint.authorize("STRANGER"));
        CompletableFuture<Confirmation> heartbeat = send(chargePoint.heartbeat());
        CompletableFuture<Confirmation> status = send(chargePoint.status(1, ChargePointStatus.Charging));
        // The application has no transaction id before Start is answered: it sends -1 as a placeholder.
        CompletableFuture<Confirmation> start = send(chargePoint.start(1, "KNOWN", 0));
        CompletableFuture<Confirmation> meter = send(chargePoint.meterValues(1, -1, 500));
        CompletableFuture<Confirmation> stop = send(chargePoint.stop(-1, 1000));

        assertThat(known.getIdTagInfo().getStatus()).isEqualTo(AuthorizationStatus.Accepted); // from the cache
        assertThat(blocked.getIdTagInfo().getStatus()).isEqualTo(AuthorizationStatus.Blocked);
        assertThat(failure(stranger)).isInstanceOf(CallErrorException.class); // unknown tag, AllowOfflineTxForUnknownId=false
        assertThat(((CallErrorException) failure(heartbeat)).getErrorCode()).isEqualTo("Not connected");
        assertThat(status.get()).isInstanceOf(StatusNotificationConfirmation.class);
        assertThat(start).isNotDone();
        assertThat(guard.queuedMessages()).isEqualTo(3);
        assertThat(csms.received()).hasSize(before); // nothing was handed to the library

        breaker.reset();
        await().atMost(Duration.ofSeconds(10)).until(stop::isDone);
        int transactionId = ((StartTransactionConfirmation) start.get()).getTransactionId();
        assertThat(meter.get()).isNotNull();
        assertThat(csms.actions("CP-OCA").subList(before, csms.received().size()))
                .containsExactly("StartTransaction", "MeterValues", "StopTransaction", "StatusNotification");
        assertThat(csms.received("CP-OCA", MeterValuesRequest.class)).singleElement()
                .satisfies(m -> assertThat(m.getTransactionId()).isEqualTo(transactionId));
        assertThat(csms.received("CP-OCA", StopTransactionRequest.class)).singleElement()
                .satisfies(s -> assertThat(s.getTransactionId()).isEqualTo(transactionId));
        assertThat(csms.received("CP-OCA", StatusNotificationRequest.class)).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(ChargePointStatus.Charging));
        assertThat(guard.queuedMessages()).isZero();
        assertThat(guard.deliveredMessages()).isEqualTo(3);
    }

    @Test
    void aTransactionMessageForADisconnectedClientIsKeptByTheAgentNotByTheLibrary() throws Throwable {
        CompletableFuture<Confirmation> start = send(chargePoint.start(1, "KNOWN", 0)); // never connected yet
        assertThat(start).isNotDone();
        assertThat(breaker.failedCalls()).isPositive(); // a missing connection is a failure
        assertThat(csms.received()).isEmpty();

        chargePoint.connect();
        await().atMost(Duration.ofSeconds(10)).until(start::isDone);
        assertThat(start.get()).isInstanceOf(StartTransactionConfirmation.class);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> csms.received("CP-OCA", StartTransactionRequest.class).size() == 1); // and only once
    }

    @Test
    void anInvalidRequestIsRefusedWhileOpenAsTheLibraryWouldRefuseIt() {
        breaker.forceOpen();
        StopTransactionRequest incomplete = new StopTransactionRequest();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(incomplete)).isInstanceOf(OccurenceConstraintException.class);
        assertThat(guard.queuedMessages()).isZero();
    }
}
