package io.breakwater.simulator.ocpp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/** OCPP-J framing: the three message types and their JSON array form. */
public sealed interface OcppMessage permits OcppMessage.Call, OcppMessage.CallResult, OcppMessage.CallError {

    int CALL = 2;
    int CALL_RESULT = 3;
    int CALL_ERROR = 4;

    String uniqueId();

    /** This message as OCPP-J text. */
    String toJson();

    record Call(String uniqueId, String action, JsonElement payload) implements OcppMessage {
        @Override
        public String toJson() {
            JsonArray frame = new JsonArray();
            frame.add(CALL);
            frame.add(uniqueId);
            frame.add(action);
            frame.add(payload);
            return frame.toString();
        }
    }

    record CallResult(String uniqueId, JsonElement payload) implements OcppMessage {
        @Override
        public String toJson() {
            JsonArray frame = new JsonArray();
            frame.add(CALL_RESULT);
            frame.add(uniqueId);
            frame.add(payload);
            return frame.toString();
        }
    }

    record CallError(String uniqueId, String errorCode, String errorDescription, JsonElement errorDetails)
            implements OcppMessage {
        @Override
        public String toJson() {
            JsonArray frame = new JsonArray();
            frame.add(CALL_ERROR);
            frame.add(uniqueId);
            frame.add(errorCode);
            frame.add(errorDescription);
            frame.add(errorDetails == null ? new JsonObject() : errorDetails);
            return frame.toString();
        }
    }

    /** A CALL frame; the payload must be a JSON object (it is parsed, so malformed payloads fail here, not at the CSMS). */
    static String call(String uniqueId, String action, String payloadJson) {
        JsonElement payload = JsonParser.parseString(payloadJson == null ? "{}" : payloadJson);
        if (!payload.isJsonObject()) {
            throw new IllegalArgumentException("OCPP payload must be a JSON object");
        }
        return new Call(uniqueId, action, payload).toJson();
    }

    static CallError error(String uniqueId, String errorCode, String description) {
        return new CallError(uniqueId, errorCode, description, new JsonObject());
    }

    /**
     * Parses one OCPP-J frame.
     *
     * @throws IllegalArgumentException if the text is not a well-formed CALL, CALLRESULT or CALLERROR
     */
    static OcppMessage parse(String text) {
        JsonArray frame;
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonArray()) {
                throw new IllegalArgumentException("frame is not a JSON array");
            }
            frame = element.getAsJsonArray();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("frame is not JSON", e);
        }
        if (frame.size() < 3) {
            throw new IllegalArgumentException("frame too short");
        }
        int type = intAt(frame, 0);
        String uniqueId = stringAt(frame, 1);
        switch (type) {
            case CALL:
                if (frame.size() < 4) {
                    throw new IllegalArgumentException("CALL frame too short");
                }
                return new Call(uniqueId, stringAt(frame, 2), frame.get(3));
            case CALL_RESULT:
                return new CallResult(uniqueId, frame.get(2));
            case CALL_ERROR:
                String description = frame.size() > 3 ? stringAt(frame, 3) : "";
                JsonElement details = frame.size() > 4 ? frame.get(4) : new JsonObject();
                return new CallError(uniqueId, stringAt(frame, 2), description, details);
            default:
                throw new IllegalArgumentException("unknown message type " + type);
        }
    }

    /**
     * The uniqueId of a frame that looks like a CALL ({@code [2,"id",...]}) even if it is otherwise malformed, so it
     * can be answered with a CALLERROR; null if the text is no such frame.
     */
    static String callIdOf(String text) {
        try {
            JsonElement element = JsonParser.parseString(text);
            if (element.isJsonArray() && element.getAsJsonArray().size() >= 2) {
                JsonArray frame = element.getAsJsonArray();
                if (intAt(frame, 0) == CALL) {
                    return stringAt(frame, 1);
                }
            }
        } catch (RuntimeException e) {
            // not even that
        }
        return null;
    }

    private static int intAt(JsonArray frame, int index) {
        JsonElement element = frame.get(index);
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
            return element.getAsInt();
        }
        throw new IllegalArgumentException("element " + index + " is not a number");
    }

    private static String stringAt(JsonArray frame, int index) {
        JsonElement element = frame.get(index);
        if (element.isJsonPrimitive() && ((JsonPrimitive) element).isString()) {
            return element.getAsString();
        }
        throw new IllegalArgumentException("element " + index + " is not a string");
    }
}
