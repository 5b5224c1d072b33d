package io.breakwater.simulator.csms;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The answers of an accept-everything CSMS to the OCPP 1.6 CALLs a charge point sends. */
final class CsmsReplies {

    private final AtomicInteger transactionIds = new AtomicInteger();
    private volatile int heartbeatIntervalSeconds;

    CsmsReplies(int heartbeatIntervalSeconds) {
        this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    }

    void setHeartbeatIntervalSeconds(int seconds) {
        this.heartbeatIntervalSeconds = seconds;
    }

    int heartbeatIntervalSeconds() {
        return heartbeatIntervalSeconds;
    }

    /** The CALLRESULT payload for an action, or null when the action is not implemented. */
    JsonObject replyTo(String action, JsonElement request) {
        switch (action) {
            case "BootNotification": {
                JsonObject reply = new JsonObject();
                reply.addProperty("status", "Accepted");
                reply.addProperty("currentTime", now());
                reply.addProperty("interval", heartbeatIntervalSeconds);
                return reply;
            }
            case "Heartbeat": {
                JsonObject reply = new JsonObject();
                reply.addProperty("currentTime", now());
                return reply;
            }
            case "Authorize":
            case "StopTransaction":
                return withAcceptedIdTag(new JsonObject());
            case "StartTransaction": {
                JsonObject reply = new JsonObject();
                reply.addProperty("transactionId", transactionIds.incrementAndGet());
                return withAcceptedIdTag(reply);
            }
            case "StatusNotification":
            case "MeterValues":
                return new JsonObject();
            default:
                return null;
        }
    }

    private static JsonObject withAcceptedIdTag(JsonObject reply) {
        JsonObject idTagInfo = new JsonObject();
        idTagInfo.addProperty("status", "Accepted");
        reply.add("idTagInfo", idTagInfo);
        return reply;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
