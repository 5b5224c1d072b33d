package io.breakwater.agent.breaker;

/** How a finished call counts for its breaker. */
public enum Outcome {
    /** The remote service answered in time. */
    SUCCESS,
    /** Connection, socket or timeout error: the remote service is unwell. */
    FAILURE,
    /** The service answered, but with an application-level error (WRONGTYPE, CALLERROR): no verdict. */
    IGNORED
}
