package io.breakwater.simulator.ocpp;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One charge point's OCPP-J link to the CSMS. It owns the WebSocket and is the single path every CP→CSMS CALL takes
 * ({@link #call}).
 *
 * <p>Deliberately naive: {@code call} has no timeout of its own, so a CSMS that never answers leaves the future
 * pending until the connection closes. Reconnecting is the owner's job ({@link Listener#onClose}).
 */
public class OcppConnection implements AutoCloseable {

    /** Connection events; called on the WebSocket's own thread, so implementations must not block. */
    public interface Listener {
        default void onOpen() {
        }

        /** @param wasOpen false when a connection attempt failed before the handshake completed */
        default void onClose(int code, String reason, boolean wasOpen) {
        }
    }

    /**
     * Answers the CSMS's own CALLs (RemoteStartTransaction, Reset, ...). Called on the WebSocket's thread, so it
     * must not block: hand the work over and answer the {@link IncomingCall} later, from any thread.
     */
    public interface RequestHandler {
        void onRequest(IncomingCall request);
    }

    /** Without a handler every CSMS-initiated CALL is answered {@code NotImplemented}. */
    private static final RequestHandler NOT_IMPLEMENTED = request -> request.error("NotImplemented",
            "action not supported by this charge point: " + request.action());

    private static final Logger log = LoggerFactory.getLogger(OcppConnection.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String chargePointId;
    private final URI endpoint;
    private final ScheduledExecutorService keepAliveScheduler;
    private final Duration keepAliveInterval;
    private final AtomicLong messageIds = new AtomicLong();
    private volatile Listener listener = new Listener() { };
    private volatile RequestHandler requestHandler = NOT_IMPLEMENTED;
    private volatile Session session;
    private volatile boolean closed;

    /** A connection using Java-WebSocket's own connection-lost checker (one extra thread per connection). */
    public OcppConnection(String chargePointId, URI endpoint) {
        this(chargePointId, endpoint, null, Duration.ZERO);
    }

    /**
     * A connection whose WebSocket pings run on a shared scheduler instead of a thread per connection, so thousands
     * of charge points fit in one JVM. A link silent for 2.5 intervals is closed (and then reconnected by the owner).
     */
    public OcppConnection(String chargePointId, URI endpoint, ScheduledExecutorService keepAliveScheduler,
            Duration keepAliveInterval) {
        this.chargePointId = Objects.requireNonNull(chargePointId, "chargePointId");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.keepAliveScheduler = keepAliveScheduler;
        this.keepAliveInterval = keepAliveInterval;
    }

    public String chargePointId() {
        return chargePointId;
    }

    public URI endpoint() {
        return endpoint;
    }

    public void setListener(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public void setRequestHandler(RequestHandler handler) {
        this.requestHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Starts a connection attempt unless one is open or under way. The returned future completes when the handshake
     * succeeds, or exceptionally with {@link OcppTransportException} when the attempt fails.
     */
    public synchronized CompletableFuture<Void> connect() {
        if (closed) {
            return CompletableFuture.failedFuture(new OcppTransportException("connection closed for good"));
        }
        Session current = session;
        if (current != null && !current.finished) {
            return current.opened;
        }
        Session next = new Session();
        session = next;
        try {
            next.connect();
        } catch (RuntimeException e) {
            next.fail(new OcppTransportException("connect failed: " + e, e));
        }
        return next.opened;
    }

    public boolean isConnected() {
        Session current = session;
        return current != null && current.isOpen();
    }

    /** CALLs sent on the current WebSocket and not answered yet. */
    public int pendingCalls() {
        Session current = session;
        return current == null ? 0 : current.pending.size();
    }

    /**
     * Sends {@code [2,"<uniqueId>","<action>",<payload>]} and returns the CALLRESULT payload as JSON text.
     *
     * <p>Never throws: every failure is an exceptionally completed future — {@link OcppTransportException} when not
     * connected, when sending fails or when the connection closes while the call is pending;
     * {@link OcppCallErrorException} on a CALLERROR. No timeout: that is what a resilience layer adds.
     */
    public CompletableFuture<String> call(String action, String payloadJson) {
        try {
            Session current = session;
            if (current == null || !current.isOpen()) {
                return CompletableFuture.failedFuture(new OcppTransportException("not connected"));
            }
            String uniqueId = Long.toString(messageIds.incrementAndGet());
            String frame = OcppMessage.call(uniqueId, action, payloadJson);
            CompletableFuture<String> result = new CompletableFuture<>();
            current.pending.put(uniqueId, result);
            // Whoever completes the future (CSMS answer, close, or an external orTimeout) frees the entry.
            result.whenComplete((value, error) -> current.pending.remove(uniqueId, result));
            try {
                current.send(frame);
            } catch (RuntimeException e) {
                result.completeExceptionally(new OcppTransportException("send failed: " + e, e));
                return result;
            }
            // The close handler marks 'finished' before draining 'pending': if it drained before our put, we see it here.
            if (current.finished) {
                result.completeExceptionally(new OcppTransportException("connection closed"));
            }
            return result;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /** Closes the WebSocket (pending calls fail) and refuses further connects. */
    @Override
    public void close() {
        Session current;
        synchronized (this) {
            closed = true;
            current = session;
        }
        if (current != null) {
            current.shutdown();
        }
    }

    /** Closes the current WebSocket but allows {@link #connect()} again, like a network drop. */
    public void disconnect() {
        Session current = session;
        if (current != null) {
            current.shutdown();
        }
    }

    /** One WebSocket; a reconnect gets a new Session, so pending calls never cross connections. */
    private final class Session extends WebSocketClient {

        final ConcurrentHashMap<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        volatile boolean finished;
        private volatile boolean handshakeDone;
        private volatile long lastReceivedNanos = System.nanoTime();
        private volatile Exception lastError;
        private volatile ScheduledFuture<?> keepAlive;

        Session() {
            super(endpoint, Ocpp16.draft(), Map.of(), CONNECT_TIMEOUT_MILLIS);
            setTcpNoDelay(true);
            setDaemon(true);
            if (keepAliveScheduler != null) {
                setConnectionLostTimeout(0);
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            handshakeDone = true;
            lastReceivedNanos = System.nanoTime();
            startKeepAlive();
            opened.complete(null);
            notifyListener(true, 0, null);
        }

        @Override
        public void onMessage(String text) {
            lastReceivedNanos = System.nanoTime();
            OcppMessage message;
            try {
                message = OcppMessage.parse(text);
            } catch (IllegalArgumentException e) {
                String callId = OcppMessage.callIdOf(text);
                if (callId != null) {
                    // A CALL we can answer, but not understand: OCPP-J says FormationViolation.
                    sendQuietly(OcppMessage.error(callId, "FormationViolation", e.getMessage()).toJson());
                } else {
                    log.warn("{}: ignoring malformed frame from CSMS ({})", chargePointId, e.getMessage());
                }
                return;
            }
            // The entry goes before the future completes, so whoever the completion sets off (e.g. the next CALL of
            // a queue) already sees this CALL as answered.
            if (message instanceof OcppMessage.CallResult result) {
                CompletableFuture<String> future = pending.remove(result.uniqueId());
                if (future != null) {
                    future.complete(result.payload().toString());
                }
            } else if (message instanceof OcppMessage.CallError error) {
                CompletableFuture<String> future = pending.remove(error.uniqueId());
                if (future != null) {
                    future.completeExceptionally(new OcppCallErrorException(error.errorCode(),
                            error.errorDescription(), String.valueOf(error.errorDetails())));
                }
            } else if (message instanceof OcppMessage.Call call) {
                handleRequest(call);
            }
        }

        private void handleRequest(OcppMessage.Call call) {
            if (call.payload() == null || !call.payload().isJsonObject()) {
                sendQuietly(OcppMessage.error(call.uniqueId(), "FormationViolation",
                        "payload of " + call.action() + " must be a JSON object").toJson());
                return;
            }
            IncomingCall request = new IncomingCall(call.uniqueId(), call.action(), call.payload().getAsJsonObject(),
                    this::sendQuietly);
            try {
                requestHandler.onRequest(request);
            } catch (RuntimeException e) {
                log.warn("{}: handling {} from CSMS failed: {}", chargePointId, call.action(), e.toString());
                request.error("InternalError", "charge point failed to handle " + call.action());
            }
        }

        @Override
        public void onWebsocketPong(WebSocket conn, Framedata frame) {
            lastReceivedNanos = System.nanoTime();
            super.onWebsocketPong(conn, frame);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            String why = describe(code, reason);
            fail(new OcppTransportException(handshakeDone ? "connection closed: " + why : "connect failed: " + why));
            notifyListener(false, code, why);
        }

        @Override
        public void onError(Exception ex) {
            // onClose always follows; keep the cause for its message.
            lastError = ex;
        }

        void fail(OcppTransportException error) {
            finished = true;
            stopKeepAlive();
            opened.completeExceptionally(error);
            for (CompletableFuture<String> future : pending.values()) {
                future.completeExceptionally(error);
            }
        }

        void shutdown() {
            try {
                close(CloseFrame.NORMAL, "closing");
            } catch (RuntimeException e) {
                closeConnection(CloseFrame.ABNORMAL_CLOSE, "closing");
            }
            // Do not make pending callers wait for the close handshake (a dead peer never answers it).
            fail(new OcppTransportException("connection closed by charge point"));
        }

        private void notifyListener(boolean open, int code, String reason) {
            if (OcppConnection.this.session != this) {
                return; // superseded by a newer connection: its owner is no longer interested in this one
            }
            try {
                if (open) {
                    listener.onOpen();
                } else {
                    listener.onClose(code, reason, handshakeDone);
                }
            } catch (RuntimeException e) {
                log.warn("{}: connection listener failed: {}", chargePointId, e.toString());
            }
        }

        private String describe(int code, String reason) {
            Exception error = lastError;
            if (error != null) {
                return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
            }
            return (reason == null || reason.isEmpty()) ? "code " + code : reason + " (code " + code + ")";
        }

        private void sendQuietly(String text) {
            try {
                send(text);
            } catch (RuntimeException e) {
                log.debug("{}: could not send reply: {}", chargePointId, e.toString());
            }
        }

        private void startKeepAlive() {
            if (keepAliveScheduler == null || keepAliveInterval.isZero()) {
                return;
            }
            long intervalMillis = keepAliveInterval.toMillis();
            long deadNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis * 5 / 2);
            try {
                keepAlive = keepAliveScheduler.scheduleWithFixedDelay(() -> {
                    if (!isOpen()) {
                        return;
                    }
                    if (System.nanoTime() - lastReceivedNanos > deadNanos) {
                        closeConnection(CloseFrame.ABNORMAL_CLOSE, "no pong from CSMS");
                    } else {
                        try {
                            sendPing();
                        } catch (RuntimeException ignored) {
                            // the close handler reports the broken link
                        }
                    }
                }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                log.debug("{}: keep-alive not scheduled: {}", chargePointId, e.toString());
            }
        }

        private void stopKeepAlive() {
            ScheduledFuture<?> task = keepAlive;
            if (task != null) {
                task.cancel(false);
            }
        }
    }
}
