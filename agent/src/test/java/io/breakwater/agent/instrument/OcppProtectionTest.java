package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.ocpp.FakeOcppClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OCPP breaker on a generic send method: timeouts, fail fast, and the offline charge point's behaviour. */
class OcppProtectionTest {
    @BeforeAll
    static void install() {
        AgentInThisJvm.install();
    }

    @BeforeEach
    void closed() throws Exception {
        AgentInThisJvm.invoke("ocpp-csms", "reset");
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return future.handle((value, error) -> error).join();
    }

    @Test
    void aCsmsThatNeverAnswersTimesOutOpensTheBreakerAndThenCallsFailFast() {
        FakeOcppClient client = new FakeOcppClient();
        client.csms = action -> new CompletableFuture<>(); // the CSMS never answers
        for (int i = 0; i < 5; i++) {
            CompletableFuture<String> reply = client.send("Heartbeat", "{}");
            await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
            assertThat(failure(reply)).isInstanceOf(TimeoutException.class);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("ocpp-csms").equals("open"));

        int sentBefore = client.sent.size();
        CompletableFuture<String> rejected = client.send("DataTransfer", "{\"vendorId\":\"x\"}");
        assertThat(client.sent).hasSize(sentBefore); // never reached the stack
        assertThat(failure(rejected))
                .isExactlyInstanceOf(FakeOcppClient.NotConnected.class)
                .hasMessageContaining("circuit breaker 'ocpp-csms' is OPEN")
                .hasMessageContaining("DataTransfer not sent");

        CompletableFuture<String> silentBoot = client.send("BootNotification", "{}");
        assertThat(client.sent).hasSize(sentBefore + 1); // the probe is never refused...
        await().atMost(Duration.ofSeconds(5)).until(silentBoot::isDone);
        assertThat(failure(silentBoot)).isInstanceOf(TimeoutException.class); // ...but it does not hang either
        client.csms = action -> CompletableFuture.completedFuture("{\"status\":\"Accepted\"}");
        assertThat(client.send("BootNotification", "{}").join()).contains("Accepted");

        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("ocpp-csms").equals("half_open"));
        client.send("Heartbeat", "{}");
        client.send("Heartbeat", "{}");
        assertThat(AgentInThisJvm.state("ocpp-csms")).isEqualTo("closed");
    }

    @Test
    void whileOpenTransactionMessagesWaitInOrderAndAreDeliveredOnceTheCsmsIsBack() throws Exception {
        FakeOcppClient client = new FakeOcppClient();
        client.csms = action -> CompletableFuture.completedFuture(switch (action) {
            case "Authorize" -> "{\"idTagInfo\":{\"status\":\"Accepted\"}}";
            case "StartTransaction" -> "{\"transactionId\":7,\"idTagInfo\":{\"status\":\"Accepted\"}}";
            default -> "{}";
        });
        assertThat(client.send("Authorize", "{\"idTag\":\"KNOWN\"}").join()).contains("Accepted"); // learned

        AgentInThisJvm.invoke("ocpp-csms", "forceOpen");
        client.sent.clear();
        CompletableFuture<String> authorize = client.send("Authorize", "{\"idTag\":\"KNOWN\"}");
        CompletableFuture<String> unknown = client.send("Authorize", "{\"idTag\":\"STRANGER\"}");
        CompletableFuture<String> start = client.send("StartTransaction", "{\"connectorId\":1,\"idTag\":\"KNOWN\",\"meterStart\":0}");
        CompletableFuture<String> status1 = client.send("StatusNotification", "{\"connectorId\":1,\"status\":\"Preparing\"}");
        CompletableFuture<String> status2 = client.send("StatusNotification", "{\"connectorId\":1,\"status\":\"Charging\"}");
        CompletableFuture<String> meter = client.send("MeterValues", "{\"connectorId\":1,\"transactionId\":7,\"meterValue\":[]}");
        CompletableFuture<String> heartbeat = client.send("Heartbeat", "{}");
        CompletableFuture<String> stop = client.send("StopTransaction", "{\"transactionId\":7,\"meterStop\":10}");

        assertThat(client.sent).isEmpty(); // nothing reached the CSMS
        assertThat(authorize.join()).contains("Accepted"); // from the authorization cache
        assertThat(failure(unknown)).isInstanceOf(FakeOcppClient.NotConnected.class); // unknown tag, AllowOfflineTxForUnknownId=false
        assertThat(status1.join()).isEqualTo("{}");
        assertThat(status2.join()).isEqualTo("{}");
        assertThat(failure(heartbeat)).isInstanceOf(FakeOcppClient.NotConnected.class); // dropped
        assertThat(start).isNotDone();
        assertThat(meter).isNotDone();
        assertThat(stop).isNotDone();

        AgentInThisJvm.invoke("ocpp-csms", "reset");
        await().atMost(Duration.ofSeconds(10)).until(() -> stop.isDone() && client.sent.size() == 4);
        assertThat(start.join()).contains("\"transactionId\":7");
        assertThat(meter.join()).isEqualTo("{}");
        assertThat(stop.join()).isEqualTo("{}");
        assertThat(client.sent).containsExactly(
                "StartTransaction {\"connectorId\":1,\"idTag\":\"KNOWN\",\"meterStart\":0}",
                "MeterValues {\"connectorId\":1,\"transactionId\":7,\"meterValue\":[]}",
                "StopTransaction {\"transactionId\":7,\"meterStop\":10}",
                "StatusNotification {\"connectorId\":1,\"status\":\"Charging\"}"); // only the latest, after the queue
    }

    @Test
    void aTransactionMessageTheCsmsKeepsRejectingIsGivenUpAfterTheConfiguredAttempts() throws Exception {
        FakeOcppClient client = new FakeOcppClient();
        AgentInThisJvm.invoke("ocpp-csms", "forceOpen");
        CompletableFuture<String> start = client.send("StartTransaction", "{\"connectorId\":1,\"idTag\":\"A\"}");
        client.csms = action -> CompletableFuture.failedFuture(new IllegalStateException("CALLERROR InternalError"));
        AgentInThisJvm.invoke("ocpp-csms", "reset");
        await().atMost(Duration.ofSeconds(10)).until(start::isDone);
        assertThat(failure(start)).isInstanceOf(IllegalStateException.class);
        assertThat(client.sent).hasSize(2); // ocpp.offline.transactionMessageAttempts=2 in these tests
        assertThat(List.copyOf(client.sent)).allMatch(s -> s.startsWith("StartTransaction"));
    }
}
