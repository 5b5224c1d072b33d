package io.breakwater.simulator.chargepoint;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One charge point of the fleet: its id, connectors, the drivers' idTags it sees, and the rhythm of its sessions.
 *
 * @param sessionLength how long each session charges, picked anew per session
 * @param pause how long a connector stays free between two sessions
 * @param meterInterval the initial {@code MeterValueSampleInterval}
 * @param suspendProbability the chance that a session pauses once (SuspendedEV or SuspendedEVSE) for a while
 * @param autoStart whether connectors start sessions on their own; without it they charge only when the CSMS sends
 *     RemoteStartTransaction
 */
public record ChargePointSpec(String id, int connectors, List<String> idTags, DurationRange sessionLength,
        DurationRange pause, Duration meterInterval, double suspendProbability, boolean autoStart) {

    /** Fake RFID tags presented by simulated drivers when the fleet names none. */
    public static final List<String> DEFAULT_ID_TAGS = List.of(
            "SIMTAG0001", "SIMTAG0002", "SIMTAG0003", "SIMTAG0004",
            "SIMTAG0005", "SIMTAG0006", "SIMTAG0007", "SIMTAG0008");

    public ChargePointSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionLength, "sessionLength");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(meterInterval, "meterInterval");
        idTags = List.copyOf(idTags);
        if (connectors < 1) {
            throw new IllegalArgumentException("connectors must be at least 1");
        }
        if (idTags.isEmpty()) {
            throw new IllegalArgumentException("idTags must not be empty");
        }
        if (sessionLength.min().isZero()) {
            throw new IllegalArgumentException("sessionLength must be positive");
        }
        if (suspendProbability < 0 || suspendProbability > 1) {
            throw new IllegalArgumentException("suspendProbability must be between 0 and 1");
        }
    }

    String pickIdTag() {
        return idTags.get(ThreadLocalRandom.current().nextInt(idTags.size()));
    }
}
