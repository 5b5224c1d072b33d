package io.breakwater.simulator.chargepoint;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The OCPP 1.6 connector statuses this simulator uses (all but Reserved: it implements no reservations) and the
 * transitions OCPP 1.6 §4.9 allows between them. {@link Connector} changes status only through
 * {@link #requireChangeTo}, so an illegal transition is a bug that fails loudly instead of reaching the CSMS.
 */
public enum ConnectorStatus {
    AVAILABLE("Available"),
    PREPARING("Preparing"),
    CHARGING("Charging"),
    SUSPENDED_EV("SuspendedEV"),
    SUSPENDED_EVSE("SuspendedEVSE"),
    FINISHING("Finishing"),
    FAULTED("Faulted"),
    UNAVAILABLE("Unavailable");

    private final String ocppName;
    private Set<ConnectorStatus> next;

    static {
        AVAILABLE.next = EnumSet.of(PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, UNAVAILABLE, FAULTED);
        PREPARING.next = EnumSet.of(AVAILABLE, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING, FAULTED);
        CHARGING.next = EnumSet.of(AVAILABLE, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING, UNAVAILABLE, FAULTED);
        SUSPENDED_EV.next = EnumSet.of(AVAILABLE, CHARGING, SUSPENDED_EVSE, FINISHING, UNAVAILABLE, FAULTED);
        SUSPENDED_EVSE.next = EnumSet.of(AVAILABLE, CHARGING, SUSPENDED_EV, FINISHING, UNAVAILABLE, FAULTED);
        FINISHING.next = EnumSet.of(AVAILABLE, PREPARING, UNAVAILABLE, FAULTED);
        FAULTED.next = EnumSet.of(AVAILABLE, PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FINISHING, UNAVAILABLE);
        UNAVAILABLE.next = EnumSet.of(AVAILABLE, PREPARING, CHARGING, SUSPENDED_EV, SUSPENDED_EVSE, FAULTED);
    }

    ConnectorStatus(String ocppName) {
        this.ocppName = ocppName;
    }

    /** The name in StatusNotification, e.g. {@code SuspendedEV}. */
    public String ocppName() {
        return ocppName;
    }

    /** Whether OCPP 1.6 allows a connector to go from this status to {@code target} (never to itself). */
    public boolean canChangeTo(ConnectorStatus target) {
        return next.contains(target);
    }

    /** @throws IllegalStateException if OCPP 1.6 does not allow this transition */
    public ConnectorStatus requireChangeTo(ConnectorStatus target) {
        if (!canChangeTo(target)) {
            throw new IllegalStateException("illegal connector status transition " + this + " -> " + target);
        }
        return target;
    }

    /** A session is under way (a cable in, energy flowing or about to): the connector is not free. */
    public boolean isInSession() {
        return this == PREPARING || this == CHARGING || this == SUSPENDED_EV || this == SUSPENDED_EVSE
                || this == FINISHING;
    }

    public static Optional<ConnectorStatus> fromOcpp(String name) {
        for (ConnectorStatus status : values()) {
            if (status.ocppName.equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return ocppName;
    }
}
