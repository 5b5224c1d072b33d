package io.breakwater.simulator.csms;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One CALL a charge point sent, as the CSMS keeps it for order and exactly-once checks: small enough to keep every
 * message of a long run.
 *
 * @param transactionId for StartTransaction the id the CSMS assigned in its answer (null if it answered none); for
 *     StopTransaction and MeterValues the {@code transactionId} of the payload (null if absent); null otherwise
 * @param connectorId the payload's {@code connectorId}, if any
 * @param timestamp the payload's {@code timestamp} (StartTransaction, StopTransaction), if any
 * @param rejected the CSMS answered with a CALLERROR, i.e. did not process the message
 */
public record CallRecord(String action, String uniqueId, Integer transactionId, Integer connectorId,
        String timestamp, boolean rejected) {

    static CallRecord of(String action, String uniqueId, JsonElement payload, Integer assignedTransactionId,
            boolean rejected) {
        JsonObject object = payload != null && payload.isJsonObject() ? payload.getAsJsonObject() : new JsonObject();
        Integer transactionId = "StartTransaction".equals(action) ? assignedTransactionId
                : integer(object, "transactionId");
        String timestamp = action.endsWith("Transaction") ? string(object, "timestamp") : null;
        return new CallRecord(action.intern(), uniqueId, transactionId, integer(object, "connectorId"), timestamp,
                rejected);
    }

    private static Integer integer(JsonObject object, String member) {
        JsonElement element = object.get(member);
        if (element instanceof JsonPrimitive primitive && primitive.isNumber()) {
            try {
                return primitive.getAsInt();
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String string(JsonObject object, String member) {
        JsonElement element = object.get(member);
        return element instanceof JsonPrimitive primitive && primitive.isString() ? primitive.getAsString() : null;
    }
}
