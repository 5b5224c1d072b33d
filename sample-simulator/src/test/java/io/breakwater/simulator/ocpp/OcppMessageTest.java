package io.breakwater.simulator.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OcppMessageTest {

    @Test
    void framesACall() {
        assertThat(OcppMessage.call("42", "Heartbeat", "{}")).isEqualTo("[2,\"42\",\"Heartbeat\",{}]");
    }

    @Test
    void parsesTheThreeMessageTypes() {
        assertThat(OcppMessage.parse("[2,\"1\",\"Authorize\",{\"idTag\":\"X\"}]"))
                .isInstanceOfSatisfying(OcppMessage.Call.class, call -> {
                    assertThat(call.action()).isEqualTo("Authorize");
                    assertThat(call.payload().toString()).isEqualTo("{\"idTag\":\"X\"}");
                });
        assertThat(OcppMessage.parse("[3,\"1\",{\"a\":1}]"))
                .isInstanceOfSatisfying(OcppMessage.CallResult.class,
                        result -> assertThat(result.payload().toString()).isEqualTo("{\"a\":1}"));
        assertThat(OcppMessage.parse("[4,\"1\",\"InternalError\",\"injected\",{}]"))
                .isInstanceOfSatisfying(OcppMessage.CallError.class, error -> {
                    assertThat(error.errorCode()).isEqualTo("InternalError");
                    assertThat(error.errorDescription()).isEqualTo("injected");
                });
    }

    @Test
    void rejectsMalformedFrames() {
        assertThatThrownBy(() -> OcppMessage.parse("{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OcppMessage.parse("[9,\"1\",{}]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OcppMessage.parse("[2,\"1\"]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OcppMessage.parse("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorFrameHasEmptyDetails() {
        assertThat(OcppMessage.error("7", "NotImplemented", "no").toJson())
                .isEqualTo("[4,\"7\",\"NotImplemented\",\"no\",{}]");
    }
}
