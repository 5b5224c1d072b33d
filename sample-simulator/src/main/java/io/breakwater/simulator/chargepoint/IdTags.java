package io.breakwater.simulator.chargepoint;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Fake RFID tags presented by simulated drivers. They identify nobody, but are still kept out of the logs. */
final class IdTags {

    static final List<String> TAGS = List.of(
            "SIMTAG0001", "SIMTAG0002", "SIMTAG0003", "SIMTAG0004",
            "SIMTAG0005", "SIMTAG0006", "SIMTAG0007", "SIMTAG0008");

    private IdTags() {
    }

    static String pick() {
        return TAGS.get(ThreadLocalRandom.current().nextInt(TAGS.size()));
    }
}
