package io.breakwater.agent.ocpp;

import io.breakwater.agent.breaker.Outcome;
import io.breakwater.agent.config.OcppTarget;

/**
 * What the guard needs to know about the OCPP stack behind one configured send method: how to read
 * its messages, which of its errors mean the CSMS failed, the error it reports a message not sent
 * with, and whether it is connected at all.
 */
interface OcppStack {

    static OcppStack of(OcppTarget target) {
        return target.profile().equals(OcppTarget.JAVA_OCA_OCPP.profile()) ? new OcaStack() : new JsonTextStack(target);
    }

    MessageAccessor messages();

    /** Whether {@code error} (already unwrapped or not) is the CSMS failing, a refusal by a live CSMS, or nothing. */
    Outcome classify(Throwable error);

    /**
     * The error the application gets for a message the agent did not send, of the type the stack
     * itself reports an unsent message with.
     *
     * @param self the stack instance the call ran on, {@code null} if unknown
     */
    Throwable notSent(Object self, String message);

    /**
     * {@code false} only when the stack instance knows it has no connection: a transaction message
     * is then not handed to it (the stack might keep it and deliver it later itself, behind the
     * agent's back). {@code true} when connected or when it cannot be told.
     */
    boolean isConnected(Object self);

    /**
     * Called at each call of the send method before anything else: resolves (once per class) what
     * the stack needs from the application's class loader, so a misconfiguration shows at the first
     * call instead of at the first refusal.
     */
    default void prepare(Object self) {
    }

    /**
     * What the stack itself would throw at once for this call before sending anything (an invalid
     * request), or {@code null}: a message the agent keeps must fail as it would have without it.
     */
    Throwable refusal(Object[] arguments);
}
