package io.breakwater.simulator.chargepoint;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * What the simulator runs: the fleet, where it talks to, and how it retries.
 *
 * @param heartbeatOverride null to use the interval the CSMS returns in BootNotification
 * @param retryDelay about how long (jittered) a failed step waits before it is tried again
 * @param reconnectMax the longest wait between two reconnection attempts (exponential backoff with jitter)
 */
public record SimulatorConfig(
        URI csmsUri,
        URI redisUri,
        Fleet fleet,
        Duration heartbeatOverride,
        Duration retryDelay,
        Duration reconnectMax) {

    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);

    public SimulatorConfig {
        Objects.requireNonNull(csmsUri, "csmsUri");
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(fleet, "fleet");
        requirePositive(retryDelay, "retryDelay");
        requirePositive(reconnectMax, "reconnectMax");
        if (heartbeatOverride != null) {
            requirePositive(heartbeatOverride, "heartbeatOverride");
        }
    }

    /** A fleet with failed steps retried after about 5 s and reconnects at most 30 s apart. */
    public static SimulatorConfig of(URI csmsUri, URI redisUri, Fleet fleet, Duration heartbeatOverride) {
        return new SimulatorConfig(csmsUri, redisUri, fleet, heartbeatOverride, DEFAULT_RETRY, DEFAULT_RECONNECT_MAX);
    }

    /** {@code chargePoints} alike charge points ({@link Fleet#uniform}) with the usual 1-3 s pause between sessions. */
    public static SimulatorConfig of(URI csmsUri, URI redisUri, int chargePoints, int connectors, String idPrefix,
            Duration meterInterval, Duration sessionDuration, Duration heartbeatOverride) {
        return of(csmsUri, redisUri, Fleet.uniform(idPrefix, chargePoints, connectors, meterInterval, sessionDuration,
                Fleet.DEFAULT_PAUSE), heartbeatOverride);
    }

    public SimulatorConfig withReconnectMax(Duration max) {
        return new SimulatorConfig(csmsUri, redisUri, fleet, heartbeatOverride, retryDelay, max);
    }

    public SimulatorConfig withRetryDelay(Duration delay) {
        return new SimulatorConfig(csmsUri, redisUri, fleet, heartbeatOverride, delay, reconnectMax);
    }

    public int chargePoints() {
        return fleet.size();
    }

    /** {@code <csms>/<chargePointId>}, as OCPP-J prescribes. */
    public URI endpointFor(String chargePointId) {
        String base = csmsUri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + URLEncoder.encode(chargePointId, StandardCharsets.UTF_8));
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
