package io.breakwater.simulator.chargepoint;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * What the simulator runs: the fleet, where it talks to, and the rhythm of its charging sessions.
 *
 * @param heartbeatOverride null to use the interval the CSMS returns in BootNotification
 * @param reconnectMax the longest wait between two reconnection attempts (exponential backoff with jitter)
 */
public record SimulatorConfig(
        URI csmsUri,
        URI redisUri,
        int chargePoints,
        int connectors,
        String idPrefix,
        Duration meterInterval,
        Duration sessionDuration,
        Duration heartbeatOverride,
        Duration pauseBetweenSessions,
        Duration retryDelay,
        Duration reconnectMax) {

    public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);

    public SimulatorConfig {
        Objects.requireNonNull(csmsUri, "csmsUri");
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(idPrefix, "idPrefix");
        requirePositive(chargePoints, "chargePoints");
        requirePositive(connectors, "connectors");
        requirePositive(meterInterval, "meterInterval");
        requirePositive(sessionDuration, "sessionDuration");
        requirePositive(pauseBetweenSessions, "pauseBetweenSessions");
        requirePositive(retryDelay, "retryDelay");
        requirePositive(reconnectMax, "reconnectMax");
        if (heartbeatOverride != null) {
            requirePositive(heartbeatOverride, "heartbeatOverride");
        }
    }

    /** The usual session rhythm: 2 s pause between sessions, failed steps retried after about 5 s, reconnects at most 30 s apart. */
    public static SimulatorConfig of(URI csmsUri, URI redisUri, int chargePoints, int connectors, String idPrefix,
            Duration meterInterval, Duration sessionDuration, Duration heartbeatOverride) {
        return new SimulatorConfig(csmsUri, redisUri, chargePoints, connectors, idPrefix, meterInterval,
                sessionDuration, heartbeatOverride, DEFAULT_PAUSE, DEFAULT_RETRY, DEFAULT_RECONNECT_MAX);
    }

    public SimulatorConfig withReconnectMax(Duration max) {
        return new SimulatorConfig(csmsUri, redisUri, chargePoints, connectors, idPrefix, meterInterval,
                sessionDuration, heartbeatOverride, pauseBetweenSessions, retryDelay, max);
    }

    /** {@code CP-0001} for prefix {@code CP} and number 1. */
    public String chargePointId(int number) {
        return String.format("%s-%04d", idPrefix, number);
    }

    /** {@code <csms>/<chargePointId>}, as OCPP-J prescribes. */
    public URI endpointFor(String chargePointId) {
        String base = csmsUri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + URLEncoder.encode(chargePointId, StandardCharsets.UTF_8));
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
