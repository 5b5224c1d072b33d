package io.breakwater.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/** The breakers of a JVM as a table, read from its {@code io.breakwater} MBeans. */
final class BreakerTable {
    private static final String[] BREAKER_ATTRIBUTES = {
        "State", "TotalCalls", "FailedCallsTotal", "NotPermittedCallsTotal", "FallbackCallsTotal", "FailureRate"
    };
    private static final String[] FALLBACK_ATTRIBUTES = {"Size", "WeightBytes", "MaxWeightBytes", "Evictions", "ServedTotal"};
    private static final String ROW = "%-16s %-12s %10s %10s %10s %10s %9s";

    private BreakerTable() {}

    /** @return the table's lines; empty when no breaker MBean is registered */
    static List<String> read(MBeanServerConnection jmx) throws IOException, JMException {
        List<ObjectName> breakers = sorted(jmx, "io.breakwater:type=CircuitBreaker,*");
        List<String> lines = new ArrayList<>();
        if (breakers.isEmpty()) {
            return lines;
        }
        lines.add(String.format(Locale.ROOT, ROW, "BREAKER", "STATE", "CALLS", "FAILED", "REJECTED", "FALLBACK", "FAILURE%"));
        for (ObjectName name : breakers) {
            Map<String, Object> v = read(jmx, name, BREAKER_ATTRIBUTES);
            lines.add(String.format(Locale.ROOT, ROW, name.getKeyProperty("name"), v.get("State"), v.get("TotalCalls"),
                    v.get("FailedCallsTotal"), v.get("NotPermittedCallsTotal"), v.get("FallbackCallsTotal"),
                    percent(v.get("FailureRate"))));
        }
        for (ObjectName name : sorted(jmx, "io.breakwater:type=Fallback,*")) {
            Map<String, Object> v = read(jmx, name, FALLBACK_ATTRIBUTES);
            lines.add(String.format(Locale.ROOT, "fallback %s: %s keys, %s of %s, %s evicted, %s calls served",
                    name.getKeyProperty("name"), v.get("Size"), bytes(v.get("WeightBytes")), bytes(v.get("MaxWeightBytes")),
                    v.get("Evictions"), v.get("ServedTotal")));
        }
        return lines;
    }

    private static List<ObjectName> sorted(MBeanServerConnection jmx, String pattern) throws IOException, JMException {
        List<ObjectName> names = new ArrayList<>(jmx.queryNames(new ObjectName(pattern), null));
        names.sort(Comparator.comparing(n -> n.getKeyProperty("name")));
        return names;
    }

    /** The attributes by name; {@code ?} stands for any the MBean did not answer. */
    private static Map<String, Object> read(MBeanServerConnection jmx, ObjectName name, String[] attributes)
            throws IOException, JMException {
        Map<String, Object> values = new HashMap<>();
        for (String attribute : attributes) {
            values.put(attribute, "?");
        }
        for (Attribute a : jmx.getAttributes(name, attributes).asList()) {
            values.put(a.getName(), a.getValue());
        }
        return values;
    }

    /** resilience4j's rate is -1 until its window is full. */
    private static String percent(Object rate) {
        if (!(rate instanceof Number n) || n.floatValue() < 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f", n.floatValue());
    }

    private static String bytes(Object value) {
        if (!(value instanceof Number n)) {
            return "?";
        }
        double b = n.doubleValue();
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int unit = 0;
        while (b >= 1024 && unit < units.length - 1) {
            b /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[unit]);
    }
}
