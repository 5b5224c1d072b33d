package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.ocpp.FakeOcppClient;
import io.breakwater.agent.boot.ShortCircuit;
import io.breakwater.agent.breaker.Breaker;
import io.breakwater.agent.config.BreakerSettings;
import io.breakwater.agent.config.OcppTarget;
import io.breakwater.agent.config.OfflineSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
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
    void messagesQueuedForAConnectionTheApplicationDiscardedAreCountedOutAsDroppedAndTheirCallersTold() {
        breaker.forceOpen();
        CompletableFuture<Object> stop = queueStopForAClientNobodyKeeps();
        assertThat(guard.droppedMessages()).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc(); // the only way to have the weak key collected
            guard.sweepDiscarded();
            return guard.queuedMessages() == 0;
        });

        assertThat(guard.droppedMessages()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(stop::isDone); // told on the agent's scheduler
        assertThat(stop.handle((value, error) -> error.getMessage()).join()).contains("connection discarded");
    }

    /** Queues a StopTransaction on a client that is unreachable once this returns. */
    private CompletableFuture<Object> queueStopForAClientNobodyKeeps() {
        CompletableFuture<Object> stop = queuedWhileOpen(new FakeOcppClient(), "StopTransaction", "{\"transactionId\":7}");
        assertThat(guard.queuedMessages()).isEqualTo(1);
        return stop;
    }

    /** One call through the guard with the breaker letting it pass, the send method returning {@code returned}. */
    private static Object sendThrough(OcppGuard guard, FakeOcppClient client, String action, String payload,
            CompletableFuture<String> returned) {
        Object[] arguments = {action, payload};
        Object token = guard.enter(0, client, arguments, CompletableFuture.class.getName());
        assertThat(token).isNotNull().isNotInstanceOf(ShortCircuit.class);
        client.sent.add(action + " " + payload);
        ShortCircuit replaced = guard.exit(token, System.nanoTime(), returned, null);
        return replaced == null ? returned : replaced.value;
    }

    @Test
    void aTransactionMessageThatFailedBeforeItLeftIsQueuedAndDeliveredOnceTheLinkIsBack() {
        OcppGuard quick = new OcppGuard(breaker, List.of(target),
                new OfflineSettings(true, 100, 3, Duration.ofMillis(50), true, false, 10), scheduler);
        FakeOcppClient client = new FakeOcppClient();
        client.csms = action -> CompletableFuture.failedFuture(new FakeOcppClient.NotConnected("not connected"));

        Object start = sendThrough(quick, client, "StartTransaction", "{\"connectorId\":1,\"idTag\":\"A\"}",
                CompletableFuture.failedFuture(new FakeOcppClient.NotConnected("not connected")));
        // The next transaction message waits behind it, without reaching the stack.
        Object meter = ((ShortCircuit) quick.enter(0, client, new Object[] {"MeterValues",
                "{\"connectorId\":1,\"transactionId\":1}"}, CompletableFuture.class.getName())).value;

        assertThat(start).isInstanceOf(CompletableFuture.class);
        assertThat((CompletableFuture<?>) start).isNotDone();
        assertThat((CompletableFuture<?>) meter).isNotDone();
        assertThat(breaker.state()).isEqualTo("closed");
        client.csms = action -> CompletableFuture.completedFuture("{\"transactionId\":1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> ((CompletableFuture<?>) meter).isDone());
        assertThat(((CompletableFuture<?>) start).join()).isEqualTo("{\"transactionId\":1}");
        assertThat(client.sent).endsWith("StartTransaction {\"connectorId\":1,\"idTag\":\"A\"}",
                "MeterValues {\"connectorId\":1,\"transactionId\":1}");
        assertThat(quick.queuedMessages()).isZero();
        assertThat(quick.deliveredMessages()).isEqualTo(2);
    }

    @Test
    void aTransactionMessageThatFailedInFlightIsNotQueuedAgain() {
        FakeOcppClient client = new FakeOcppClient();
        CompletableFuture<String> inFlight = new CompletableFuture<>();
        Object stop = sendThrough(guard, client, "StopTransaction", "{\"transactionId\":1}", inFlight);
        inFlight.completeExceptionally(new FakeOcppClient.NotConnected("connection closed"));

        assertThat(stop).isSameAs(inFlight); // in doubt: the CSMS may have it, so it is the application's to retry
        assertThat(guard.queuedMessages()).isZero();
    }

    @Test
    void otherMessagesThatFailedBeforeTheyLeftAreNotQueued() {
        FakeOcppClient client = new FakeOcppClient();
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new FakeOcppClient.NotConnected("not connected"));

        assertThat(sendThrough(guard, client, "Heartbeat", "{}", failed)).isSameAs(failed);
        assertThat(sendThrough(guard, client, "MeterValues", "{\"connectorId\":0}", failed)).isSameAs(failed);
        assertThat(guard.queuedMessages()).isZero();
    }

    /**
     * Every transition to HALF_OPEN or CLOSED makes every queue try to deliver, and recoveries make many: a delivery
     * attempt that comes while the previous message's answer is being handled must not send that message again.
     * (It did, at 1,000 charge points: the in-flight flag was cleared before the answered message left the queue.)
     */
    @Test
    void deliveryAttemptsDuringTheHandlingOfAnAnswerNeverSendAMessageTwice() {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
        ExecutorService csmsThreads = Executors.newFixedThreadPool(2);
        try {
            Breaker quick = new Breaker(new BreakerSettings("ocpp-csms", true, 5, 2, Duration.ofSeconds(5),
                    Duration.ofMillis(4)), timers);
            OcppGuard g = new OcppGuard(quick, List.of(target),
                    new OfflineSettings(true, 10_000, 3, Duration.ofMillis(10), true, false, 10), timers);
            FakeOcppClient client = new FakeOcppClient();
            client.csms = action -> CompletableFuture.supplyAsync(() -> "{}", csmsThreads);
            quick.forceOpen();
            List<CompletableFuture<Object>> callers = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                callers.add((CompletableFuture<Object>) ((ShortCircuit) g.enter(0, client, new Object[] {"MeterValues",
                        "{\"connectorId\":1,\"transactionId\":1,\"n\":" + i + "}"}, CompletableFuture.class.getName())).value);
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new));

            quick.forceClosed();
            for (int i = 0; i < 20_000 && !all.isDone(); i++) {
                quick.forceClosed(); // CLOSED -> CLOSED: every queue is asked to deliver again
            }
            await().atMost(Duration.ofSeconds(20)).until(all::isDone);

            assertThat(client.sent).hasSize(300).doesNotHaveDuplicates();
            assertThat(g.deliveredMessages()).isEqualTo(300);
        } finally {
            timers.shutdownNow();
            csmsThreads.shutdownNow();
        }
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

    /** Caffeine initialises JDK logging: nothing is built with the guard or for calls that need nothing kept. */
    @Test
    void theOfflineCachesAreBuiltOnceTheApplicationIsUpOrByTheFirstCallThatNeedsThem() {
        FakeOcppClient client = new FakeOcppClient();
        assertThat(guard.fallbackBuilt()).isFalse();

        sendThrough(guard, client, "Heartbeat", "{}", CompletableFuture.completedFuture("{}"));
        assertThat(guard.fallbackBuilt()).as("a successful call with nothing to remember").isFalse();
        assertThat(guard.cachedAuthorizations()).isZero();
        assertThat(guard.oldestQueuedSeconds()).isZero();
        guard.handBack();
        assertThat(guard.fallbackBuilt()).as("reading and detaching build nothing").isFalse();

        guard.buildFallback();
        assertThat(guard.fallbackBuilt()).isTrue();
    }

    @Test
    void aRefusedCallBuildsTheOfflineQueueItNeeds() {
        FakeOcppClient client = new FakeOcppClient();
        breaker.forceOpen();

        CompletableFuture<Object> start = queuedWhileOpen(client, "StartTransaction", "{\"connectorId\":1,\"idTag\":\"A\"}");

        assertThat(start).isNotDone();
        assertThat(guard.queuedMessages()).isEqualTo(1);
    }

    @Test
    void whatTheCsmsSaidBeforeTheApplicationIsUpIsRemembered() {
        FakeOcppClient client = new FakeOcppClient();
        sendThrough(guard, client, "Authorize", "{\"idTag\":\"BLOCKED\"}",
                CompletableFuture.completedFuture("{\"idTagInfo\":{\"status\":\"Blocked\"}}"));

        assertThat(guard.cachedAuthorizations()).isEqualTo(1);
        breaker.forceOpen();
        Object answer = guard.enter(0, client, new Object[] {"Authorize", "{\"idTag\":\"BLOCKED\"}"}, CompletableFuture.class.getName());
        assertThat(((CompletableFuture<?>) ((ShortCircuit) answer).value).join().toString()).contains("Blocked");
    }
}
