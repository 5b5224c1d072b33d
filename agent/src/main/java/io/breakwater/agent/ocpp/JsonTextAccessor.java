package io.breakwater.agent.ocpp;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The messages of a send method that takes the action name and the payload as JSON text in two of
 * its arguments and completes its future with the reply's JSON text (the sample simulator's
 * {@code call(String action, String payloadJson)}, or a {@code generic} target).
 */
final class JsonTextAccessor implements MessageAccessor {
    private final int actionArgument;
    private final int payloadArgument;

    JsonTextAccessor(int actionArgument, int payloadArgument) {
        this.actionArgument = actionArgument;
        this.payloadArgument = payloadArgument;
    }

    @Override
    public String action(Object[] arguments) {
        Object value = actionArgument < arguments.length ? arguments[actionArgument] : null;
        return value == null ? "" : value.toString();
    }

    private String payload(Object[] arguments) {
        return payloadArgument < arguments.length && arguments[payloadArgument] instanceof String text ? text : null;
    }

    @Override
    public String requestString(Object[] arguments, String field) {
        return JsonFields.string(payload(arguments), field);
    }

    @Override
    public Integer requestInteger(Object[] arguments, String field) {
        return JsonFields.integer(payload(arguments), field);
    }

    @Override
    public Object[] withTransactionId(Object[] arguments, int transactionId) {
        String changed = JsonFields.with(payload(arguments), "transactionId", Integer.toString(transactionId));
        if (changed == null) {
            return null;
        }
        Object[] copy = arguments.clone();
        copy[payloadArgument] = changed;
        return copy;
    }

    @Override
    public IdTagInfo idTagInfo(Object reply) {
        String info = reply instanceof String text ? JsonFields.raw(text, "idTagInfo") : null;
        String status = JsonFields.string(info, "status");
        if (status == null) {
            return null;
        }
        String expiry = JsonFields.string(info, "expiryDate");
        Instant until = null;
        try {
            until = expiry == null ? null : Instant.parse(expiry);
        } catch (DateTimeParseException ignored) {
            // an unparseable expiry is treated as none
        }
        return new IdTagInfo(status, until, info);
    }

    @Override
    public Integer replyTransactionId(Object reply) {
        return reply instanceof String text ? JsonFields.integer(text, "transactionId") : null;
    }

    @Override
    public Object authorizeReply(Object[] arguments, IdTagInfo info) {
        String idTagInfo = info.original() instanceof String json ? json : "{\"status\":\"" + info.status() + "\"}";
        return "{\"idTagInfo\":" + idTagInfo + "}";
    }

    @Override
    public Object emptyReply(Object[] arguments) {
        return "{}";
    }
}
