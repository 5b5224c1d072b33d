package io.breakwater.simulator.csms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionCheckTest {

    private static CallRecord start(String uniqueId, Integer transactionId, int connector, String timestamp) {
        return new CallRecord(CallRecord.Type.CALL, "StartTransaction", uniqueId, transactionId, connector, timestamp, false);
    }

    private static CallRecord meter(String uniqueId, int transactionId) {
        return new CallRecord(CallRecord.Type.CALL, "MeterValues", uniqueId, transactionId, 1, null, false);
    }

    private static CallRecord meterAt(String uniqueId, int transactionId, String sampledAt) {
        return new CallRecord(CallRecord.Type.CALL, "MeterValues", uniqueId, transactionId, 1, sampledAt, false);
    }

    private static CallRecord stop(String uniqueId, Integer transactionId) {
        return new CallRecord(CallRecord.Type.CALL, "StopTransaction", uniqueId, transactionId, null, "2025-01-01T00:01:00Z", false);
    }

    private static CallRecord status(String uniqueId) {
        return new CallRecord(CallRecord.Type.CALL, "StatusNotification", uniqueId, null, 1, null, false);
    }

    @Test
    void aCleanRunCountsTransactionsAndListsOpenOnes() {
        TransactionCheck check = TransactionCheck.of(Map.of(
                "CP-1", List.of(status("1"), start("2", 1, 1, "t1"), meter("3", 1), stop("4", 1),
                        start("5", 3, 1, "t2"), meter("6", 3)),
                "CP-2", List.of(start("1", 2, 1, "t1"), stop("2", 2))));

        assertThat(check.isClean()).as(check.toString()).isTrue();
        assertThat(check.isComplete()).isTrue();
        assertThat(check.startedTransactions()).isEqualTo(3);
        assertThat(check.stoppedTransactions()).isEqualTo(2);
        assertThat(check.openTransactions()).containsExactly(Map.entry("CP-1", Set.of(3)));
    }

    @Test
    void reportsDuplicateStartsAndStops() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                start("1", 1, 1, "t1"), start("2", 2, 1, "t1"), stop("3", 1), stop("4", 1), stop("5", 2))));

        assertThat(check.duplicateStarts()).singleElement().asString()
                .contains("CP-1", "connector 1 at t1", "2 times", "[1, 2]");
        assertThat(check.duplicateStops()).singleElement().asString().contains("CP-1", "transaction 1", "(4)");
        assertThat(check.isClean()).isFalse();
        assertThat(check.problems()).hasSize(2);
    }

    @Test
    void reportsTheSameMeterValuesSampleReceivedTwice() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                start("1", 7, 1, "t1"),
                meterAt("2", 7, "2025-01-01T00:00:05.000Z"),
                meterAt("3", 7, "2025-01-01T00:00:10.000Z"),
                meterAt("4", 7, "2025-01-01T00:00:10Z"), // the same instant, spelt otherwise: still the same sample
                meterAt("5", 7, "2025-01-01T00:00:15.000Z"),
                stop("6", 7),
                start("7", 8, 1, "t2"),
                meterAt("8", 8, "2025-01-01T00:00:10.000Z")))); // another transaction may sample at that time

        assertThat(check.duplicateMeterValues()).singleElement().asString()
                .contains("CP-1", "transaction 7", "2025-01-01T00:00:10Z", "(4)");
        assertThat(check.outOfOrder()).isEmpty();
        assertThat(check.meterValues()).isEqualTo(5);
        assertThat(check.isClean()).isFalse();
        assertThat(check.toMap()).containsEntry("duplicateMeterValues", 1).containsEntry("meterValues", 5L);
    }

    @Test
    void anIncompleteLogIsAProblemAndSaysSo() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(start("1", 1, 1, "t1"))), 3);

        assertThat(check.isComplete()).isFalse();
        assertThat(check.isClean()).isFalse();
        assertThat(check.toMap()).containsEntry("complete", false).containsEntry("droppedFromLog", 3L);
    }

    @Test
    void reportsMessagesOutOfOrder() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                meter("1", 5), stop("2", 6), start("3", 5, 1, "t1"), stop("4", 5), meter("5", 5), stop("6", null))));

        assertThat(check.outOfOrder()).hasSize(4).anySatisfy(p -> assertThat(p).contains("MeterValues for transaction 5 before"))
                .anySatisfy(p -> assertThat(p).contains("StopTransaction for transaction 6 before"))
                .anySatisfy(p -> assertThat(p).contains("MeterValues for transaction 5 after"))
                .anySatisfy(p -> assertThat(p).contains("without a transactionId"));
    }

    private static CallRecord sample(String uniqueId, int transactionId, int connector, String timestamp) {
        return new CallRecord(CallRecord.Type.CALL, "MeterValues", uniqueId, transactionId, connector, timestamp, false);
    }

    @Test
    void reportsMeterValuesSampledBeforeThePreviousOneOfTheirTransaction() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                start("1", 7, 1, "2025-01-01T00:00:00Z"),
                sample("2", 7, 1, "2025-01-01T00:00:01.000Z"), sample("3", 7, 1, "2025-01-01T00:00:03Z"),
                sample("4", 7, 1, "2025-01-01T00:00:02.500Z"), sample("5", 7, 1, "2025-01-01T00:00:04Z"),
                stop("6", 7))));

        assertThat(check.outOfOrder()).singleElement().asString()
                .contains("CP-1", "transaction 7", "sampled at 2025-01-01T00:00:02.500Z", "(4)");
    }

    @Test
    void meterValuesOfSeveralTransactionsInterleavedInOrderAreClean() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                start("1", 1, 1, "t1"), start("2", 2, 2, "t2"),
                sample("3", 1, 1, "2025-01-01T00:00:05Z"), sample("4", 2, 2, "2025-01-01T00:00:01Z"),
                sample("5", 1, 1, "2025-01-01T00:00:06Z"), sample("6", 2, 2, "2025-01-01T00:00:02Z"),
                stop("7", 1), stop("8", 2))));

        assertThat(check.isClean()).as(check.toString()).isTrue();
    }

    @Test
    void reportsMeterValuesCarryingTheTransactionIdOfAnotherConnector() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                start("1", 1, 1, "t1"), start("2", 2, 2, "t2"), sample("3", 1, 2, "2025-01-01T00:00:01Z"),
                stop("4", 1), stop("5", 2))));

        assertThat(check.wrongTransaction()).singleElement().asString()
                .contains("CP-1", "connector 2", "transaction 1", "started on connector 1");
        assertThat(check.problems()).hasSize(1);
        assertThat(check.toMap()).containsEntry("wrongTransaction", 1);
    }

    @Test
    void messagesTheCsmsRejectedDoNotCount() {
        CallRecord rejectedStop = new CallRecord(CallRecord.Type.CALL, "StopTransaction", "2", 1, null, "t", true);
        CallRecord rejectedStart = new CallRecord(CallRecord.Type.CALL, "StartTransaction", "0", null, 1, "t1", true);
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(
                rejectedStart, start("1", 1, 1, "t1"), rejectedStop, stop("3", 1))));

        assertThat(check.isClean()).as(check.toString()).isTrue();
        assertThat(check.stoppedTransactions()).isEqualTo(1);
    }

    @Test
    void answersToTheCsmsOwnCallsAreNoTransactionMessages() {
        CallRecord answer = new CallRecord(CallRecord.Type.CALLRESULT, "RemoteStopTransaction", "csms-1", null, null,
                null, false);
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(start("1", 1, 1, "t1"), answer,
                stop("2", 1))));

        assertThat(check.isClean()).as(check.toString()).isTrue();
    }

    @Test
    void anIncompleteLogIsAProblem() {
        TransactionCheck check = TransactionCheck.of(Map.of("CP-1", List.of(stop("1", 1))), 10);

        assertThat(check.isComplete()).isFalse();
        assertThat(check.problems()).first().asString().contains("dropped its 10 oldest messages");
        assertThat(check.toMap()).containsEntry("clean", false).containsEntry("outOfOrder", 1);
    }
}
