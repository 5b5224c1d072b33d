package io.breakwater.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One OCPP send method to protect: where it is, which arguments hold the action name and the
 * payload, and which exception types the application already understands.
 *
 * @param profile the {@code ocpp.targets} name it came from
 * @param actionArgument index of the argument holding the action name (for Java-OCA-OCPP, the request
 *     object, whose class names the action)
 * @param payloadArgument index of the argument holding the payload (JSON text, or the request object)
 * @param failFastException thrown (or used to fail the returned future) while the breaker is open;
 *     loaded from the application's class loader, must have a {@code (String)} constructor
 * @param callErrorException a CALLERROR answer from a live CSMS: not a failure of the CSMS
 */
public record OcppTarget(
        String profile, String className, String methodName, int actionArgument, int payloadArgument,
        String failFastException, String callErrorException) {

    /** Every profile name {@code ocpp.targets} accepts, for the error message. */
    static final String KNOWN = "sample-simulator, java-oca-ocpp, generic, none; join with '+'";

    public static final OcppTarget SAMPLE_SIMULATOR = new OcppTarget(
            "sample-simulator",
            "io.breakwater.simulator.ocpp.OcppConnection",
            "call",
            0,
            1,
            "io.breakwater.simulator.ocpp.OcppTransportException",
            "io.breakwater.simulator.ocpp.OcppCallErrorException");

    /**
     * Java-OCA-OCPP's {@code JSONClient#send(Request)}, returning {@code CompletionStage<Confirmation>}:
     * unsent messages and CALLERRORs both fail its future with {@code CallErrorException} (the error
     * code tells which).
     */
    public static final OcppTarget JAVA_OCA_OCPP = new OcppTarget(
            "java-oca-ocpp",
            "eu.chargetime.ocpp.JSONClient",
            "send",
            0,
            0,
            "eu.chargetime.ocpp.CallErrorException",
            "eu.chargetime.ocpp.CallErrorException");

    static List<OcppTarget> parse(Map<String, String> values) throws ConfigException {
        String spec = values.getOrDefault("ocpp.targets", "sample-simulator").trim();
        List<OcppTarget> targets = new ArrayList<>();
        List<String> names = List.of(spec.split("\\+")).stream().map(String::trim).toList();
        if (!names.contains("generic")) {
            for (String key : values.keySet()) {
                if (key.startsWith("ocpp.generic.")) {
                    throw new ConfigException(key, key + " is set, but ocpp.targets='" + spec
                            + "' does not include generic, so it would have no effect");
                }
            }
        }
        if (spec.equals("none")) {
            return targets;
        }
        if (names.contains("none")) {
            throw new ConfigException("ocpp.targets", "ocpp.targets='" + spec + "': none stands alone, it cannot be joined with other profiles");
        }
        for (String name : names) {
            switch (name) {
                case "sample-simulator" -> targets.add(SAMPLE_SIMULATOR);
                case "java-oca-ocpp" -> targets.add(JAVA_OCA_OCPP);
                case "generic" -> targets.add(generic(values));
                default -> throw new ConfigException("ocpp.targets", "ocpp.targets='" + spec
                        + "' names an unknown profile '" + name + "' (known: " + KNOWN + ")");
            }
        }
        if (targets.stream().map(t -> t.className() + "#" + t.methodName()).distinct().count() < targets.size()) {
            throw new ConfigException("ocpp.targets", "ocpp.targets='" + spec + "' names the same send method twice");
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
        String payloadText = values.get("ocpp.generic.payloadArgument");
        int payload = payloadText == null ? action + 1 : Values.integer("ocpp.generic.payloadArgument", payloadText, 0, 254);
        if (payload == action) {
            throw new ConfigException("ocpp.generic.payloadArgument", "ocpp.generic.payloadArgument=" + payload
                    + " is the same argument as ocpp.generic.actionArgument");
        }
        String failFast = values.getOrDefault("ocpp.generic.failFastException", "java.io.IOException");
        if (!failFast.matches(javaName + "(\\." + javaName + ")*")) {
            throw new ConfigException("ocpp.generic.failFastException", "ocpp.generic.failFastException='" + failFast + "' is not a class name");
        }
        return new OcppTarget("generic", className, method, action, payload, failFast, null);
    }
}
