package io.breakwater.simulator.health;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Finds circuit breakers in the platform MBeanServer by name pattern only: whoever registers
 * {@code io.breakwater:type=CircuitBreaker,name=...} (a Java agent, typically) is shown, with no compile-time link.
 * Missing or unreadable attributes are left out.
 */
public final class BreakerReader {

    public static final String PATTERN = "io.breakwater:type=CircuitBreaker,*";

    static final String[] ATTRIBUTES = {
        "State", "TotalCalls", "SuccessfulCallsTotal", "FailedCallsTotal", "NotPermittedCallsTotal",
        "FallbackCallsTotal", "FailureRate"
    };

    private final MBeanServer server;
    private final ObjectName pattern;

    public BreakerReader() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    public BreakerReader(MBeanServer server) {
        this.server = server;
        try {
            this.pattern = new ObjectName(PATTERN);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every breaker currently registered, sorted by name. */
    public List<BreakerSnapshot> read() {
        Set<ObjectName> names = server.queryNames(pattern, null);
        List<BreakerSnapshot> breakers = new ArrayList<>();
        for (ObjectName name : names) {
            Map<String, Object> attributes = attributes(name);
            String breakerName = name.getKeyProperty("name");
            Object state = attributes.get("State");
            breakers.add(new BreakerSnapshot(breakerName == null ? name.toString() : unquote(breakerName),
                    state == null ? "unknown" : state.toString(), attributes));
        }
        breakers.sort(Comparator.comparing(BreakerSnapshot::name));
        return breakers;
    }

    private Map<String, Object> attributes(ObjectName name) {
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            // Returns only the attributes that exist and could be read.
            for (Attribute attribute : server.getAttributes(name, ATTRIBUTES).asList()) {
                values.put(attribute.getName(), jsonValue(attribute.getValue()));
            }
        } catch (JMException | RuntimeException e) {
            // unregistered meanwhile, or a broken MBean: show what we have
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String attribute : ATTRIBUTES) {
            if (values.containsKey(attribute)) {
                ordered.put(attribute, values.get(attribute));
            }
        }
        return ordered;
    }

    /** JSON has no NaN or infinity; states may be enums. */
    private static Object jsonValue(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return Double.isFinite(number) ? value : null;
        }
        if (value instanceof Number || value instanceof Boolean || value == null) {
            return value;
        }
        return value.toString();
    }

    private static String unquote(String value) {
        try {
            return value.startsWith("\"") ? ObjectName.unquote(value) : value;
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
