package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.breakwater.testkit.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scraping the exporter of two JVMs with the agent: the simulator, and a small
 * JVM that also registers each Breakwater MBean with its key properties in the other order
 * ({@code name=...,type=...}). Every metric and label docs/metrics.md promises is checked in
 * Prometheus itself, for both key orders.
 */
class PrometheusEndToEndTest {
    private static final Path ALERTS = Path.of(System.getProperty("breakwater.projectDir"), "jmx-config", "breakwater-alerts.yml");
    private static final List<String> STATES = List.of("closed", "open", "half_open", "disabled", "forced_open", "metrics_only");
    @TempDir
    static Path dir;
    private static SimulatorJvm simulator;
    private static SimulatorJvm reversed;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        int simulatorExporter = FreePort.find();
        int reversedExporter = FreePort.find();
        // No Redis and no CSMS: every metric exists from the start, which is what this test reads.
        simulator = SimulatorJvm.start("prometheus-simulator", "jmx.registerDelay=100ms", simulatorExporter,
                SimulatorJvm.runArguments(FreePort.find(), "redis://127.0.0.1:" + FreePort.find(), 1, 0));
        Path testClasses = Path.of(ReversedKeyOrderMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        reversed = SimulatorJvm.launch("prometheus-reversed", List.of(SimulatorJvm.JAVA.toString(), "-Xmx64m",
                "-javaagent:" + SimulatorJvm.AGENT_JAR + "=jmx.registerDelay=100ms",
                "-javaagent:" + SimulatorJvm.EXPORTER_JAR + "=127.0.0.1:" + reversedExporter + ":" + SimulatorJvm.EXPORTER_CONFIG,
                "-cp", testClasses.toString(), ReversedKeyOrderMain.class.getName()));
        prometheus = PrometheusServer.start(dir, List.of("127.0.0.1:" + simulatorExporter, "127.0.0.1:" + reversedExporter),
                ALERTS);
        await("both JVMs scraped, both key orders").atMost(Duration.ofSeconds(60)).until(() -> names(prometheus.query(
                "resilience4j_circuitbreaker_state")).containsAll(Set.of("redis", "ocpp-csms", "redis-reversed", "ocpp-csms-reversed"))
                && !prometheus.query("breakwater_fallback_entries{name=\"redis-reversed\"}").isEmpty());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, reversed, simulator}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static Set<String> names(JsonArray series) {
        return values(series, "name");
    }

