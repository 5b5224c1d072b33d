package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queued StartTransaction a Stop or MeterValues sent with a placeholder id belongs to: never a guess. */
class TransactionLinksTest {
    private final TransactionLinks links = new TransactionLinks();

    private static OfflineQueue.Message message(String action, Integer connectorId, Integer transactionId, String idTag) {
        return new OfflineQueue.Message(0, action, new Object[0], null, connectorId, transactionId, idTag);
    }

    private static OfflineQueue.Message start(int connectorId, String idTag) {
        return message("StartTransaction", connectorId, null, idTag);
    }

    @Test
    void aStopWithOneOpenStartWaitingBelongsToIt() {
        OfflineQueue.Message s1 = start(1, "A");
        assertThat(links.link(message("StopTransaction", null, -1, null), List.of(s1))).isSameAs(s1);
    }

    @Test
    void aStopThatCouldBelongToSeveralStartsIsNotGuessed() {
        OfflineQueue.Message s1 = start(1, "A");
        OfflineQueue.Message s2 = start(2, "B");
        // Connector 2 stops first: queue order says nothing about which session ended.
        assertThat(links.link(message("StopTransaction", null, -1, null), List.of(s1, s2))).isNull();
        // With the Stop's idTag it is unambiguous.
        assertThat(links.link(message("StopTransaction", null, -1, "B"), List.of(s1, s2))).isSameAs(s2);
        assertThat(links.link(message("StopTransaction", null, -1, "A"), List.of(s1, s2))).isSameAs(s1);
    }

    @Test
    void meterValuesGoToTheStartOnTheirOwnConnector() {
        OfflineQueue.Message s1 = start(1, "A");
        OfflineQueue.Message s2 = start(2, "B");
        assertThat(links.link(message("MeterValues", 1, -1, null), List.of(s1, s2))).isSameAs(s1);
        // The same placeholder from the other connector is another transaction.
        assertThat(links.link(message("MeterValues", 2, -1, null), List.of(s1, s2))).isSameAs(s2);
    }

    @Test
    void aConstantPlaceholderReusedByTheNextSessionLinksToTheNextStart() {
        OfflineQueue.Message s1 = start(1, "A");
        assertThat(links.link(message("MeterValues", 1, -1, null), List.of(s1))).isSameAs(s1);
        assertThat(links.link(message("StopTransaction", null, -1, "A"), List.of(s1))).isSameAs(s1);
        OfflineQueue.Message s2 = start(1, "A");
        assertThat(links.link(message("MeterValues", 1, -1, null), List.of(s1, s2))).isSameAs(s2);
        assertThat(links.link(message("StopTransaction", null, -1, "A"), List.of(s1, s2))).isSameAs(s2);
    }

    @Test
    void anIdTheCsmsAssignedIsNeverRelinked() {
        links.assigned(42);
        assertThat(links.link(message("StopTransaction", null, 42, null), List.of(start(1, "A")))).isNull();
    }
}
