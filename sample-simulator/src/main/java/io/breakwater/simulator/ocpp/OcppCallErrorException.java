package io.breakwater.simulator.ocpp;

/** The CSMS answered a CALL with a CALLERROR {@code [4,id,code,description,details]}: it is alive but refused or failed the request. */
public class OcppCallErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final String errorDescription;
    private final String errorDetailsJson;

    public OcppCallErrorException(String errorCode, String errorDescription, String errorDetailsJson) {
        super(errorCode + ": " + errorDescription);
        this.errorCode = errorCode;
        this.errorDescription = errorDescription;
        this.errorDetailsJson = errorDetailsJson == null ? "{}" : errorDetailsJson;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorDescription() {
        return errorDescription;
    }

    public String getErrorDetailsJson() {
        return errorDetailsJson;
    }
}
