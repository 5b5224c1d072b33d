package io.breakwater.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus table of docs/metrics.md: each promised metric with its labels and, where listed, their values. */
final class MetricsDoc {
    static final Path FILE = Path.of(System.getProperty("breakwater.projectDir"), "docs", "metrics.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`([^`|]*)");

    /**
     * @param metrics names, a trailing {@code *} for a family
     * @param labels each label with the values the row lists (empty: any value)
     */
    record Row(List<String> metrics, Map<String, List<String>> labels) {}

    private MetricsDoc() {}

    static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int section = lines.indexOf(lines.stream().filter(l -> l.startsWith("## Prometheus")).findFirst().orElseThrow());
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(section, lines.size())) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].trim().startsWith("`")) {
                continue;
            }
            List<String> metrics = new ArrayList<>();
            Matcher m = CODE.matcher(cells[1]);
            while (m.find()) {
                metrics.add(m.group(1));
            }
            rows.add(new Row(metrics, labels(cells[2])));
        }
        return rows;
    }

    /** {@code `name`, `kind` = successful, failed} or {@code `name`, `kind="not_permitted"}. */
    private static Map<String, List<String>> labels(String cell) {
        Map<String, List<String>> labels = new LinkedHashMap<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            String code = m.group(1);
            String after = m.group(2).trim();
            if (code.contains("=")) {
                labels.put(code.substring(0, code.indexOf('=')), List.of(code.substring(code.indexOf('=') + 1).replace("\"", "")));
            } else if (after.startsWith("=")) {
                labels.put(code, Arrays.stream(after.substring(1).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList());
            } else {
                labels.put(code, List.of());
            }
        }
        return labels;
    }
}
