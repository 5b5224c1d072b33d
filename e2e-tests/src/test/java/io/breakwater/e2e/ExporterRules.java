package io.breakwater.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the rules of jmx-config/breakwater.yaml produce, as Prometheus sees them: a
 * COUNTER rule's name gets {@code _total}, and a name with {@code $n} in it stands for a family.
 */
final class ExporterRules {
    static final Path YAML = Path.of(System.getProperty("breakwater.projectDir"), "jmx-config", "breakwater.yaml");
    private static final Pattern NAME = Pattern.compile("^\\s+name:\\s*(\\S+)\\s*$");
    private static final Pattern TYPE = Pattern.compile("^\\s+type:\\s*(\\S+)\\s*$");

    /** One rule's output: an exact name, or a prefix when the rule fills in part of the name. */
    record Output(String name, boolean prefix) {
        boolean matches(String metric) {
            return prefix ? metric.startsWith(name) && metric.length() > name.length() : metric.equals(name);
        }
    }

    private ExporterRules() {}

    static List<Output> outputs() {
        List<String> lines;
        try {
            lines = Files.readAllLines(YAML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Output> outputs = new ArrayList<>();
        String name = null;
        String type = "UNTYPED";
        for (String line : lines) {
            if (line.trim().startsWith("- pattern:")) {
                add(outputs, name, type);
                name = null;
                type = "UNTYPED";
            }
            Matcher n = NAME.matcher(line);
            Matcher t = TYPE.matcher(line);
            if (n.matches()) {
                name = n.group(1);
            } else if (t.matches()) {
                type = t.group(1);
            }
        }
        add(outputs, name, type);
        return outputs;
    }

    private static void add(List<Output> outputs, String name, String type) {
        if (name == null) {
            return;
        }
        int dollar = name.indexOf('$');
        String base = dollar < 0 ? name : name.substring(0, dollar);
        outputs.add(new Output(type.equals("COUNTER") && dollar < 0 ? base + "_total" : base, dollar >= 0));
    }

    static boolean produces(String metric) {
        return outputs().stream().anyMatch(o -> o.matches(metric));
    }
}
