package io.breakwater.simulator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health endpoint reads breakers registered by anyone (here: the test) from the platform MBeanServer. */
class HealthServerTest {

    public interface TestBreakerMBean {
        String getState();

        long getTotalCalls();

        long getSuccessfulCallsTotal();

        long getFailedCallsTotal();

        long getNotPermittedCallsTotal();

        long getFallbackCallsTotal();

        float getFailureRate();
    }

    public static final class TestBreaker implements TestBreakerMBean {
        volatile String state = "open";

        @Override
        public String getState() {
            return state;
        }

        @Override
        public long getTotalCalls() {
            return 12;
        }

        @Override
        public long getSuccessfulCallsTotal() {
            return 5;
        }

        @Override
        public long getFailedCallsTotal() {
            return 5;
        }

        @Override
        public long getNotPermittedCallsTotal() {
            return 2;
        }

        @Override
        public long getFallbackCallsTotal() {
            return 2;
        }

        @Override
        public float getFailureRate() {
            return 50.0f;
        }
    }

    /** A breaker MBean from a different agent version: only State, and a NaN rate. */
    public interface MinimalBreakerMBean {
        String getState();

        float getFailureRate();
    }

    public static final class MinimalBreaker implements MinimalBreakerMBean {
        volatile String state = "half_open";

        @Override
        public String getState() {
            return state;
        }

        @Override
        public float getFailureRate() {
            return Float.NaN;
        }
    }

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private final TestBreaker breaker = new TestBreaker();
    private final MinimalBreaker minimal = new MinimalBreaker();
    private ObjectName testName;
    private ObjectName minimalName;
    private HealthServer health;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        testName = new ObjectName("io.breakwater:type=CircuitBreaker,name=test");
        minimalName = new ObjectName("io.breakwater:type=CircuitBreaker,name=minimal");
        mbeans.registerMBean(breaker, testName);
        mbeans.registerMBean(minimal, minimalName);
        health = new HealthServer("127.0.0.1", 0, new BreakerReader(), () -> Map.of("transactionsStarted", 3));
    }

    @AfterEach
    void tearDown() throws Exception {
        health.close();
        mbeans.unregisterMBean(testName);
        mbeans.unregisterMBean(minimalName);
    }

    @Test
    void openBreakerMakesStatusDegradedWithHttp200() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(body.get("status").getAsString()).isEqualTo("DEGRADED");
        JsonObject breakers = body.getAsJsonObject("breakers");
        assertThat(breakers.get("test").getAsString()).isEqualTo("open");
        assertThat(breakers.get("minimal").getAsString()).isEqualTo("half_open");
    }

    @Test
    void closedBreakersAreUp() throws Exception {
        breaker.state = "closed";
        minimal.state = "closed";

        JsonObject body = JsonParser.parseString(get("/health").body()).getAsJsonObject();

        assertThat(body.get("status").getAsString()).isEqualTo("UP");
    }

    @Test
    void halfOpenIsDegradedToo() throws Exception {
        breaker.state = "closed";

        JsonObject body = JsonParser.parseString(get("/health").body()).getAsJsonObject();

        assertThat(body.get("status").getAsString()).isEqualTo("DEGRADED");
        assertThat(body.getAsJsonObject("breakers").get("minimal").getAsString()).isEqualTo("half_open");
    }

    @Test
    void forcedOpenIsDegradedToo() throws Exception {
        breaker.state = "forced_open";
        minimal.state = "closed";

        JsonObject body = JsonParser.parseString(get("/health").body()).getAsJsonObject();

        assertThat(body.get("status").getAsString()).isEqualTo("DEGRADED");
    }

    @Test
    void detailedListsEveryAttributeAndTheSimulatorStats() throws Exception {
        HttpResponse<String> response = get("/health/detailed");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(body.get("status").getAsString()).isEqualTo("DEGRADED");
        JsonObject test = body.getAsJsonObject("breakers").getAsJsonObject("test");
        assertThat(test.get("State").getAsString()).isEqualTo("open");
        assertThat(test.get("TotalCalls").getAsLong()).isEqualTo(12);
        assertThat(test.get("SuccessfulCallsTotal").getAsLong()).isEqualTo(5);
        assertThat(test.get("FailedCallsTotal").getAsLong()).isEqualTo(5);
        assertThat(test.get("NotPermittedCallsTotal").getAsLong()).isEqualTo(2);
        assertThat(test.get("FallbackCallsTotal").getAsLong()).isEqualTo(2);
        assertThat(test.get("FailureRate").getAsFloat()).isEqualTo(50.0f);
        JsonObject minimal = body.getAsJsonObject("breakers").getAsJsonObject("minimal");
        assertThat(minimal.keySet()).containsExactly("State");
        assertThat(body.getAsJsonObject("simulator").get("transactionsStarted").getAsInt()).isEqualTo(3);
    }

    @Test
    void noBreakersMeansUp() throws Exception {
        mbeans.unregisterMBean(testName);
        mbeans.unregisterMBean(minimalName);
        try {
            JsonObject body = JsonParser.parseString(get("/health").body()).getAsJsonObject();
            assertThat(body.get("status").getAsString()).isEqualTo("UP");
            assertThat(body.getAsJsonObject("breakers").size()).isZero();
        } finally {
            mbeans.registerMBean(breaker, testName);
            mbeans.registerMBean(minimal, minimalName);
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(get("/health/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void transactionsAreServedOnlyWhenRecorded() throws Exception {
        assertThat(get("/health/transactions").statusCode()).isEqualTo(404);

        try (HealthServer recording = new HealthServer("127.0.0.1", 0, new BreakerReader(), Map::of,
                () -> Map.of("CP-1", List.of(Map.of("transactionId", 4))))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + recording.port() + "/health/transactions")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("CP-1").get(0)
                    .getAsJsonObject().get("transactionId").getAsInt()).isEqualTo(4);
        }
    }

    @Test
    void stateIsServedWhenGiven() throws Exception {
        assertThat(get("/health/state").statusCode()).isEqualTo(404);

        try (HealthServer withState = new HealthServer("127.0.0.1", 0, new BreakerReader(), Map::of, null,
                () -> Map.of("CP-1", Map.of("meterWh", 1200, "connectors", Map.of("1", "Unavailable"))))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + withState.port() + "/health/state")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JsonParser.parseString(response.body())).isEqualTo(JsonParser.parseString(
                    "{\"CP-1\":{\"meterWh\":1200,\"connectors\":{\"1\":\"Unavailable\"}}}"));
            HttpResponse<String> transactions = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + withState.port() + "/health/transactions")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(transactions.statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
