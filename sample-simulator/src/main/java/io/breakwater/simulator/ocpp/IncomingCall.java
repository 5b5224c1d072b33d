package io.breakwater.simulator.ocpp;

import com.google.gson.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A CALL the CSMS sent to this charge point, to be answered exactly once with {@link #reply} (CALLRESULT) or
 * {@link #error} (CALLERROR), from any thread. The answer is handed to the WebSocket before the method returns, so
 * a CALL the handler sends afterwards (e.g. the message a TriggerMessage asked for) goes out after it.
 */
public final class IncomingCall {

    private final String uniqueId;
    private final String action;
    private final JsonObject payload;
    private final Consumer<String> sender;
    private final AtomicBoolean answered = new AtomicBoolean();

    IncomingCall(String uniqueId, String action, JsonObject payload, Consumer<String> sender) {
        this.uniqueId = uniqueId;
        this.action = action;
        this.payload = payload;
        this.sender = sender;
    }

    public String uniqueId() {
        return uniqueId;
    }

    public String action() {
        return action;
    }

    /** The request payload (always a JSON object: anything else was answered with FormationViolation already). */
    public JsonObject payload() {
        return payload;
    }

    /** Answers with a CALLRESULT; false if this CALL was answered already. */
    public boolean reply(JsonObject result) {
        return answer(new OcppMessage.CallResult(uniqueId, result == null ? new JsonObject() : result).toJson());
    }

    /** Answers with a CALLERROR such as {@code NotImplemented} or {@code FormationViolation}; false if answered already. */
    public boolean error(String errorCode, String description) {
        return answer(new OcppMessage.CallError(uniqueId, errorCode, description == null ? "" : description,
                new JsonObject()).toJson());
    }

    public boolean isAnswered() {
        return answered.get();
    }

    private boolean answer(String frame) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        sender.accept(frame);
        return true;
    }
}
