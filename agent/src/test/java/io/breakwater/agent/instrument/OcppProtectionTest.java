package io.breakwater.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.ocpp.FakeOcppClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcppProtectionTest {
    @BeforeAll
    static void install() {
        AgentInThisJvm.install();
    }

    @Test
    void aCsmsThatNeverAnswersTimesOutOpensTheBreakerAndThenCallsFailFast() throws Exception {
        FakeOcppClient client = new FakeOcppClient();
        for (int i = 0; i < 5; i++) {
            client.next = new CompletableFuture<>(); // the CSMS never answers
            CompletableFuture<String> reply = client.send("MeterValues", "{}");
            await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
            assertThat(reply).isCompletedExceptionally();
            assertThat(failure(reply)).isInstanceOf(TimeoutException.class);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("ocpp-csms").equals("open"));

        int sentBefore = client.sent;
        CompletableFuture<String> rejected = client.send("StartTransaction", "{}");
        assertThat(client.sent).isEqualTo(sentBefore); // never reached the stack
        assertThat(failure(rejected))
                .isExactlyInstanceOf(FakeOcppClient.NotConnected.class)
                .hasMessageContaining("circuit breaker 'ocpp-csms' is OPEN")
                .hasMessageContaining("StartTransaction not sent");

        client.next = CompletableFuture.completedFuture("{\"status\":\"Accepted\"}");
        CompletableFuture<String> boot = client.send("BootNotification", "{}");
        assertThat(boot.get()).contains("Accepted"); // the charge point's own probe is never refused

        await().atMost(Duration.ofSeconds(5)).until(() -> AgentInThisJvm.state("ocpp-csms").equals("half_open"));
        client.send("Heartbeat", "{}");
        client.send("Heartbeat", "{}");
        assertThat(AgentInThisJvm.state("ocpp-csms")).isEqualTo("closed");
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return future.handle((value, error) -> error).join();
    }
}
