package io.breakwater.simulator.csms;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class CallRecordTest {

    @Test
    void meterValuesKeepTheTimestampOfTheirFirstSample() {
        CallRecord record = CallRecord.call("MeterValues", "9", JsonParser.parseString("{\"connectorId\":2,"
                + "\"transactionId\":4,\"meterValue\":[{\"timestamp\":\"2025-01-01T00:00:01.250Z\",\"sampledValue\":[]},"
                + "{\"timestamp\":\"2025-01-01T00:00:02Z\",\"sampledValue\":[]}]}"), null, false);

        assertThat(record.transactionId()).isEqualTo(4);
        assertThat(record.connectorId()).isEqualTo(2);
        assertThat(record.timestamp()).isEqualTo("2025-01-01T00:00:01.250Z");
    }

    @Test
    void meterValuesWithoutSamplesHaveNoTimestamp() {
        assertThat(CallRecord.call("MeterValues", "1", JsonParser.parseString("{\"connectorId\":1,\"meterValue\":[]}"),
                null, false).timestamp()).isNull();
        assertThat(CallRecord.call("MeterValues", "2", JsonParser.parseString("{\"connectorId\":1}"), null, false)
                .timestamp()).isNull();
    }

    @Test
    void startTransactionKeepsTheAssignedIdAndItsTimestamp() {
        CallRecord record = CallRecord.call("StartTransaction", "3", JsonParser.parseString(
                "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2025-01-01T00:00:00Z\"}"), 12, false);

        assertThat(record.transactionId()).isEqualTo(12);
        assertThat(record.timestamp()).isEqualTo("2025-01-01T00:00:00Z");
    }
}
