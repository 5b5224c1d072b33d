package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Payloads of the OCPP 1.6 messages a charge point sends and answers, and the few reply fields it reads. */
final class OcppPayloads {

    static final String VENDOR = "Breakwater";
    static final String MODEL = "SampleSim";
    /** OCPP's CiString25Type for chargePointSerialNumber. */
    private static final int SERIAL_NUMBER_MAX = 25;

    private OcppPayloads() {
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static JsonObject bootNotification(String chargePointId) {
        JsonObject payload = new JsonObject();
        payload.addProperty("chargePointVendor", VENDOR);
        payload.addProperty("chargePointModel", MODEL);
        payload.addProperty("chargePointSerialNumber", chargePointId.length() <= SERIAL_NUMBER_MAX ? chargePointId
                : chargePointId.substring(chargePointId.length() - SERIAL_NUMBER_MAX));
        payload.addProperty("firmwareVersion", "0.1.0");
        return payload;
    }

    static JsonObject heartbeat() {
        return new JsonObject();
    }

    static JsonObject statusNotification(int connectorId, String status, String errorCode) {
        JsonObject payload = new JsonObject();
        payload.addProperty("connectorId", connectorId);
        payload.addProperty("errorCode", errorCode);
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

    /**
     * @param transactionId null for a reading outside a transaction
     * @param context {@code Sample.Periodic} or {@code Trigger}
     */
    static JsonObject meterValues(int connectorId, Integer transactionId, long energyWh, long powerW,
            String context, String timestamp) {
        JsonArray sampled = new JsonArray();
        sampled.add(sampledValue(Long.toString(energyWh), context, "Energy.Active.Import.Register", "Wh"));
        sampled.add(sampledValue(Long.toString(powerW), context, "Power.Active.Import", "W"));
        JsonObject meterValue = new JsonObject();
        meterValue.addProperty("timestamp", timestamp);
        meterValue.add("sampledValue", sampled);
        JsonArray meterValues = new JsonArray();
        meterValues.add(meterValue);
        JsonObject payload = new JsonObject();
        payload.addProperty("connectorId", connectorId);
        if (transactionId != null) {
            payload.addProperty("transactionId", transactionId);
        }
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

    /** The {@code {"status": ...}} answer most CSMS-initiated requests get. */
    static JsonObject status(String status) {
        JsonObject payload = new JsonObject();
        payload.addProperty("status", status);
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

    /** An idTagInfo JSON (as cached) that is Accepted and not past its {@code expiryDate}. */
    static boolean isValidAcceptance(String idTagInfoJson) {
        try {
            JsonObject info = JsonParser.parseString(idTagInfoJson).getAsJsonObject();
            String expiry = string(info, "expiryDate", null);
            return isAccepted(info) && (expiry == null || Instant.parse(expiry).isAfter(Instant.now()));
        } catch (RuntimeException e) {
            // not an object, not JSON, not a date: not something to charge on
            return false;
        }
    }

    static String string(JsonObject object, String member, String fallback) {
        JsonElement element = object == null ? null : object.get(member);
        return element != null && element.isJsonPrimitive() ? element.getAsString() : fallback;
    }

    static int integer(JsonObject object, String member, int fallback) {
        JsonElement element = object == null ? null : object.get(member);
        if (element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
            try {
                return element.getAsInt();
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static JsonObject sampledValue(String value, String context, String measurand, String unit) {
        JsonObject sampled = new JsonObject();
        sampled.addProperty("value", value);
        sampled.addProperty("context", context);
        sampled.addProperty("measurand", measurand);
        sampled.addProperty("unit", unit);
        return sampled;
    }
}
