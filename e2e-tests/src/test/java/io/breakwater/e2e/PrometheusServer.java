package io.breakwater.e2e;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.breakwater.testkit.FreePort;
import io.breakwater.testkit.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (the {@code prometheus} binary) on a free loopback port with its own
 * storage, scraping the given targets and evaluating the given rules every second; queried
 * through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Skipped locally, failed under CI=true, when prometheus is not installed. */
    static PrometheusServer start(Path dir, List<String> targets, Path ruleFile) throws IOException {
        String binary = Prerequisites.require("prometheus");
        int port = FreePort.find();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: ['%s']
                scrape_configs:
                  - job_name: breakwater
                    static_configs:
                      - targets: [%s]
                """.formatted(ruleFile, targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
        Process process = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port);
        await("prometheus ready").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> server.get("/-/ready").contains("Ready"));
        return server;
    }

    /** The {@code data.result} of an instant query. */
    JsonArray query(String promql) {
        String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
    }

    /** The health of each loaded rule by name: {@code ok}, {@code err} or {@code unknown} before its first evaluation. */
    Map<String, String> ruleHealth() {
        Map<String, String> health = new TreeMap<>();
        JsonArray groups = JsonParser.parseString(get("/api/v1/rules")).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("groups");
        for (JsonElement group : groups) {
            for (JsonElement rule : group.getAsJsonObject().getAsJsonArray("rules")) {
                JsonObject r = rule.getAsJsonObject();
                health.put(r.get("name").getAsString(), r.get("health").getAsString()
                        + (r.has("lastError") && !r.get("lastError").getAsString().isEmpty() ? ": " + r.get("lastError").getAsString() : ""));
            }
        }
        return health;
    }

    /** Every metric name Prometheus has stored. */
    List<String> metricNames() {
        JsonArray names = JsonParser.parseString(get("/api/v1/label/__name__/values")).getAsJsonObject().getAsJsonArray("data");
        return names.asList().stream().map(e -> e.getAsString()).toList();
    }

    /** The type the target announced for a metric family ({@code counter}, {@code gauge}, ...), or {@code null}. */
    String type(String family) {
        JsonObject data = JsonParser.parseString(get("/api/v1/metadata?metric=" + family)).getAsJsonObject().getAsJsonObject("data");
        return data.has(family) ? data.getAsJsonArray(family).get(0).getAsJsonObject().get("type").getAsString() : null;
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("prometheus answered " + response.statusCode() + " to " + path + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        SimulatorJvm.stop(process);
    }
}
