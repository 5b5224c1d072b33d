package io.breakwater.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One OCPP send method to protect: where it is, which argument holds the action name, and which
 * exception types the application already understands.
 *
 * @param failFastException thrown (or used to fail the returned future) while the breaker is open;
 *     loaded from the application's class loader, must have a {@code (String)} constructor
 * @param callErrorException a CALLERROR answer from a live CSMS: not a failure of the CSMS
 */
public record OcppTarget(
        String profile, String className, String methodName, int actionArgument, String failFastException, String callErrorException) {

    public static final OcppTarget SAMPLE_SIMULATOR = new OcppTarget(
            "sample-simulator",
            "io.breakwater.simulator.ocpp.OcppConnection",
            "call",
            0,
            "io.breakwater.simulator.ocpp.OcppTransportException",
            "io.breakwater.simulator.ocpp.OcppCallErrorException");

    static List<OcppTarget> parse(Map<String, String> values) throws ConfigException {
        String spec = values.getOrDefault("ocpp.targets", "sample-simulator").trim();
        List<OcppTarget> targets = new ArrayList<>();
        if (spec.equals("none")) {
            return targets;
        }
        for (String name : spec.split("\\+")) {
            switch (name.trim()) {
                case "sample-simulator" -> targets.add(SAMPLE_SIMULATOR);
                case "generic" -> targets.add(generic(values));
                default -> throw new ConfigException("ocpp.targets", "ocpp.targets='" + spec
                        + "' names an unknown profile '" + name.trim() + "' (known: sample-simulator, generic, none; join with '+')");
            }
        }
        return List.copyOf(targets);
    }

    private static OcppTarget generic(Map<String, String> values) throws ConfigException {
        String className = values.get("ocpp.generic.class");
        String method = values.get("ocpp.generic.method");
        if (className == null || method == null) {
            throw new ConfigException("ocpp.targets", "ocpp.targets=generic needs ocpp.generic.class and ocpp.generic.method");
        }
        String javaName = "[A-Za-z_$][A-Za-z0-9_$]*";
        if (!className.matches(javaName + "(\\." + javaName + ")*")) {
            throw new ConfigException("ocpp.generic.class", "ocpp.generic.class='" + className + "' is not a class name");
        }
        if (!method.matches(javaName)) {
            throw new ConfigException("ocpp.generic.method", "ocpp.generic.method='" + method + "' is not a method name");
        }
        int action = Values.integer("ocpp.generic.actionArgument", values.getOrDefault("ocpp.generic.actionArgument", "0"), 0, 254);
        String failFast = values.getOrDefault("ocpp.generic.failFastException", "java.io.IOException");
        return new OcppTarget("generic", className, method, action, failFast, null);
    }
}
