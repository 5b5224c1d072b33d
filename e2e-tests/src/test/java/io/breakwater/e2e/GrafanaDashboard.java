package io.breakwater.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** jmx-config/grafana-dashboard.json, parsed: its panels' queries and its variables' queries. */
final class GrafanaDashboard {
    static final Path FILE = Path.of(System.getProperty("breakwater.projectDir"), "jmx-config", "grafana-dashboard.json");

    private GrafanaDashboard() {}

    static JsonObject json() {
        try {
            return JsonParser.parseString(Files.readString(FILE)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel target's {@code expr}. */
    static List<String> panelQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonElement panel : json().getAsJsonArray("panels")) {
            JsonObject p = panel.getAsJsonObject();
            if (p.has("targets")) {
                p.getAsJsonArray("targets").forEach(t -> queries.add(t.getAsJsonObject().get("expr").getAsString()));
            }
        }
        return queries;
    }

    /** Every query variable's {@code definition}. */
    static List<String> variableQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonElement variable : json().getAsJsonObject("templating").getAsJsonArray("list")) {
            JsonObject v = variable.getAsJsonObject();
            if ("query".equals(v.get("type").getAsString())) {
                queries.add(v.get("definition").getAsString());
            }
        }
        return queries;
    }

    /** A panel query as Grafana sends it, with every variable set to "all". */
    static String resolved(String query) {
        return query.replace("$instance", ".*").replace("$name", ".*").replace("$__rate_interval", "1m");
    }
}
