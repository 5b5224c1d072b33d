package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.ocpp.FakeOcppClient;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.config.BreakerSettings;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.config.OfflineSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OcppGuardTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Breaker breaker = new Breaker(BreakerSettings.ocppDefaults(), scheduler);
    private final OcppTarget target = new OcppTarget("generic", FakeOcppClient.class.getName(), "send", 0, 1,
            FakeOcppClient.NotConnected.class.getName(), null);
    private final OcppGuard guard = new OcppGuard(breaker, List.of(target), OfflineSettings.defaults(), scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Object> queuedWhileOpen(FakeOcppClient client, String action, String payload) {
        Object entered = guard.enter(0, client, new Object[] {action, payload}, CompletableFuture.class.getName());
        assertThat(entered).isInstanceOf(ShortCircuit.class);
        return (CompletableFuture<Object>) ((ShortCircuit) entered).value;
    }

    @Test
    void onDetachQueuedMessagesGoBackToTheApplicationInOrder() {
        FakeOcppClient client = new FakeOcppClient();
        breaker.forceOpen();
        CompletableFuture<Object> start = queuedWhileOpen(client, "StartTransaction", "{\"connectorId\":1,\"idTag\":\"A\"}");
        CompletableFuture<Object> stop = queuedWhileOpen(client, "StopTransaction", "{\"transactionId\":1}");
        assertThat(guard.queuedMessages()).isEqualTo(2);

        guard.handBack();

        assertThat(client.sent).containsExactly("StartTransaction {\"connectorId\":1,\"idTag\":\"A\"}", "StopTransaction {\"transactionId\":1}");
        assertThat(start).isCompletedWithValue("{}");
        assertThat(stop).isCompletedWithValue("{}");
        assertThat(guard.queuedMessages()).isZero();
    }

    @Test
    void aFullQueueDropsTheOldestMeterValuesButNeverAStartOrStop() {
        OcppGuard small = new OcppGuard(breaker, List.of(target),
                new OfflineSettings(true, 3, 3, java.time.Duration.ofSeconds(1), true, false, 10), scheduler);
        FakeOcppClient client = new FakeOcppClient();
        breaker.forceOpen();
        Object[] start = {"StartTransaction", "{\"connectorId\":1}"};
        Object[] meter = {"MeterValues", "{\"transactionId\":1}"};
        Object[] stop = {"StopTransaction", "{\"transactionId\":1}"};
        String type = CompletableFuture.class.getName();
        small.enter(0, client, start, type);
        CompletableFuture<?> firstMeter = (CompletableFuture<?>) ((ShortCircuit) small.enter(0, client, meter, type)).value;
        small.enter(0, client, meter, type);
        CompletableFuture<?> stopped = (CompletableFuture<?>) ((ShortCircuit) small.enter(0, client, stop, type)).value;

        assertThat(firstMeter).isCompletedExceptionally(); // the oldest MeterValues made room
        assertThat(stopped).isNotDone(); // the Stop waits for delivery
        assertThat(small.droppedMessages()).isEqualTo(1);
        assertThat(small.queuedMessages()).isEqualTo(3);
    }

    @Test
    void aStopQueuedBeforeItsStartWasAnsweredIsSentWithTheAssignedTransactionIdButAKnownIdIsLeftAlone() {
        FakeOcppClient client = new FakeOcppClient();
        client.csms = action -> CompletableFuture.completedFuture(
                action.equals("StartTransaction") ? "{\"transactionId\":7,\"idTagInfo\":{\"status\":\"Accepted\"}}" : "{}");
        String type = CompletableFuture.class.getName();
        // Online: transaction 3 was started and its id is known.
        Object token = guard.enter(0, client, new Object[] {"StartTransaction", "{\"connectorId\":2}"}, type);
        guard.exit(token, System.nanoTime(), CompletableFuture.completedFuture("{\"transactionId\":3}"), null);

        breaker.forceOpen();
        queuedWhileOpen(client, "StartTransaction", "{\"connectorId\":1,\"idTag\":\"A\"}");
        queuedWhileOpen(client, "MeterValues", "{\"connectorId\":1,\"transactionId\":-1,\"meterValue\":[]}");
        queuedWhileOpen(client, "StopTransaction", "{\"transactionId\":3,\"meterStop\":5}"); // the known one
        CompletableFuture<Object> stop = queuedWhileOpen(client, "StopTransaction", "{\"transactionId\":-1,\"meterStop\":9}");
        breaker.reset();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(stop::isDone);
        assertThat(client.sent).containsExactly(
                "StartTransaction {\"connectorId\":1,\"idTag\":\"A\"}",
                "MeterValues {\"connectorId\":1,\"transactionId\":7,\"meterValue\":[]}",
                "StopTransaction {\"transactionId\":3,\"meterStop\":5}",
                "StopTransaction {\"transactionId\":7,\"meterStop\":9}");
    }

    @Test
    void aTransactionMessageThatTimesOutWhileClosedIsInDoubtAndNeverSentAgain() {
        Breaker quick = new Breaker(new BreakerSettings("ocpp-in-doubt", true, 5, 2, java.time.Duration.ofMillis(200),
                java.time.Duration.ofMillis(300)), scheduler);
        OcppGuard timed = new OcppGuard(quick, List.of(target), OfflineSettings.defaults(), scheduler);
        FakeOcppClient client = new FakeOcppClient();
        client.csms = action -> new CompletableFuture<>(); // sent, never answered: did the CSMS get it?
        Object[] start = {"StartTransaction", "{\"connectorId\":1}"};
        Object token = timed.enter(0, client, start, CompletableFuture.class.getName());
        assertThat(token).isNotInstanceOf(ShortCircuit.class);
        CompletableFuture<String> reply = client.send("StartTransaction", "{\"connectorId\":1}");
        timed.exit(token, System.nanoTime(), reply, null);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(reply::isDone);
        assertThat(reply.handle((value, error) -> error).join()).isInstanceOf(java.util.concurrent.TimeoutException.class);
        quick.forceOpen();
        quick.reset(); // a transition that would start any delivery
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(2))
                .until(() -> client.sent.size() == 1 && timed.queuedMessages() == 0);
    }
}
