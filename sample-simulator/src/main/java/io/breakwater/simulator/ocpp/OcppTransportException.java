package io.breakwater.simulator.ocpp;

import java.io.IOException;

/** The CALL did not get an answer because the WebSocket was not there: not connected, send failed, or closed while pending. */
public class OcppTransportException extends IOException {

    private static final long serialVersionUID = 1L;

    public OcppTransportException(String message) {
        super(message);
    }

    public OcppTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
