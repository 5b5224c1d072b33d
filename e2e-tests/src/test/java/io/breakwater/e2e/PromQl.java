package io.breakwater.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Breakwater and resilience4j metric names a PromQL expression refers to. */
final class PromQl {
    /** A name outside quotes, or a {@code __name__=~"prefix_.+"} family (kept as the prefix, ending in {@code _}). */
    private static final Pattern NAME = Pattern.compile("__name__=~\"((?:resilience4j|breakwater)_\\w*?_)\\.\\+\"|"
            + "(?<![\\w\"$])((?:resilience4j|breakwater)_\\w+)");

    private PromQl() {}

    static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(expression);
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return names;
    }

    /** Whether breakwater.yaml produces {@code name}, or for a family prefix, at least one name in it. */
    static boolean exported(String name) {
        if (name.endsWith("_")) {
            return ExporterRules.outputs().stream().anyMatch(o -> o.name().startsWith(name));
        }
        return ExporterRules.produces(name);
    }
}
