package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.breakwater.testkit.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard of jmx-config: promtool accepts and unit-tests the rules,
 * and both refer only to metrics breakwater.yaml exports.
 */
class DashboardAndAlertsTest {
    private static final Path JMX_CONFIG = Path.of(System.getProperty("breakwater.projectDir"), "jmx-config");

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Prerequisites.require("promtool")));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(JMX_CONFIG.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        assertThat(promtool("check", "rules", "breakwater-alerts.yml")).contains("SUCCESS");
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        assertThat(promtool("test", "rules", "breakwater-alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void theAlertsNameOnlyExportedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(JMX_CONFIG.resolve("breakwater-alerts.yml"))) {
            if (line.trim().startsWith("expr:")) {
                names.addAll(PromQl.metricNames(line));
            }
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(8).allMatch(PromQl::exported, "produced by a rule of breakwater.yaml");
    }

    @Test
    void theDashboardIsValidGrafanaJsonWithQueriesOnEveryPanel() {
        JsonObject dashboard = GrafanaDashboard.json();
        assertThat(dashboard.get("title").getAsString()).contains("Breakwater");
        assertThat(dashboard.get("uid").getAsString()).isNotBlank();
        assertThat(dashboard.get("schemaVersion").getAsInt()).isPositive();
        for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
            JsonObject p = panel.getAsJsonObject();
            assertThat(p.has("gridPos")).as(p.get("title").getAsString()).isTrue();
            if (!"row".equals(p.get("type").getAsString())) {
                assertThat(p.getAsJsonArray("targets")).as(p.get("title").getAsString()).isNotEmpty();
                assertThat(p.get("description").getAsString()).isNotBlank();
            }
        }
        assertThat(GrafanaDashboard.panelQueries()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void theDashboardNamesOnlyMetricsTheExporterRulesProduce() {
        Set<String> names = new TreeSet<>();
        GrafanaDashboard.panelQueries().forEach(q -> names.addAll(PromQl.metricNames(q)));
        GrafanaDashboard.variableQueries().forEach(q -> names.addAll(PromQl.metricNames(q)));
        assertThat(names).hasSizeGreaterThanOrEqualTo(15).allMatch(PromQl::exported, "produced by a rule of breakwater.yaml");
    }
}
