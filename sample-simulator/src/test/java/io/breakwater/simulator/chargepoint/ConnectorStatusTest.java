package io.breakwater.simulator.chargepoint;

import static io.breakwater.simulator.chargepoint.ConnectorStatus.AVAILABLE;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.CHARGING;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.FAULTED;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.FINISHING;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.PREPARING;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.SUSPENDED_EV;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.SUSPENDED_EVSE;
import static io.breakwater.simulator.chargepoint.ConnectorStatus.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectorStatusTest {

    /** OCPP 1.6 §4.9's table of valid transitions, Reserved left out; written out again here on purpose. */
    private static final Map<ConnectorStatus, Set<ConnectorStatus>> ALLOWED = Map.of(
            AVAILABLE, EnumSet.of(PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, UNAVAILABLE, FAULTED),
            PREPARING, EnumSet.of(AVAILABLE, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING, FAULTED),
            CHARGING, EnumSet.of(AVAILABLE, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING, UNAVAILABLE, FAULTED),
            SUSPENDED_EV, EnumSet.of(AVAILABLE, CHARGING, SUSPENDED_EVSE, FINISHING, UNAVAILABLE, FAULTED),
            SUSPENDED_EVSE, EnumSet.of(AVAILABLE, CHARGING, SUSPENDED_EV, FINISHING, UNAVAILABLE, FAULTED),
            FINISHING, EnumSet.of(AVAILABLE, PREPARING, UNAVAILABLE, FAULTED),
            UNAVAILABLE, EnumSet.of(AVAILABLE, PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FAULTED),
            FAULTED, EnumSet.of(AVAILABLE, PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING, UNAVAILABLE));

    @Test
    void everyPairIsAllowedExactlyWhenOcppAllowsIt() {
        for (ConnectorStatus from : ConnectorStatus.values()) {
            for (ConnectorStatus to : ConnectorStatus.values()) {
                assertThat(from.canChangeTo(to)).as("%s -> %s", from, to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void illegalTransitionsAreRejected() {
        assertThatThrownBy(() -> AVAILABLE.requireChangeTo(FINISHING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Available -> Finishing");
        assertThatThrownBy(() -> PREPARING.requireChangeTo(UNAVAILABLE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FINISHING.requireChangeTo(CHARGING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CHARGING.requireChangeTo(PREPARING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> UNAVAILABLE.requireChangeTo(FINISHING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CHARGING.requireChangeTo(CHARGING)).isInstanceOf(IllegalStateException.class);
        assertThat(CHARGING.requireChangeTo(SUSPENDED_EV)).isEqualTo(SUSPENDED_EV);
    }

    @Test
    void namesAreTheOcppOnes() {
        assertThat(SUSPENDED_EVSE.ocppName()).isEqualTo("SuspendedEVSE");
        assertThat(ConnectorStatus.fromOcpp("SuspendedEV")).hasValue(SUSPENDED_EV);
        assertThat(ConnectorStatus.fromOcpp("Reserved")).isEmpty();
        assertThat(EnumSet.allOf(ConnectorStatus.class)).filteredOn(ConnectorStatus::isInSession)
                .containsExactlyInAnyOrder(PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING);
    }
}
