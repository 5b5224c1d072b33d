package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Request payloads of the OCPP 1.6 messages a charge point sends, and the few reply fields it reads. */
final class OcppPayloads {

    static final String VENDOR = "Breakwater";
    static final String MODEL = "SampleSim";

    private OcppPayloads() {
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static JsonObject bootNotification(String chargePointId) {
        JsonObject payload = new JsonObject();
        payload.addProperty("chargePointVendor", VENDOR);
        payload.addProperty("chargePointModel", MODEL);
        payload.addProperty("chargePointSerialNumber", chargePointId);
        payload.addProperty("firmwareVersion", "0.1.0");
        return payload;
    }

    static JsonObject heartbeat() {
        return new JsonObject();
    }

    static JsonObject statusNotification(int connectorId, String status) {
        JsonObject payload = new JsonObject();
        payload.addProperty("connectorId", connectorId);
        payload.addProperty("errorCode", "NoError");
        payload.addProperty("status", status);
        payload.addProperty("timestamp", now());
        return payload;
    }

    static JsonObject authorize(String idTag) {
        JsonObject payload = new JsonObject();
        payload.addProperty("idTag", idTag);
        return payload;
    }

    static JsonObject startTransaction(int connectorId, String idTag, long meterStartWh, String timestamp) {
        JsonObject payload = new JsonObject();
        payload.addProperty("connectorId", connectorId);
        payload.addProperty("idTag", idTag);
        payload.addProperty("meterStart", meterStartWh);
        payload.addProperty("timestamp", timestamp);
        return payload;
    }

    static JsonObject meterValues(int connectorId, int transactionId, long energyWh, long powerW) {
        JsonObject energy = sampledValue(Long.toString(energyWh), "Energy.Active.Import.Register", "Wh");
        JsonObject power = sampledValue(Long.toString(powerW), "Power.Active.Import", "W");
        JsonArray sampled = new JsonArray();
        sampled.add(energy);
        sampled.add(power);
        JsonObject meterValue = new JsonObject();
        meterValue.addProperty("timestamp", now());
        meterValue.add("sampledValue", sampled);
        JsonArray meterValues = new JsonArray();
        meterValues.add(meterValue);
        JsonObject payload = new JsonObject();
        payload.addProperty("connectorId", connectorId);
        payload.addProperty("transactionId", transactionId);
        payload.add("meterValue", meterValues);
        return payload;
    }

    static JsonObject stopTransaction(int transactionId, String idTag, long meterStopWh, String timestamp,
            String reason) {
        JsonObject payload = new JsonObject();
        payload.addProperty("transactionId", transactionId);
        payload.addProperty("idTag", idTag);
        payload.addProperty("meterStop", meterStopWh);
        payload.addProperty("timestamp", timestamp);
        payload.addProperty("reason", reason);
        return payload;
    }

    /** {@code idTagInfo} of an Authorize/StartTransaction/StopTransaction reply, or an empty object. */
    static JsonObject idTagInfo(JsonObject reply) {
        JsonElement info = reply == null ? null : reply.get("idTagInfo");
        return info != null && info.isJsonObject() ? info.getAsJsonObject() : new JsonObject();
    }

    static boolean isAccepted(JsonObject idTagInfo) {
        return "Accepted".equals(string(idTagInfo, "status", ""));
    }

    static String string(JsonObject object, String member, String fallback) {
        JsonElement element = object == null ? null : object.get(member);
        return element != null && element.isJsonPrimitive() ? element.getAsString() : fallback;
    }

    static int integer(JsonObject object, String member, int fallback) {
        JsonElement element = object == null ? null : object.get(member);
        if (element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
            return element.getAsInt();
        }
        return fallback;
    }

    private static JsonObject sampledValue(String value, String measurand, String unit) {
        JsonObject sampled = new JsonObject();
        sampled.addProperty("value", value);
        sampled.addProperty("context", "Sample.Periodic");
        sampled.addProperty("measurand", measurand);
        sampled.addProperty("unit", unit);
        return sampled;
    }
}
