package io.breakwater.simulator.chargepoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.breakwater.simulator.ocpp.IncomingCall;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCPP 1.6 Core (and RemoteTrigger) requests a CSMS sends a charge point, answered as the specification says.
 * Runs on the charge point's executor. A payload that breaks the message's rules gets the CALLERROR OCPP-J §4.2.3
 * names: a required field missing → OccurenceConstraintViolation, a field of the wrong JSON type →
 * TypeConstraintViolation, a value outside its enumeration or range → PropertyConstraintViolation; an action not in
 * the profiles → NotImplemented.
 *
 * <p>Answers go out before anything the request sets off (a triggered message, a session's first
 * StatusNotification), so the CSMS sees the CALLRESULT first.
 */
final class CsmsRequests {

    private static final Logger log = LoggerFactory.getLogger(CsmsRequests.class);
    private static final Set<String> TRIGGERABLE_NOT_IMPLEMENTED = Set.of(
            "DiagnosticsStatusNotification", "FirmwareStatusNotification");
    /** OCPP's CiString20Type for idTag. */
    private static final int ID_TAG_MAX = 20;

    /** A request the CSMS got wrong: answered with this CALLERROR code. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String errorCode;

        Rejected(String errorCode, String description) {
            super(description, null, false, false);
            this.errorCode = errorCode;
        }
    }

    private final ChargePoint chargePoint;

    CsmsRequests(ChargePoint chargePoint) {
        this.chargePoint = chargePoint;
    }

    void handle(IncomingCall request) {
        JsonObject payload = request.payload();
        try {
            switch (request.action()) {
                case "RemoteStartTransaction" -> remoteStart(request, payload);
                case "RemoteStopTransaction" -> remoteStop(request, payload);
                case "Reset" -> reset(request, payload);
                case "ChangeConfiguration" -> changeConfiguration(request, payload);
                case "GetConfiguration" -> getConfiguration(request, payload);
                case "TriggerMessage" -> trigger(request, payload);
                case "UnlockConnector" -> unlock(request, payload);
                case "ChangeAvailability" -> changeAvailability(request, payload);
                case "ClearCache" -> clearCache(request);
                case "DataTransfer" -> dataTransfer(request, payload);
                default -> request.error("NotImplemented", request.action() + " is not supported by this charge point");
            }
        } catch (Rejected e) {
            request.error(e.errorCode, e.getMessage());
        }
        log.debug("{} answered {} {}", chargePoint.id(), request.action(), payload);
    }

    private void remoteStart(IncomingCall request, JsonObject payload) {
        String idTag = requiredString(payload, "idTag", ID_TAG_MAX);
        OptionalInt connectorId = optionalInt(payload, "connectorId");
        if (connectorId.isPresent() && connectorId.getAsInt() < 1) {
            throw new Rejected("PropertyConstraintViolation", "connectorId must be at least 1");
        }
        List<Connector> candidates = connectorId.isEmpty() ? chargePoint.connectors()
                : connectorId.getAsInt() <= chargePoint.connectors().size()
                        ? List.of(chargePoint.connector(connectorId.getAsInt())) : List.of();
        Connector chosen = candidates.stream().filter(Connector::canStartRemotely).findFirst().orElse(null);
        request.reply(OcppPayloads.status(chosen != null ? "Accepted" : "Rejected"));
        if (chosen != null) {
            chosen.remoteStart(idTag);
        }
    }

    private void remoteStop(IncomingCall request, JsonObject payload) {
        int transactionId = requiredInt(payload, "transactionId");
        for (Connector connector : chargePoint.connectors()) {
            OptionalInt charging = connector.chargingTransactionId();
            if (charging.isPresent() && charging.getAsInt() == transactionId) {
                request.reply(OcppPayloads.status("Accepted"));
                connector.remoteStop();
                return;
            }
        }
        request.reply(OcppPayloads.status("Rejected"));
    }

    private void reset(IncomingCall request, JsonObject payload) {
        String type = requiredEnum(payload, "type", Set.of("Soft", "Hard"));
        request.reply(OcppPayloads.status("Accepted"));
        chargePoint.reset("Hard".equals(type));
    }

    private void changeConfiguration(IncomingCall request, JsonObject payload) {
        String key = requiredString(payload, "key", 50);
        String value = requiredString(payload, "value", 500);
        ChargePointConfiguration.Change result = chargePoint.configuration().change(key, value);
        request.reply(OcppPayloads.status(result.ocppName()));
    }

    private void getConfiguration(IncomingCall request, JsonObject payload) {
        List<String> keys = new ArrayList<>();
        JsonElement requested = payload.get("key");
        if (requested != null && !requested.isJsonNull()) {
            if (!requested.isJsonArray()) {
                throw new Rejected("TypeConstraintViolation", "key must be an array of strings");
            }
            for (JsonElement key : requested.getAsJsonArray()) {
                if (!(key instanceof JsonPrimitive primitive) || !primitive.isString()) {
                    throw new Rejected("TypeConstraintViolation", "key must be an array of strings");
                }
                keys.add(key.getAsString());
            }
        }
        ChargePointConfiguration.Lookup lookup = chargePoint.configuration().get(keys);
        JsonArray known = new JsonArray();
        for (ChargePointConfiguration.Key key : lookup.known()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("key", key.key());
            entry.addProperty("readonly", key.readonly());
            entry.addProperty("value", key.value());
            known.add(entry);
        }
        JsonObject reply = new JsonObject();
        reply.add("configurationKey", known);
        if (!lookup.unknown().isEmpty()) {
            JsonArray unknown = new JsonArray();
            lookup.unknown().forEach(unknown::add);
            reply.add("unknownKey", unknown);
        }
        request.reply(reply);
    }

    private void trigger(IncomingCall request, JsonObject payload) {
        String message = requiredString(payload, "requestedMessage", 50);
        OptionalInt connectorId = optionalInt(payload, "connectorId");
        int connectors = chargePoint.connectors().size();
        Runnable send;
        switch (message) {
            case "BootNotification" -> send = chargePoint::triggerBoot;
            case "Heartbeat" -> send = chargePoint::triggerHeartbeat;
            case "StatusNotification" -> send = connectorId.isEmpty() ? chargePoint::triggerStatusOfAll
                    : connectorId.getAsInt() == 0 ? chargePoint::triggerStatusOfAll
                    : () -> chargePoint.connector(connectorId.getAsInt()).sendStatus();
            case "MeterValues" -> send = connectorId.isEmpty() || connectorId.getAsInt() == 0
                    ? () -> chargePoint.connectors().forEach(Connector::sendTriggeredMeterValues)
                    : () -> chargePoint.connector(connectorId.getAsInt()).sendTriggeredMeterValues();
            default -> {
                if (!TRIGGERABLE_NOT_IMPLEMENTED.contains(message)) {
                    throw new Rejected("PropertyConstraintViolation", "unknown requestedMessage " + message);
                }
                request.reply(OcppPayloads.status("NotImplemented"));
                return;
            }
        }
        if (connectorId.isPresent() && (connectorId.getAsInt() < 0 || connectorId.getAsInt() > connectors)) {
            request.reply(OcppPayloads.status("Rejected"));
            return;
        }
        request.reply(OcppPayloads.status("Accepted"));
        send.run();
    }

    private void unlock(IncomingCall request, JsonObject payload) {
        int connectorId = requiredInt(payload, "connectorId");
        if (connectorId < 1) {
            throw new Rejected("PropertyConstraintViolation", "connectorId must be at least 1");
        }
        if (connectorId > chargePoint.connectors().size()) {
            request.reply(OcppPayloads.status("NotSupported"));
            return;
        }
        request.reply(OcppPayloads.status("Unlocked"));
        chargePoint.connector(connectorId).unlock();
    }

    private void changeAvailability(IncomingCall request, JsonObject payload) {
        int connectorId = requiredInt(payload, "connectorId");
        boolean operative = "Operative".equals(requiredEnum(payload, "type", Set.of("Operative", "Inoperative")));
        if (connectorId < 0 || connectorId > chargePoint.connectors().size()) {
            request.reply(OcppPayloads.status("Rejected"));
            return;
        }
        List<Connector> affected = connectorId == 0 ? chargePoint.connectors()
                : List.of(chargePoint.connector(connectorId));
        boolean scheduled = !operative && affected.stream().anyMatch(Connector::isInSession);
        request.reply(OcppPayloads.status(scheduled ? "Scheduled" : "Accepted"));
        // The status changes (and their StatusNotifications) follow the answer.
        if (connectorId == 0) {
            chargePoint.changeAvailability(operative);
        } else {
            chargePoint.connector(connectorId).changeAvailability(operative);
        }
    }

    private void clearCache(IncomingCall request) {
        chargePoint.clearAuthorizationCache().thenAccept(cleared ->
                request.reply(OcppPayloads.status(cleared ? "Accepted" : "Rejected")));
    }

    private void dataTransfer(IncomingCall request, JsonObject payload) {
        requiredString(payload, "vendorId", 255);
        request.reply(OcppPayloads.status("UnknownVendorId"));
    }

    // --- payload rules ----------------------------------------------------------------------------------------------

    private static String requiredString(JsonObject payload, String field, int maxLength) {
        JsonElement element = required(payload, field);
        if (!(element instanceof JsonPrimitive primitive) || !primitive.isString()) {
            throw new Rejected("TypeConstraintViolation", field + " must be a string");
        }
        String value = element.getAsString();
        if (value.length() > maxLength) {
            throw new Rejected("PropertyConstraintViolation", field + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    private static String requiredEnum(JsonObject payload, String field, Set<String> allowed) {
        String value = requiredString(payload, field, 50);
        if (!allowed.contains(value)) {
            throw new Rejected("PropertyConstraintViolation", field + " must be one of " + allowed);
        }
        return value;
    }

    private static int requiredInt(JsonObject payload, String field) {
        required(payload, field);
        return optionalInt(payload, field).getAsInt();
    }

    private static OptionalInt optionalInt(JsonObject payload, String field) {
        JsonElement element = payload.get(field);
        if (element == null || element.isJsonNull()) {
            return OptionalInt.empty();
        }
        if (!(element instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
            throw new Rejected("TypeConstraintViolation", field + " must be an integer");
        }
        double number = primitive.getAsDouble();
        if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
            throw new Rejected("TypeConstraintViolation", field + " must be an integer");
        }
        return OptionalInt.of((int) number);
    }

    private static JsonElement required(JsonObject payload, String field) {
        JsonElement element = payload.get(field);
        if (element == null || element.isJsonNull()) {
            throw new Rejected("OccurenceConstraintViolation", field + " is required");
        }
        return element;
    }
}
