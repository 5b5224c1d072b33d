package io.breakwater.simulator.chargepoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The charge points a simulator runs, in start order; ids are unique. */
public record Fleet(List<ChargePointSpec> chargePoints) {

    /** The usual pause between two sessions on a connector: 1 to 3 s. */
    public static final DurationRange DEFAULT_PAUSE = new DurationRange(Duration.ofSeconds(1), Duration.ofSeconds(3));

    public Fleet {
        chargePoints = List.copyOf(chargePoints);
        if (chargePoints.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs at least one charge point");
        }
        Set<String> ids = new HashSet<>();
        for (ChargePointSpec spec : chargePoints) {
            if (!ids.add(spec.id())) {
                throw new IllegalArgumentException("charge point id " + spec.id() + " is used twice");
            }
        }
    }

    /**
     * What {@code run --charge-points N} starts: {@code PREFIX-0001} ... {@code PREFIX-N}, all alike, with the default
     * idTags, sessions of exactly {@code sessionLength}, no suspensions, connectors starting sessions on their own.
     */
    public static Fleet uniform(String idPrefix, int count, int connectors, Duration meterInterval,
            Duration sessionLength, DurationRange pause) {
        List<ChargePointSpec> specs = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            specs.add(new ChargePointSpec(numbered(idPrefix, n), connectors, ChargePointSpec.DEFAULT_ID_TAGS,
                    DurationRange.exactly(sessionLength), pause, meterInterval, 0, true));
        }
        return new Fleet(specs);
    }

    /** {@code CP-0001} for prefix {@code CP} and number 1. */
    public static String numbered(String idPrefix, int number) {
        return String.format("%s-%04d", idPrefix, number);
    }

    public int size() {
        return chargePoints.size();
    }

    public int connectors() {
        return chargePoints.stream().mapToInt(ChargePointSpec::connectors).sum();
    }
}
