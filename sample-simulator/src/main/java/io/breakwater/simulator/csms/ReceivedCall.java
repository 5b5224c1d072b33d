package io.breakwater.simulator.csms;

import java.time.Instant;

/** One CALL the CSMS received, as it arrived. */
public record ReceivedCall(String chargePointId, String uniqueId, String action, String payloadJson,
        Instant receivedAt) {
}