    private static Set<String> values(JsonArray series, String label) {
        return series.asList().stream().map(s -> s.getAsJsonObject().getAsJsonObject("metric"))
                .filter(m -> m.has(label)).map(m -> m.get(label).getAsString()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void noScrapeFails() {
        // up can miss a 1 s timeout on a loaded machine; the exporter's own error gauge is the rules' verdict.
        await("both targets up").atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("up{job=\"breakwater\"} == 1").size() == 2);
        assertThat(prometheus.query("max_over_time(jmx_scrape_error[5m])")).hasSize(2).allSatisfy(s -> assertThat(value(s)).isZero());
    }

    @Test
    void everyMetricAndLabelOfTheDocsIsInPrometheusForBothKeyOrders() {
        List<MetricsDoc.Row> rows = MetricsDoc.rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        for (MetricsDoc.Row row : rows) {
            for (String metric : row.metrics()) {
                String selector = metric.endsWith("*") ? "{__name__=~\"" + metric.replace("*", ".+") + "\"}" : metric;
                JsonArray series = prometheus.query(selector);
                assertThat(series).as(metric).isNotEmpty();
                for (Map.Entry<String, List<String>> label : row.labels().entrySet()) {
                    assertThat(series.asList()).as(metric + " has label " + label.getKey())
                            .allSatisfy(s -> assertThat(s.getAsJsonObject().getAsJsonObject("metric").has(label.getKey())).isTrue());
                    assertThat(values(series, label.getKey())).as(metric + " " + label.getKey()).containsAll(label.getValue());
                }
                if (!row.labels().containsKey("name")) {
                    continue; // one per JVM (io.breakwater:type=Agent has no other key to order)
                }
                Set<String> breakers = names(series);
                assertThat(breakers).as(metric + ": both key orders")
                        .contains(metric.startsWith("breakwater_fallback") ? "redis" : "ocpp-csms")
                        .contains(metric.startsWith("breakwater_fallback") ? "redis-reversed" : "ocpp-csms-reversed");
            }
        }
    }

    @Test
    void theStateIsOneHotOverEveryState() {
        for (String breaker : List.of("redis", "ocpp-csms", "redis-reversed", "ocpp-csms-reversed")) {
            JsonArray series = prometheus.query("resilience4j_circuitbreaker_state{name=\"" + breaker + "\"}");
            assertThat(values(series, "state")).as(breaker).containsExactlyInAnyOrderElementsOf(STATES);
            JsonArray perJvm = prometheus.query("sum by (instance) (resilience4j_circuitbreaker_state{name=\"" + breaker + "\"})");
            assertThat(perJvm.asList()).as(breaker).isNotEmpty().allSatisfy(s -> assertThat(value(s)).isEqualTo(1.0));
        }
    }

    @Test
    void ourRulesEmitNoJvmOrProcessNamesAndCountersEndInTotalOnce() {
        assertThat(ExporterRules.outputs()).extracting(ExporterRules.Output::name)
                .allMatch(n -> n.startsWith("resilience4j_") || n.startsWith("breakwater_"));
        List<String> stored = prometheus.metricNames();
        // Anything else is the exporter's own collectors or Prometheus' scrape bookkeeping, never a stray default
        // export of one of our MBeans.
        assertThat(stored).filteredOn(n -> !ExporterRules.produces(n))
                .allMatch(n -> n.matches("(jvm|process|jmx)_.+|up|scrape_.+"));
        assertThat(stored).noneMatch(n -> n.contains("_total_total"));
        for (String counter : List.of("resilience4j_circuitbreaker_not_permitted_calls", "breakwater_circuitbreaker_transitions",
                "breakwater_circuitbreaker_fallback_calls", "breakwater_circuitbreaker_slow_calls",
                "breakwater_fallback_evictions", "breakwater_fallback_served")) {
            assertThat(stored).as(counter).contains(counter + "_total").doesNotContain(counter);
            assertThat(prometheus.type(counter)).as(counter).isEqualTo("counter");
        }
    }

    @Test
    void everyNameTheRulesCanProduceIsScraped() {
        List<String> stored = prometheus.metricNames();
        for (ExporterRules.Output output : ExporterRules.outputs()) {
            assertThat(stored).as(output.name()).anyMatch(output::matches);
        }
    }

    @Test
    void everyDashboardQueryRunsOnTheScrapedData() {
        for (String query : GrafanaDashboard.panelQueries()) {
            prometheus.query(GrafanaDashboard.resolved(query)); // an invalid query is an HTTP 400, thrown
        }
        assertThat(prometheus.query(GrafanaDashboard.resolved(GrafanaDashboard.panelQueries().get(0)))).isNotEmpty();
        for (String query : GrafanaDashboard.variableQueries()) {
            assertThat(query).startsWith("label_values(resilience4j_circuitbreaker_state");
        }
    }

    @Test
    void everyAlertRuleEvaluatesWithoutError() {
        await("every rule evaluated").atMost(Duration.ofSeconds(30))
                .until(() -> prometheus.ruleHealth().values().stream().noneMatch(h -> h.startsWith("unknown")));
        assertThat(prometheus.ruleHealth()).hasSizeGreaterThanOrEqualTo(8).allSatisfy((rule, health) -> assertThat(health).as(rule).isEqualTo("ok"));
    }

    private static double value(JsonElement series) {
        JsonObject s = series.getAsJsonObject();
        return Double.parseDouble(s.getAsJsonArray("value").get(1).getAsString());
    }
}
