package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The accessor on JSON text, with the action and the payload in configurable argument positions. */
class JsonTextAccessorTest {

    @Test
    void actionAndPayloadComeFromTheirArguments() {
        JsonTextAccessor accessor = new JsonTextAccessor(2, 0); // send(payload, chargePointId, action)
        Object[] arguments = {"{\"connectorId\":3,\"idTag\":\"T\",\"transactionId\":-1}", "CP-1", "StopTransaction"};
        assertThat(accessor.action(arguments)).isEqualTo("StopTransaction");
        assertThat(accessor.requestInteger(arguments, "connectorId")).isEqualTo(3);
        assertThat(accessor.requestString(arguments, "idTag")).isEqualTo("T");

        Object[] changed = accessor.withTransactionId(arguments, 42);
        assertThat(changed[0]).isEqualTo("{\"connectorId\":3,\"idTag\":\"T\",\"transactionId\":42}");
        assertThat(changed[2]).isEqualTo("StopTransaction");
        assertThat(arguments[0]).asString().contains("-1"); // the application's own array is left alone
    }

    @Test
    void aMissingTransactionIdIsAddedAndSomethingUnreadableIsLeftAlone() {
        JsonTextAccessor accessor = new JsonTextAccessor(0, 1);
        assertThat(accessor.withTransactionId(new Object[] {"MeterValues", "{\"connectorId\":1}"}, 5)[1])
                .isEqualTo("{\"transactionId\":5,\"connectorId\":1}");
        assertThat(accessor.withTransactionId(new Object[] {"MeterValues", "{ }"}, 5)[1]).isEqualTo("{\"transactionId\":5 }");
        assertThat(accessor.withTransactionId(new Object[] {"MeterValues", "[1,2]"}, 5)).isNull();
        assertThat(accessor.withTransactionId(new Object[] {"MeterValues", "{\"a\":"}, 5)).isNull();
        assertThat(accessor.withTransactionId(new Object[] {"MeterValues"}, 5)).isNull();
    }

    @Test
    void repliesAreJsonText() {
        JsonTextAccessor accessor = new JsonTextAccessor(0, 1);
        String reply = "{\"transactionId\":9,\"idTagInfo\":{\"status\":\"Accepted\",\"expiryDate\":\"2030-01-01T00:00:00Z\"}}";
        IdTagInfo info = accessor.idTagInfo(reply);
        assertThat(info.status()).isEqualTo("Accepted");
        assertThat(info.expiry()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(accessor.replyTransactionId(reply)).isEqualTo(9);
        assertThat(accessor.authorizeReply(new Object[0], info))
                .isEqualTo("{\"idTagInfo\":{\"status\":\"Accepted\",\"expiryDate\":\"2030-01-01T00:00:00Z\"}}");
        assertThat(accessor.authorizeReply(new Object[0], IdTagInfo.withStatus("Expired"))).isEqualTo("{\"idTagInfo\":{\"status\":\"Expired\"}}");
        assertThat(accessor.idTagInfo("{}")).isNull();
        assertThat(accessor.idTagInfo(42)).isNull();
    }
}
