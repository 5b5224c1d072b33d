package io.breakwater.simulator.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static io.breakwater.simulator.TestFutures.failure;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.ReceivedCall;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OcppCallQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A connection whose CALLs are completed by the test: it sees exactly what reaches {@code call}. */
    private static final class ScriptedConnection extends OcppConnection {
        final List<String> actions = new CopyOnWriteArrayList<>();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<String>> replies = new CopyOnWriteArrayList<>();
        final AtomicInteger maxOutstanding = new AtomicInteger();
        volatile boolean failAtOnce;

        ScriptedConnection() {
            super("CP-Q", URI.create("ws://127.0.0.1:1/ocpp/CP-Q"));
        }

        @Override
        public CompletableFuture<String> call(String action, String payloadJson) {
            actions.add(action);
            payloads.add(payloadJson);
            if (failAtOnce) {
                return CompletableFuture.failedFuture(new OcppTransportException("not connected"));
            }
            // CALLs handed over earlier and not completed yet, plus this one.
            long open = replies.stream().filter(f -> !f.isDone()).count() + 1;
            maxOutstanding.accumulateAndGet((int) open, Math::max);
            CompletableFuture<String> reply = new CompletableFuture<>();
            replies.add(reply);
            return reply;
        }
    }

    private final ScriptedConnection connection = new ScriptedConnection();
    private final OcppCallQueue queue = new OcppCallQueue(connection);

    @Test
    void callsLeaveOneAtATimeInOrder() {

        CompletableFuture<String> first = queue.submit("Authorize", "{\"idTag\":\"A\"}");
        CompletableFuture<String> second = queue.submit("StartTransaction", "{}");
        CompletableFuture<String> third = queue.submit("StatusNotification", "{}");

        assertThat(connection.actions).containsExactly("Authorize");
        assertThat(queue.waiting()).isEqualTo(2);
        connection.replies.get(0).complete("{\"a\":1}");
        assertThat(first).isCompletedWithValue("{\"a\":1}");
        assertThat(connection.actions).containsExactly("Authorize", "StartTransaction");
        assertThat(third).isNotDone();

        connection.replies.get(1).complete("{\"b\":2}");
        connection.replies.get(2).complete("{}");

        assertThat(second).isCompletedWithValue("{\"b\":2}");
        assertThat(third).isCompletedWithValue("{}");
        assertThat(connection.actions).containsExactly("Authorize", "StartTransaction", "StatusNotification");
        assertThat(connection.maxOutstanding).hasValue(1);
        assertThat(queue.isBusy()).isFalse();
    }

    @Test
    void aFailedCallFailsOnlyItsCallerAndTheQueueMovesOn() {
        CompletableFuture<String> rejected = queue.submit("StopTransaction", "{}");
        CompletableFuture<String> next = queue.submit("Heartbeat", "{}");

        connection.replies.get(0).completeExceptionally(new OcppCallErrorException("InternalError", "boom", "{}"));

        assertThat(failure(rejected)).isInstanceOf(OcppCallErrorException.class);
        assertThat(connection.actions).containsExactly("StopTransaction", "Heartbeat");
        connection.replies.get(1).complete("{}");
        assertThat(next).isCompletedWithValue("{}");
    }

    @Test
    void theQueueNeverTimesOutAnUnansweredCallButATimeoutAddedAtCallReleasesIt() {
        CompletableFuture<String> held = queue.submit("StartTransaction", "{}");
        CompletableFuture<String> behind = queue.submit("MeterValues", "{}");

        // Nothing happens on its own: the first CALL holds the line.
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> connection.actions.size() == 1);
        assertThat(held).isNotDone();
        assertThat(behind).isNotDone();

        // What a resilience layer does at call(): a timeout on the future call() returned.
        connection.replies.get(0).orTimeout(50, TimeUnit.MILLISECONDS);

        assertThat(failure(held)).isInstanceOf(TimeoutException.class);
        await().atMost(WAIT).until(() -> connection.actions.size() == 2);
        assertThat(connection.actions).containsExactly("StartTransaction", "MeterValues");
    }

    @Test
    void callsThatFailAtOnceDrainALongQueueWithoutRecursion() {
        CompletableFuture<String> gate = queue.submit("Heartbeat", "{}");
        connection.failAtOnce = true;
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            futures.add(queue.submit("MeterValues", "{\"n\":" + i + "}"));
        }

        connection.replies.get(0).complete("{}");

        assertThat(gate).isCompletedWithValue("{}");
        assertThat(futures).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(failure(futures.get(19_999))).isInstanceOf(OcppTransportException.class);
        assertThat(connection.payloads).hasSize(20_001).last().isEqualTo("{\"n\":19999}");
    }

    @Test
    void aPayloadSupplierIsEvaluatedWhenTheCallLeavesAndNullSkipsIt() {
        CompletableFuture<String> start = queue.submit("StartTransaction", "{}");
        CompletableFuture<String> meter = queue.submit("MeterValues",
                () -> start.isDone() ? "{\"transactionId\":" + start.join().replaceAll("\\D", "") + "}" : null);
        CompletableFuture<String> skipped = queue.submit("StopTransaction", () -> null);
        CompletableFuture<String> last = queue.submit("Heartbeat", "{}");

        connection.replies.get(0).complete("{\"transactionId\":7}");

        assertThat(connection.payloads).containsExactly("{}", "{\"transactionId\":7}");
        connection.replies.get(1).complete("{}");
        assertThat(meter).isCompletedWithValue("{}");
        assertThat(failure(skipped)).isInstanceOf(OcppCallQueue.Skipped.class);
        assertThat(connection.actions).containsExactly("StartTransaction", "MeterValues", "Heartbeat");
        connection.replies.get(2).complete("{}");
        assertThat(last).isDone();
    }

    @Test
    void closeFailsWaitingCallsAndRefusesNewOnes() {
        CompletableFuture<String> outstanding = queue.submit("Heartbeat", "{}");
        CompletableFuture<String> waiting = queue.submit("Heartbeat", "{}");

        queue.close(new OcppTransportException("charge point closed"));

        assertThat(failure(waiting)).isInstanceOf(OcppTransportException.class);
        assertThat(failure(queue.submit("Heartbeat", "{}"))).isInstanceOf(OcppTransportException.class);
        assertThat(outstanding).isNotDone();
        connection.replies.get(0).complete("{}");
        assertThat(outstanding).isCompletedWithValue("{}");
        assertThat(connection.actions).hasSize(1);
    }

    @Test
    void overARealWebSocketTheCsmsSeesOneCallAtATimeInSubmissionOrder() throws Exception {
        try (EmbeddedCsms csms = new EmbeddedCsms(0)) {
            csms.start();
            csms.setReplyDelay(Duration.ofMillis(5));
            OcppConnection real = new OcppConnection("CP-Q", URI.create(csms.url() + "/CP-Q"));
            try {
                real.connect().get(10, TimeUnit.SECONDS);
                OcppCallQueue realQueue = new OcppCallQueue(real);
                List<CompletableFuture<String>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    futures.add(realQueue.submit("StatusNotification", "{\"connectorId\":" + i
                            + ",\"errorCode\":\"NoError\",\"status\":\"Available\"}"));
                }
                await().atMost(WAIT).until(() -> futures.stream().allMatch(CompletableFuture::isDone));

                assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
                assertThat(csms.maxOutstandingCalls()).containsExactly(Map.entry("CP-Q", 1));
                assertThat(real.pendingCalls()).isZero();
                List<ReceivedCall> received = csms.received();
                assertThat(received).hasSize(40);
                for (int i = 0; i < 40; i++) {
                    assertThat(received.get(i).payloadJson()).startsWith("{\"connectorId\":" + i + ",");
                }
            } finally {
                real.close();
            }
        }
    }
}
