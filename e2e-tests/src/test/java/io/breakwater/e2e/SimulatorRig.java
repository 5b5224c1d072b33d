package io.breakwater.e2e;

import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.testkit.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/** A real redis-server, the embedded CSMS in this JVM, and a simulator JVM running against both. */
final class SimulatorRig implements AutoCloseable {
    final RedisServer redis;
    final EmbeddedCsms csms;
    final SimulatorJvm simulator;

    private SimulatorRig(RedisServer redis, EmbeddedCsms csms, SimulatorJvm simulator) {
        this.redis = redis;
        this.csms = csms;
        this.simulator = simulator;
    }

    /**
     * @param agentArguments {@code null} for a simulator without Breakwater
     * @param healthPort {@code 0} for no health endpoint
     */
    static SimulatorRig start(String name, Path java, List<String> jvmOptions, String agentArguments, int chargePoints,
            int healthPort) throws Exception {
        return start(name, java, jvmOptions, agentArguments,
                (csmsPort, redisUri) -> SimulatorJvm.runArguments(csmsPort, redisUri, chargePoints, healthPort));
    }

    /** As above, with the simulator's arguments made from the CSMS's port and the Redis URI. */
    static SimulatorRig start(String name, Path java, List<String> jvmOptions, String agentArguments,
            BiFunction<Integer, String, List<String>> simulatorArguments) {
        RedisServer redis = RedisServer.start();
        EmbeddedCsms csms = new EmbeddedCsms(0);
        try {
            csms.start();
            return new SimulatorRig(redis, csms, SimulatorJvm.start(name, java, jvmOptions, agentArguments, 0,
                    simulatorArguments.apply(csms.port(), redis.uri())));
        } catch (Exception | Error e) {
            csms.close();
            redis.close();
            throw e;
        }
    }

    String pid() {
        return String.valueOf(simulator.pid());
    }

    @Override
    public void close() {
        simulator.close();
        csms.close();
        redis.close();
    }
}
