package io.breakwater.simulator.csms;

import com.google.gson.JsonObject;
import io.breakwater.simulator.ocpp.Ocpp16;
import io.breakwater.simulator.ocpp.OcppCallErrorException;
import io.breakwater.simulator.ocpp.OcppMessage;
import io.breakwater.simulator.ocpp.OcppTransportException;
import io.breakwater.simulator.util.DaemonThreads;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small OCPP 1.6J central system that accepts every charge point and every request, with switches to break it:
 * go down (connections closed, new ones refused), answer slowly, answer every CALL with a CALLERROR, or never
 * answer at all. It counts and records what it receives, so tests can assert on the traffic.
 *
 * <p>Charge points connect to {@code ws://<host>:<port>/<anything>/<chargePointId>} with subprotocol
 * {@code ocpp1.6}; the last path segment is the charge point id.
 */
public class EmbeddedCsms implements AutoCloseable {

    public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 60;
    /** How long {@link #callChargePoint} waits for the charge point's answer unless told otherwise. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedCsms.class);
    private static final int START_TIMEOUT_SECONDS = 10;
    private static final int STOP_TIMEOUT_MILLIS = 2_000;
    /** A reply held back by the server's lost write wake-up leaves within two sweeps ({@link StalledWriteSweeper}). */
    private static final long STALLED_WRITE_SWEEP_MILLIS = 50;

    private final String host;
    private final CsmsReplies replies = new CsmsReplies(DEFAULT_HEARTBEAT_INTERVAL_SECONDS);
    private final ReceivedCalls received = new ReceivedCalls(ReceivedCalls.DEFAULT_CAPACITY);
    private final CallLog calls = new CallLog(CallLog.DEFAULT_CAPACITY);
    /**
     * Guards {@link #received} and {@link #calls} together: a message is counted and logged in both as one step, so a
     * reader never sees it in one and not yet in the other (a test that awaits {@code count("Heartbeat")} and then
     * reads {@link #messagesOf} finds the Heartbeat there; one that awaits the log finds it in {@link #received()}).
     */
    private final Object traffic = new Object();
    /** The latest connection of each charge point, for CSMS-initiated CALLs. */
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    private volatile Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    /** Per charge point: the most CALLs it ever had unanswered here at once (OCPP-J allows one). */
    private final ConcurrentHashMap<String, Integer> maxOutstanding = new ConcurrentHashMap<>();
    /** Delayed replies, and the sweep for replies the WebSocket server left unwritten. */
    private final ScheduledExecutorService delayedReplies =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("csms-replies"));
    private final StalledWriteSweeper stalledWrites = new StalledWriteSweeper(this::connections);
    private int port;
    private boolean started;
    private boolean closed;
    private volatile Server server;
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile boolean callErrorMode;
    private volatile boolean silent;

    /** A CSMS on 127.0.0.1; port 0 picks a free port ({@link #port()} tells which after {@link #start()}). */
    public EmbeddedCsms(int port) {
        this("127.0.0.1", port);
    }

    public EmbeddedCsms(String host, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
    }

    /** Starts listening; returns once the port is bound. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        started = true;
        listen();
        delayedReplies.scheduleWithFixedDelay(stalledWrites, STALLED_WRITE_SWEEP_MILLIS, STALLED_WRITE_SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        log.info("CSMS listening on {}", url());
    }

    /** The bound port (after {@link #start()}); stays the same across {@link #goDown()}/{@link #comeUp()}. */
    public synchronized int port() {
        return port;
    }

    /** A base URL charge points can use: {@code ws://host:port/ocpp} (append {@code /<chargePointId>}). */
    public synchronized String url() {
        return "ws://" + host + ":" + port + "/ocpp";
    }

    public void setHeartbeatInterval(Duration interval) {
        replies.setHeartbeatIntervalSeconds((int) Math.max(1, interval.toSeconds()));
    }

    public Duration heartbeatInterval() {
        return Duration.ofSeconds(replies.heartbeatIntervalSeconds());
    }

    // --- faults ---------------------------------------------------------------------------------------------------

    /** Closes every connection and stops listening, so new connections are refused until {@link #comeUp()}. */
    public synchronized void goDown() {
        int closedConnections = stopListening();
        if (closedConnections >= 0) {
            log.info("CSMS down: {} connections closed, port {} refused", closedConnections, port);
        }
    }

    /** @return how many connections were closed, or -1 if it was not listening */
    private int stopListening() {
        Server current = server;
        if (current == null) {
            return -1;
        }
        server = null;
        current.stopServing();
        List<WebSocket> open = new ArrayList<>(current.getConnections());
        try {
            current.stop(STOP_TIMEOUT_MILLIS, "CSMS going down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Java-WebSocket's stop() races its own selector thread, which may close the selector while stop() is
            // still sending close frames (ClosedSelectorException, seen with 100 connections); the server is gone
            // either way, and its sockets are closed below.
            log.debug("CSMS: stop raced the server's selector: {}", e.toString());
        }
        // stop() only sends close frames; make sure no socket outlives the server even if a peer never answered.
        for (WebSocket connection : open) {
            if (!connection.isClosed()) {
                try {
                    connection.closeConnection(CloseFrame.GOING_AWAY, "CSMS down");
                } catch (RuntimeException e) {
                    log.debug("CSMS: closing {} failed: {}", idOf(connection), e.toString());
                }
            }
            if (connection.getAttachment() instanceof Peer peer) {
                peers.remove(peer.chargePointId, peer);
                peer.close();
            }
        }
        return open.size();
    }

    /** Listens again on the same port (a Java-WebSocket server cannot restart, so this is a new server). */
    public synchronized void comeUp() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (!started) {
            start();
            return;
        }
        if (server == null) {
            listen();
            log.info("CSMS up again on port {}", port);
        }
    }

    public boolean isUp() {
        return server != null;
    }

    /**
     * How many times a connection was found with frames queued and nobody writing them, and set writing again
     * ({@link StalledWriteSweeper}): each is a reply or CALL that would otherwise have waited for the next frame.
     */
    public long stalledWritesResumed() {
        return stalledWrites.resumed();
    }

    /** Every reply is sent this much later (scheduled, never slept on a socket thread). Zero for immediate. */
    public void setReplyDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive");
        }
        replyDelay = delay;
        log.info("CSMS reply delay {} ms", delay.toMillis());
    }

    public Duration replyDelay() {
        return replyDelay;
    }

    /** When on, every CALL is answered {@code [4,id,"InternalError","injected",{}]}. */
    public void setCallErrorMode(boolean on) {
        callErrorMode = on;
        log.info("CSMS CALLERROR mode {}", on ? "on" : "off");
    }

    public boolean isCallErrorMode() {
        return callErrorMode;
    }

    /** When on, CALLs are received and counted but never answered; connections stay open. */
    public void setSilent(boolean on) {
        silent = on;
        log.info("CSMS silent mode {}", on ? "on" : "off");
    }

    public boolean isSilent() {
        return silent;
    }

    // --- CSMS-initiated calls -------------------------------------------------------------------------------------

    /**
     * Sends {@code [2,"<id>","<action>",<payload>]} to a connected charge point (RemoteStartTransaction, Reset,
     * ChangeConfiguration, TriggerMessage, ...) and returns its CALLRESULT payload as JSON text. Never throws: the
     * future fails with {@link OcppCallErrorException} when the charge point answers with a CALLERROR,
     * {@link OcppTransportException} when it is not connected or disconnects before answering,
     * {@link java.util.concurrent.TimeoutException} after {@link #setCallTimeout(Duration)} (default 30 s), and
     * {@link IllegalArgumentException} when the payload is not a JSON object.
     */
    public CompletableFuture<String> callChargePoint(String chargePointId, String action, String payloadJson) {
        try {
            Peer peer = peers.get(chargePointId);
            if (peer == null || peer.closed) {
                return CompletableFuture.failedFuture(
                        new OcppTransportException(chargePointId + " is not connected"));
            }
            String uniqueId = "csms-" + callIds.incrementAndGet();
            return peer.call(uniqueId, action, OcppMessage.call(uniqueId, action, payloadJson), callTimeout);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /** How long {@link #callChargePoint} waits for an answer. */
    public void setCallTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        callTimeout = timeout;
    }

    // --- what was received ----------------------------------------------------------------------------------------

    /** CALLs received for an action (whether or not they were answered). */
    public long count(String action) {
        synchronized (traffic) {
            return received.count(action);
        }
    }

    public Map<String, Long> counts() {
        synchronized (traffic) {
            return received.counts();
        }
    }

    /** The most recent CALLs received (up to 100 000), oldest first. */
    public List<ReceivedCall> received() {
        synchronized (traffic) {
            return received.snapshot();
        }
    }

    /**
     * The most CALLs each charge point had sent and not yet seen answered at the same time, measured here: a CALL
     * counts from its arrival until its answer is handed to the socket (never, in silent mode). OCPP-J asks for at
     * most one.
     */
    public Map<String, Integer> maxOutstandingCalls() {
        return new TreeMap<>(maxOutstanding);
    }

    /**
     * Every message received, per charge point (sorted by id), in arrival order: its CALLs (action, uniqueId,
     * transaction id, the one assigned for a StartTransaction, connector, timestamp, whether the CSMS rejected it
     * with a CALLERROR) and its answers to the CSMS's own CALLs ({@link CallRecord.Type#CALLRESULT} or
     * {@link CallRecord.Type#CALLERROR}, with the action they answer), and frames it could not read
     * ({@link CallRecord.Type#MALFORMED}). Unlike {@link #received()} it keeps every
     * message up to {@link #setMessageLogCapacity(int)} (default 1 000 000 in all).
     */
    public Map<String, List<CallRecord>> messagesByChargePoint() {
        synchronized (traffic) {
            return calls.snapshot();
        }
    }

    /** The messages one charge point sent, in arrival order (see {@link #messagesByChargePoint()}). */
    public List<CallRecord> messagesOf(String chargePointId) {
        synchronized (traffic) {
            return calls.of(chargePointId);
        }
    }

    /** Exactly-once and order of Start/MeterValues/Stop per charge point over everything logged so far. */
    public TransactionCheck checkTransactions() {
        synchronized (traffic) {
            return TransactionCheck.of(calls.snapshot(), calls.dropped());
        }
    }

    /** Bounds the per-charge-point log: past it, each new message pushes out its charge point's oldest one. */
    public void setMessageLogCapacity(int messages) {
        calls.setCapacity(messages);
    }

    /** Forgets counts, recorded CALLs, the per-charge-point log and outstanding-CALL peaks. */
    public void resetCounts() {
        synchronized (traffic) {
            received.clear();
            calls.clear();
        }
        maxOutstanding.clear();
    }

    public int connectedChargePoints() {
        Server current = server;
        return current == null ? 0 : current.getConnections().size();
    }

    public Set<String> connectedChargePointIds() {
        Set<String> ids = new TreeSet<>();
        Server current = server;
        if (current != null) {
            for (WebSocket connection : current.getConnections()) {
                Object id = connection.getAttachment();
                if (id != null) {
                    ids.add(id.toString());
                }
            }
        }
        return ids;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        boolean wasListening = stopListening() >= 0;
        closed = true;
        delayedReplies.shutdownNow();
        if (wasListening) {
            log.info("CSMS stopped");
        }
    }

    // --- internals -------------------------------------------------------------------------------------------------

    private void listen() {
        Server next = new Server(new InetSocketAddress(host, port));
        next.setReuseAddr(true);
        // An embedding test that forgets close() must still be able to exit.
        next.setDaemon(true);
        next.start();
        try {
            next.listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            stopQuietly(next);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String why = cause instanceof TimeoutException ? "not listening after " + START_TIMEOUT_SECONDS + " s"
                    : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            throw new IllegalStateException("CSMS cannot listen on " + host + ":" + port + ": " + why, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(next);
            throw new IllegalStateException("interrupted while starting the CSMS", e);
        }
        port = next.getPort();
        server = next;
    }

    /** The open connections of the current listening period (none while down). */
    private Collection<WebSocket> connections() {
        Server current = server;
        return current == null ? List.of() : current.getConnections();
    }

    private void handle(WebSocket connection, String text) {
        OcppMessage message;
        try {
            message = OcppMessage.parse(text);
        } catch (IllegalArgumentException e) {
            malformed(connection, text, e.getMessage());
            return;
        }
        Peer peer = connection.getAttachment();
        if (message instanceof OcppMessage.CallResult result) {
            peer.answered(result.uniqueId(), result.payload().toString(), null);
            return;
        }
        if (message instanceof OcppMessage.CallError error) {
            peer.answered(error.uniqueId(), null, new OcppCallErrorException(error.errorCode(),
                    error.errorDescription(), String.valueOf(error.errorDetails())));
            return;
        }
        OcppMessage.Call call = (OcppMessage.Call) message;
        if (!connection.isOpen()) {
            // Arrived while the CSMS is closing this connection (going down): it can no longer answer, so it does not
            // process it either; the charge point sees the CALL fail and may send it again.
            log.debug("CSMS: {} CALL {} arrived while closing; not processed", idOf(connection), call.action());
            return;
        }
        String chargePointId = idOf(connection);
        maxOutstanding.merge(chargePointId, peer.unanswered.incrementAndGet(), Math::max);
        if (silent) {
            record(chargePointId, call, null, false);
            return;
        }
        String reply;
        JsonObject payload = callErrorMode ? null : replies.replyTo(call.action(), call.payload());
        if (callErrorMode) {
            reply = OcppMessage.error(call.uniqueId(), "InternalError", "injected").toJson();
        } else if (payload == null) {
            reply = OcppMessage.error(call.uniqueId(), "NotImplemented", "unknown action " + call.action()).toJson();
        } else {
            reply = new OcppMessage.CallResult(call.uniqueId(), payload).toJson();
        }
        Integer assigned = payload != null && payload.has("transactionId") ? payload.get("transactionId").getAsInt()
                : null;
        record(chargePointId, call, assigned, payload == null);
        Duration delay = replyDelay;
        if (delay.isZero()) {
            answer(peer, reply);
            return;
        }
        try {
            delayedReplies.schedule(() -> answer(peer, reply), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Counts a CALL and logs it in both records as one step (see {@link #traffic}), with the transaction id the CSMS
     * assigned (StartTransaction) and whether it answered with a CALLERROR.
     */
    private void record(String chargePointId, OcppMessage.Call call, Integer assignedTransactionId, boolean rejected) {
        ReceivedCall received = new ReceivedCall(chargePointId, call.uniqueId(), call.action(),
                String.valueOf(call.payload()), Instant.now());
        CallRecord logged = CallRecord.call(call.action(), call.uniqueId(), call.payload(), assignedTransactionId,
                rejected);
        synchronized (traffic) {
            calls.record(chargePointId, logged);
            this.received.record(received);
        }
    }

    /**
     * A frame that is no well-formed CALL, CALLRESULT or CALLERROR: logged as {@link CallRecord.Type#MALFORMED}, and
     * answered with a CALLERROR FormationViolation if it looks like a CALL (OCPP-J §4.2.3), unless the CSMS is silent.
     */
    private void malformed(WebSocket connection, String text, String problem) {
        String callId = OcppMessage.callIdOf(text);
        boolean answer = callId != null && !silent;
        CallRecord logged = CallRecord.malformed(callId, answer);
        synchronized (traffic) {
            calls.record(idOf(connection), logged);
        }
        log.debug("CSMS: malformed frame from {}: {}", idOf(connection), problem);
        if (answer) {
            sendQuietly(connection, OcppMessage.error(callId, "FormationViolation", problem).toJson());
        }
    }

    /** The CALL stops counting as outstanding before its answer leaves, so a quick next CALL is never counted twice. */
    private static void answer(Peer peer, String reply) {
        peer.unanswered.decrementAndGet();
        sendQuietly(peer.connection, reply);
    }

    private static void sendQuietly(WebSocket connection, String text) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.send(text);
        } catch (RuntimeException e) {
            log.debug("CSMS: reply not sent: {}", e.toString());
        }
    }

    /** The charge point id of the connection (read as Object: a generic T would bind to char[]). */
    private static String idOf(WebSocket connection) {
        Object peer = connection.getAttachment();
        return peer == null ? "unknown" : peer.toString();
    }

    /** One charge point's connection and what the CSMS keeps about it; attached to the WebSocket at handshake. */
    private final class Peer {
        final String chargePointId;
        final WebSocket connection;
        /** CALLs received from the charge point and not answered yet. */
        final AtomicInteger unanswered = new AtomicInteger();
        /** The CSMS's own CALLs to this charge point, by uniqueId, until answered. */
        final ConcurrentHashMap<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        /** Their actions, for the log. */
        final ConcurrentHashMap<String, String> actions = new ConcurrentHashMap<>();
        volatile boolean closed;

        Peer(String chargePointId, WebSocket connection) {
            this.chargePointId = chargePointId;
            this.connection = connection;
        }

        CompletableFuture<String> call(String uniqueId, String action, String frame, Duration timeout) {
            CompletableFuture<String> result = new CompletableFuture<>();
            actions.put(uniqueId, action);
            pending.put(uniqueId, result);
            result.whenComplete((value, error) -> {
                pending.remove(uniqueId, result);
                actions.remove(uniqueId);
            });
            result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                connection.send(frame);
            } catch (RuntimeException e) {
                result.completeExceptionally(new OcppTransportException("send to " + chargePointId + " failed: " + e, e));
            }
            if (closed) {
                result.completeExceptionally(new OcppTransportException(chargePointId + " disconnected"));
            }
            return result;
        }

        /** An answer to the CSMS's CALL: logged first, so whoever the answer wakes up finds it in the log. */
        void answered(String uniqueId, String payloadJson, Throwable error) {
            String action = actions.get(uniqueId);
            CallRecord logged = CallRecord.answer(action == null ? "?" : action, uniqueId, error != null);
            synchronized (traffic) {
                calls.record(chargePointId, logged);
            }
            CompletableFuture<String> future = pending.remove(uniqueId);
            if (future == null) {
                log.debug("CSMS: {} answered a CALL it was not asked ({})", chargePointId, uniqueId);
            } else if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(payloadJson);
            }
        }

        void close() {
            closed = true;
            OcppTransportException error = new OcppTransportException(chargePointId + " disconnected");
            pending.values().forEach(future -> future.completeExceptionally(error));
        }

        @Override
        public String toString() {
            return chargePointId;
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Last non-empty path segment of the handshake's resource, e.g. {@code /ocpp/CP-0001} → {@code CP-0001}. */
    static String chargePointId(String resource) {
        String path = resource == null ? "" : resource;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        try {
            last = URLDecoder.decode(last, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // keep it raw
        }
        return last.isEmpty() ? "unknown" : last;
    }

    /** One listening period; {@link #goDown()} retires it and {@link #comeUp()} makes a new one. */
    private final class Server extends WebSocketServer {

        final CompletableFuture<Void> listening = new CompletableFuture<>();
        /** Held (shared) while a message is handled; {@link #stopServing()} takes it exclusively. */
        private final ReentrantReadWriteLock serving = new ReentrantReadWriteLock();
        private volatile boolean closing;

        Server(InetSocketAddress address) {
            super(address, 2, List.of(Ocpp16.draft()));
        }

        @Override
        public void onStart() {
            listening.complete(null);
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
            String id = chargePointId(handshake.getResourceDescriptor());
            Peer peer = new Peer(id, connection);
            connection.setAttachment(peer);
            peers.put(id, peer);
            log.debug("CSMS: {} connected", id);
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
            log.debug("CSMS: {} disconnected ({})", idOf(connection), code);
            Object attachment = connection.getAttachment();
            if (attachment instanceof Peer peer) {
                peers.remove(peer.chargePointId, peer);
                peer.close();
            }
        }

        @Override
        public void onMessage(WebSocket connection, String message) {
            serving.readLock().lock();
            try {
                if (closing) {
                    log.debug("CSMS: message from {} arrived while going down; not processed", idOf(connection));
                    return;
                }
                handle(connection, message);
            } catch (RuntimeException e) {
                log.warn("CSMS: failed to handle a message from {}: {}", idOf(connection), e.toString());
            } finally {
                serving.readLock().unlock();
            }
        }

        /**
         * Going down gracefully: every message being handled is finished (its answer handed to the socket, ahead
         * of the close frame), and any later one is not processed at all. So a charge point never has a CALL the
         * CSMS processed without also getting the answer, except with a reply delay (answers still scheduled are
         * dropped).
         */
        void stopServing() {
            serving.writeLock().lock();
            try {
                closing = true;
            } finally {
                serving.writeLock().unlock();
            }
        }

        @Override
        public void onError(WebSocket connection, Exception ex) {
            if (connection == null) {
                // The server itself failed (e.g. port in use). Reported here, in one line, instead of the library's
                // stack trace (its logger is switched off in simplelogger.properties).
                if (!listening.completeExceptionally(ex)) {
                    log.warn("CSMS server error: {}", ex.toString());
                }
            } else {
                log.debug("CSMS: error on {}: {}", idOf(connection), ex.toString());
            }
        }
    }
}
