package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakwater.simulator.csms.CallRecord;
import io.breakwater.simulator.csms.EmbeddedCsms;
import io.breakwater.simulator.csms.TransactionCheck;
import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A charge point application written on Java-OCA-OCPP's {@code JSONClient} (com.example.oca, which
 * knows nothing of Breakwater) in its own JVM with {@code -javaagent:...=ocpp.targets=java-oca-ocpp},
 * against the embedded CSMS, which logs every CALL. The CSMS first stops answering, then goes down:
 * calls time out and fail, the breaker opens (seen over JMX); a transaction started and stopped
 * while it is open is kept by the agent, not by the library; when the CSMS is back it arrives
 * exactly once, in order, with the transaction id the CSMS assigned, and Authorize was answered from
 * the authorization cache meanwhile.
 */
class JavaOcaOcppEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String CHARGE_POINT = "CP-OCA";

    private final EmbeddedCsms csms = new EmbeddedCsms(0);
    private final AtomicInteger commands = new AtomicInteger();
    private SimulatorJvm app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        csms.close();
    }

    private void startApplication() {
        String classPath = Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                        .split(File.pathSeparator))
                .filter(entry -> !entry.contains("breakwater-agent") && !entry.contains("/agent/target/"))
                .collect(Collectors.joining(File.pathSeparator));
        app = SimulatorJvm.launch("java-oca-ocpp-charge-point", List.of(SimulatorJvm.JAVA.toString(), "-Xmx256m",
                "-javaagent:" + SimulatorJvm.AGENT_JAR + "=ocpp.targets=java-oca-ocpp,redis.enabled=false,ocpp.callTimeout=1s,"
                        + "ocpp.resetTimeout=2s,ocpp.offline.transactionMessageRetryInterval=300ms,jmx.registerDelay=100ms",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classPath, "com.example.oca.OcaChargePointApp", csms.url(), CHARGE_POINT));
        await("application ready").atMost(PATIENCE).until(() -> app.output().contains("READY"));
        await("connected").atMost(PATIENCE).until(() -> reply("CONNECTED").equals("OK true"));
    }

    /** Sends a command to the application; its reply comes later, see {@link #replyTo}. */
    private String send(String command) {
        String id = "c" + commands.incrementAndGet();
        app.println(id + " " + command);
        return id;
    }

    private String replyTo(String id) {
        await("reply to " + id).atMost(PATIENCE).until(() -> replyOrNull(id) != null);
        return replyOrNull(id);
    }

    private String replyOrNull(String id) {
        return app.output().lines().filter(l -> l.startsWith(id + " ")).findFirst().map(l -> l.substring(id.length() + 1)).orElse(null);
    }

    private String reply(String command) {
        return replyTo(send(command));
    }

    private List<CallRecord> calls(String action) {
        return csms.messagesOf(CHARGE_POINT).stream()
                .filter(c -> c.type() == CallRecord.Type.CALL && c.action().equals(action)).toList();
    }

    private Object offlineQueue(String attribute) throws Exception {
        return app.jmx().getAttribute(new ObjectName("io.breakwater:type=OfflineQueue,name=ocpp-csms"), attribute);
    }

    @Test
    void anOutageIsRiddenOutAndItsTransactionDeliveredExactlyOnceWithTheAssignedTransactionId() throws Exception {
        csms.start();
        startApplication();
        assertThat(reply("BOOT")).isEqualTo("OK BootNotificationConfirmation");
        assertThat(reply("AUTH KNOWN")).isEqualTo("OK status=Accepted"); // the authorization cache learns it
        String online = reply("START 1 KNOWN 0");
        assertThat(online).startsWith("OK transactionId=");
        int onlineId = Integer.parseInt(online.replaceAll(".*transactionId=(\\d+).*", "$1"));
        assertThat(reply("STOP " + onlineId + " 100")).isEqualTo("OK StopTransactionConfirmation");
        await().atMost(PATIENCE).until(() -> "closed".equals(app.breakerState("ocpp-csms")));

        // The CSMS stops answering: the library would wait forever, the agent times the call out.
        csms.setSilent(true);
        assertThat(reply("HEARTBEAT")).isEqualTo("ERR TimeoutException");
        // Then it goes down: the library fails calls with CallErrorException "Not connected"; the breaker opens.
        csms.goDown();
        await("breaker OPEN over JMX").atMost(PATIENCE).until(() -> {
            reply("HEARTBEAT");
            return "open".equals(app.breakerState("ocpp-csms"));
        });
        assertThat(reply("HEARTBEAT")).isEqualTo("ERR CallErrorException Not connected");
        long notPermitted = (Long) app.breakerAttribute("ocpp-csms", "NotPermittedCallsTotal");
        assertThat(notPermitted).isPositive(); // that one was refused by the breaker, without waiting

        // While open: Authorize from the cache, a whole transaction kept by the agent. The
        // application has no transaction id before Start is answered and uses -1.
        assertThat(reply("AUTH KNOWN")).isEqualTo("OK status=Accepted");
        assertThat(reply("AUTH STRANGER")).isEqualTo("ERR CallErrorException Not connected");
        String start = send("START 1 KNOWN 1000");
        String meter = send("METER 1 -1 1500");
        String stop = send("STOP -1 2000");
        await("queued by the agent").atMost(PATIENCE).until(() -> Integer.valueOf(3).equals(offlineQueue("Queued")));
        assertThat(replyOrNull(start)).isNull();
        assertThat(replyOrNull(stop)).isNull();

        csms.setSilent(false);
        csms.comeUp();
        String started = replyTo(start);
        assertThat(started).startsWith("OK transactionId=");
        int outageId = Integer.parseInt(started.replaceAll(".*transactionId=(\\d+).*", "$1"));
        assertThat(replyTo(meter)).isEqualTo("OK MeterValuesConfirmation");
        assertThat(replyTo(stop)).isEqualTo("OK StopTransactionConfirmation");
        await("breaker CLOSED over JMX").atMost(PATIENCE).until(() -> "closed".equals(app.breakerState("ocpp-csms")));

        // Exactly once: give the library's own retry (it resends what it kept itself) time to show up.
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> calls("StartTransaction").size() == 2);
        assertThat(calls("StopTransaction")).extracting(CallRecord::transactionId).containsExactly(onlineId, outageId);
        assertThat(calls("MeterValues")).extracting(CallRecord::transactionId).containsExactly(outageId);
        List<String> order = csms.messagesOf(CHARGE_POINT).stream().filter(c -> c.type() == CallRecord.Type.CALL)
                .map(CallRecord::action).filter(a -> !a.equals("Heartbeat")).toList();
        assertThat(order).endsWith("StartTransaction", "MeterValues", "StopTransaction");
        TransactionCheck check = csms.checkTransactions();
        assertThat(check.problems()).isEmpty();
        assertThat(check.isClean()).isTrue();
        assertThat(offlineQueue("DeliveredTotal")).isEqualTo(3L);
        assertThat(app.breakwaterLines()).noneMatch(l -> l.contains("KNOWN") || l.contains("STRANGER")); // no idTags in logs
        assertThat(Map.of("started", check.startedTransactions(), "stopped", check.stoppedTransactions()))
                .containsEntry("started", 2).containsEntry("stopped", 2);
    }
}
