package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakwater.simulator.ocpp.OcppCallErrorException;
import io.breakwater.simulator.ocpp.OcppCallQueue;
import io.breakwater.simulator.ocpp.OcppConnection;
import io.breakwater.simulator.ocpp.OcppTransportException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TransactionLedgerTest {

    @Test
    void recordsNothingUntilEnabled() {
        TransactionLedger ledger = new TransactionLedger();
        TransactionLedger.Entry entry = ledger.begin("CP-1", 1, "t0");
        entry.startAnswered(5);
        entry.meterValuesSent();
        entry.meterValuesDone("t1", null);

        assertThat(ledger.isEnabled()).isFalse();
        assertThat(entry).isSameAs(TransactionLedger.NONE);
        assertThat(ledger.snapshot()).isEmpty();
    }

    @Test
    void recordsEachSessionsStartMeterValuesAndStop() {
        TransactionLedger ledger = new TransactionLedger();
        ledger.enable();
        TransactionLedger.Entry entry = ledger.begin("CP-1", 2, "t0");
        entry.startAnswered(5);
        for (int i = 0; i < 4; i++) {
            entry.meterValuesSent();
        }
        entry.meterValuesDone("t1", null);
        entry.meterValuesDone("t2", new CompletionException(new OcppTransportException("not connected")));
        entry.meterValuesDone("t3", null);
        entry.stopSent("t9");
        entry.stopDone(new OcppTransportException("not connected"), false);
        entry.stopDone(null, false);

        Map<String, Object> recorded = ledger.snapshot().get("CP-1").get(0);
        assertThat(recorded).containsEntry("connectorId", 2).containsEntry("startTimestamp", "t0")
                .containsEntry("start", "delivered").containsEntry("transactionId", 5)
                .containsEntry("meterValuesSent", 4).containsEntry("meterValuesDelivered", List.of("t1", "t3"))
                .containsEntry("meterValuesFailed", List.of("t2")).containsEntry("meterValuesSkipped", 0)
                .containsEntry("stop", "delivered").containsEntry("stopTimestamp", "t9")
                .containsEntry("stopAttemptsFailed", 1);
    }

    @Test
    void aFailedStartSkipsItsMessagesAndAStopCanBeGivenUp() throws Exception {
        TransactionLedger ledger = new TransactionLedger();
        ledger.enable();
        TransactionLedger.Entry calledOff = ledger.begin("CP-1", 1, "t0");
        calledOff.startAnswered(null);
        calledOff.meterValuesSent();
        OcppCallQueue queue = new OcppCallQueue(new OcppConnection("CP-1",
                URI.create("ws://127.0.0.1:1/ocpp/CP-1")));
        CompletableFuture<String> skipped = queue.submit("MeterValues", () -> null);
        Throwable skip = skipped.handle((value, error) -> error).get();
        calledOff.meterValuesDone("t1", skip);
        calledOff.stopSent("t2");
        calledOff.stopDone(skip, false);
        TransactionLedger.Entry rejected = ledger.begin("CP-1", 1, "t3");
        rejected.startAnswered(6);
        rejected.stopSent("t4");
        OcppCallErrorException callError = new OcppCallErrorException("InternalError", "injected", "{}");
        rejected.stopDone(callError, false);
        rejected.stopDone(callError, true);

        List<Map<String, Object>> recorded = ledger.snapshot().get("CP-1");
        assertThat(recorded.get(0)).containsEntry("start", "failed").containsEntry("meterValuesSkipped", 1)
                .containsEntry("stop", "notSent");
        assertThat(recorded.get(1)).containsEntry("stop", "givenUp").containsEntry("stopAttemptsFailed", 2);
    }
}
