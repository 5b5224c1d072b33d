package io.breakwater.simulator.csms;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One message a charge point sent, as the CSMS keeps it for order and exactly-once checks: small enough to keep every
 * message of a long run. Mostly CALLs; the charge point's answers to the CSMS's own CALLs (RemoteStartTransaction,
 * TriggerMessage, ...) are there too, in their place, so a test can see what came before what.
 *
 * @param type {@code CALL}, or {@code CALLRESULT}/{@code CALLERROR} for an answer to a CALL of the CSMS, or
 *     {@code MALFORMED} for a frame that is none of them
 * @param action the CALL's action; for an answer, the action of the CSMS's CALL it answers; {@code ?} if malformed
 * @param uniqueId the message id (for an answer, the id of the CSMS's CALL); for a malformed frame the id if it
 *     looks like a CALL, else null
 * @param transactionId for StartTransaction the id the CSMS assigned in its answer (null if it answered none); for
 *     StopTransaction and MeterValues the {@code transactionId} of the payload (null if absent); null otherwise
 * @param connectorId the payload's {@code connectorId}, if any
 * @param timestamp the payload's {@code timestamp} (StartTransaction, StopTransaction), or for MeterValues the
 *     {@code timestamp} of its first {@code meterValue}, if any
 * @param rejected for a CALL, the CSMS answered it with a CALLERROR, i.e. did not process it; for an answer, it is
 *     a CALLERROR; for a malformed frame, the CSMS answered it with FormationViolation
 */
public record CallRecord(Type type, String action, String uniqueId, Integer transactionId, Integer connectorId,
        String timestamp, boolean rejected) {

    /** OCPP-J's three message types, and a frame that is none of them. */
    public enum Type { CALL, CALLRESULT, CALLERROR, MALFORMED }

    /** A CALL from the charge point, with the transaction id the CSMS assigned if it was a StartTransaction. */
    static CallRecord call(String action, String uniqueId, JsonElement payload, Integer assignedTransactionId,
            boolean rejected) {
        JsonObject object = payload != null && payload.isJsonObject() ? payload.getAsJsonObject() : new JsonObject();
        Integer transactionId = "StartTransaction".equals(action) ? assignedTransactionId
                : integer(object, "transactionId");
        String timestamp = action.endsWith("Transaction") ? string(object, "timestamp")
                : "MeterValues".equals(action) ? firstSampleTimestamp(object) : null;
        return new CallRecord(Type.CALL, action.intern(), uniqueId, transactionId, integer(object, "connectorId"),
                timestamp, rejected);
    }

    /** The charge point's answer to the CSMS's CALL {@code uniqueId}. */
    static CallRecord answer(String action, String uniqueId, boolean callError) {
        return new CallRecord(callError ? Type.CALLERROR : Type.CALLRESULT, action, uniqueId, null, null, null,
                callError);
    }

    /** A frame the CSMS could not read; {@code callId} if it looked like a CALL. */
    static CallRecord malformed(String callId, boolean answeredWithCallError) {
        return new CallRecord(Type.MALFORMED, "?", callId, null, null, null, answeredWithCallError);
    }

    private static String firstSampleTimestamp(JsonObject object) {
        JsonElement values = object.get("meterValue");
        if (values != null && values.isJsonArray() && !values.getAsJsonArray().isEmpty()
                && values.getAsJsonArray().get(0).isJsonObject()) {
            return string(values.getAsJsonArray().get(0).getAsJsonObject(), "timestamp");
        }
        return null;
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
