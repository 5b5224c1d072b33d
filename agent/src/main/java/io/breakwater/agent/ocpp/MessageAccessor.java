package io.breakwater.agent.ocpp;

/**
 * Reads the OCPP messages of one stack's send method, and builds the replies the agent answers with
 * while the CSMS is unreachable, in the form that stack uses (JSON text, or the library's own
 * request and confirmation objects). The agent never links against an OCPP stack, so an accessor
 * scans text or reaches objects through method handles resolved per class. Every method answers
 * {@code null} for what it cannot read rather than guessing.
 */
interface MessageAccessor {

    /** The OCPP action of the call ({@code StartTransaction}), or {@code ""} when it cannot be told. */
    String action(Object[] arguments);

    /** A top-level string field of the request ({@code idTag}), or {@code null}. */
    String requestString(Object[] arguments, String field);

    /** A top-level integer field of the request ({@code connectorId}, {@code transactionId}), or {@code null}. */
    Integer requestInteger(Object[] arguments, String field);

    /**
     * The call's arguments with the request's {@code transactionId} set to {@code transactionId}: a
     * new array, or the same one whose request object was changed in place; {@code null} if it cannot.
     */
    Object[] withTransactionId(Object[] arguments, int transactionId);

    /** The {@code idTagInfo} of a reply, or {@code null}. */
    IdTagInfo idTagInfo(Object reply);

    /** The {@code transactionId} of a reply (StartTransaction.conf), or {@code null}. */
    Integer replyTransactionId(Object reply);

    /** An Authorize.conf carrying {@code info}, as the send method's future would complete with it. */
    Object authorizeReply(Object[] arguments, IdTagInfo info);

    /** The empty reply to the call (StatusNotification.conf), as the send method's future would complete with it. */
    Object emptyReply(Object[] arguments);
}
