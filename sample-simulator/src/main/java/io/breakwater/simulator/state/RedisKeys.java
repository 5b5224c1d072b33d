package io.breakwater.simulator.state;

/** The simulator's Redis key names, in one place because tests and operators read them too. */
public final class RedisKeys {

    public static final String PREFIX = "breakwater-sim:";

    private RedisKeys() {
    }

    /** String: id of the transaction most recently started on the charge point (deleted when none is running). */
    public static String transaction(String chargePointId) {
        return PREFIX + "cp:" + chargePointId + ":tx";
    }

    /** String: the charge point's total energy register in Wh. */
    public static String meter(String chargePointId) {
        return PREFIX + "cp:" + chargePointId + ":meter";
    }

    /** Hash: connector id → last status (Available, Charging, Unavailable...). */
    public static String connectors(String chargePointId) {
        return PREFIX + "cp:" + chargePointId + ":connectors";
    }

    /** Hash: idTag → the idTagInfo JSON the CSMS last returned for it (the charge point's authorization cache). */
    public static String authorizations(String chargePointId) {
        return PREFIX + "cp:" + chargePointId + ":auth";
    }
}
