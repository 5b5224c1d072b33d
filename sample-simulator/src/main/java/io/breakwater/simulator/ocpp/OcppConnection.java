package io.breakwater.simulator.ocpp;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One charge point's OCPP-J link to the CSMS. It owns the WebSocket and is the single path every CP→CSMS CALL takes
 * ({@link #call}).
 *
 * <p>The WebSocket is the JDK's ({@code java.net.http}), made by the one {@link WebSocketClients#shared() shared}
 * HttpClient: a fleet of any size uses the same few threads, none of its own per connection. Messages leave in the
 * order they were given ({@link OrderedTextSender}).
 *
 * <p>Deliberately naive: {@code call} has no timeout of its own, so a CSMS that never answers leaves the future
 * pending until the connection closes. Reconnecting is the owner's job ({@link Listener#onClose}).
 */
public class OcppConnection implements AutoCloseable {

    /** Connection events; called on a thread of the shared WebSocket client, so implementations must not block. */
    public interface Listener {
        default void onOpen() {
        }

        /** @param wasOpen false when a connection attempt failed before the handshake completed */
        default void onClose(int code, String reason, boolean wasOpen) {
        }

        /** A frame from the CSMS that was dropped, not understood: counted by {@code kind}, never fatal. */
        default void onBadFrame(BadFrame kind) {
        }
    }

    /** What was wrong with a frame the CSMS sent. */
    public enum BadFrame {
        /** Not JSON, or not an OCPP-J message array (answered with FormationViolation if it names a CALL id). */
        MALFORMED,
        /** A CALLRESULT or CALLERROR for a CALL this connection has not sent, or already had answered. */
        UNKNOWN_ID,
        /** Longer than {@link #MAX_FRAME_CHARS}: dropped unread, so a CSMS cannot exhaust the charge point's memory. */
        OVERSIZED,
        /** A binary frame: OCPP-J is text only. */
        BINARY
    }

    /** The longest text frame read from the CSMS (OCPP 1.6 messages are a few kB). */
    public static final int MAX_FRAME_CHARS = 1 << 20;

    /**
     * Answers the CSMS's own CALLs (RemoteStartTransaction, Reset, ...). Called on a WebSocket client thread, so it
     * must not block: hand the work over and answer the {@link IncomingCall} later, from any thread.
     */
    public interface RequestHandler {
        void onRequest(IncomingCall request);
    }

    /** Without a handler every CSMS-initiated CALL is answered {@code NotImplemented}. */
    private static final RequestHandler NOT_IMPLEMENTED = request -> request.error("NotImplemented",
            "action not supported by this charge point: " + request.action());

    private static final Logger log = LoggerFactory.getLogger(OcppConnection.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A Close that cannot be written in this time (a peer that stopped reading) is given up: the socket is cut. */
    private static final long CLOSE_TIMEOUT_MILLIS = 1_000;
    private static final int NORMAL_CLOSURE = WebSocket.NORMAL_CLOSURE;
    private static final int ABNORMAL_CLOSURE = 1006;

    private final String chargePointId;
    private final URI endpoint;
    private final ScheduledExecutorService keepAliveScheduler;
    private final Duration keepAliveInterval;
    private final AtomicLong messageIds = new AtomicLong();
    private volatile Listener listener = new Listener() { };
    private volatile RequestHandler requestHandler = NOT_IMPLEMENTED;
    private volatile Session session;
    private volatile boolean closed;

    /** A connection without keep-alive pings (a dead link shows when the operating system notices). */
    public OcppConnection(String chargePointId, URI endpoint) {
        this(chargePointId, endpoint, null, Duration.ZERO);
    }

    /**
     * A connection that pings the CSMS every {@code keepAliveInterval} from a shared scheduler. A link silent for 2.5
     * intervals is closed (and then reconnected by the owner).
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
        next.connect();
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
            current.send(frame).whenComplete((sent, error) -> {
                if (error != null) {
                    result.completeExceptionally(new OcppTransportException("send failed: " + describe(error), error));
                }
            });
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
    private final class Session implements WebSocket.Listener {

        final ConcurrentHashMap<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        volatile boolean finished;
        /** Set once the owner was told the connection is over; guarded by this Session, as the listener calls are. */
        private boolean ended;
        /** The parts of a text message that came in several frames; listener calls never overlap. */
        private final StringBuilder partial = new StringBuilder();
        /** The text frame being received has outgrown {@link #MAX_FRAME_CHARS}: its rest is skipped. */
        private boolean oversized;
        private volatile boolean handshakeDone;
        private volatile WebSocket socket;
        private volatile OrderedTextSender sender;
        private volatile long lastReceivedNanos = System.nanoTime();
        private volatile ScheduledFuture<?> keepAlive;

        void connect() {
            try {
                WebSocketClients.shared().newWebSocketBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .subprotocols(Ocpp16.SUBPROTOCOL)
                        .buildAsync(endpoint, this)
                        .whenComplete((webSocket, error) -> {
                            if (error != null) {
                                end(ABNORMAL_CLOSURE, describe(error));
                            } else if (finished) {
                                webSocket.abort(); // shut down while the handshake was under way
                            }
                        });
            } catch (RuntimeException e) {
                end(ABNORMAL_CLOSURE, describe(e));
            }
        }

        boolean isOpen() {
            return handshakeDone && !finished;
        }

        /** Queues a text frame behind the ones before it. */
        CompletableFuture<Void> send(String text) {
            OrderedTextSender current = sender;
            return current == null ? CompletableFuture.failedFuture(new OcppTransportException("not connected"))
                    : current.send(text);
        }

        /**
         * The listener hears of the open connection before {@link #connect()}'s future completes, and under the same
         * lock as {@link #end}: a close that comes at once (even from whoever waited for the future) is told after it.
         */
        @Override
        public void onOpen(WebSocket webSocket) {
            synchronized (this) {
                socket = webSocket;
                sender = new OrderedTextSender(webSocket);
                if (finished) {
                    webSocket.abort(); // shut down while the handshake was under way
                    return;
                }
                handshakeDone = true;
                lastReceivedNanos = System.nanoTime();
                startKeepAlive();
                notifyListener(true, 0, null);
            }
            webSocket.request(1);
            opened.complete(null);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastReceivedNanos = System.nanoTime();
            if (!oversized && partial.length() + data.length() > MAX_FRAME_CHARS) {
                oversized = true;
                partial.setLength(0);
                partial.trimToSize();
            }
            if (!oversized) {
                partial.append(data);
            }
            if (last) {
                if (oversized) {
                    oversized = false;
                    badFrame(BadFrame.OVERSIZED, "a frame longer than " + MAX_FRAME_CHARS + " characters");
                } else {
                    String text = partial.toString();
                    partial.setLength(0);
                    try {
                        onMessage(text);
                    } catch (RuntimeException e) {
                        log.warn("{}: handling a frame from CSMS failed: {}", chargePointId, e.toString());
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                badFrame(BadFrame.BINARY, "a binary frame (OCPP-J uses text)");
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastReceivedNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            end(statusCode, (reason == null || reason.isEmpty()) ? "code " + statusCode
                    : reason + " (code " + statusCode + ")");
            return null; // the JDK answers the Close and closes the socket
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            end(ABNORMAL_CLOSURE, describe(error));
        }

        /** Counts the frame for the listener and logs it (never its content: it may carry idTags). */
        private void badFrame(BadFrame kind, String what) {
            log.debug("{}: ignoring {} from CSMS", chargePointId, what);
            try {
                listener.onBadFrame(kind);
            } catch (RuntimeException e) {
                log.warn("{}: listener failed on a bad frame: {}", chargePointId, e.toString());
            }
        }

        private void onMessage(String text) {
            OcppMessage message;
            try {
                message = OcppMessage.parse(text);
            } catch (IllegalArgumentException e) {
                String callId = OcppMessage.callIdOf(text);
                if (callId != null) {
                    // A CALL we can answer, but not understand: OCPP-J says FormationViolation.
                    sendQuietly(OcppMessage.error(callId, "FormationViolation", e.getMessage()).toJson());
                }
                badFrame(BadFrame.MALFORMED, "a malformed frame (" + e.getMessage() + ")");
                return;
            }
            // The entry goes before the future completes, so whoever the completion sets off (e.g. the next CALL of
            // a queue) already sees this CALL as answered.
            if (message instanceof OcppMessage.CallResult result) {
                CompletableFuture<String> future = pending.remove(result.uniqueId());
                if (future != null) {
                    future.complete(result.payload().toString());
                } else {
                    badFrame(BadFrame.UNKNOWN_ID, "a CALLRESULT for no CALL of ours");
                }
            } else if (message instanceof OcppMessage.CallError error) {
                CompletableFuture<String> future = pending.remove(error.uniqueId());
                if (future != null) {
                    future.completeExceptionally(new OcppCallErrorException(error.errorCode(),
                            error.errorDescription(), String.valueOf(error.errorDetails())));
                } else {
                    badFrame(BadFrame.UNKNOWN_ID, "a CALLERROR for no CALL of ours");
                }
            } else if (message instanceof OcppMessage.Call call) {
                handleRequest(call);
            }
        }

        private void handleRequest(OcppMessage.Call call) {
            if (call.payload() == null || !call.payload().isJsonObject()) {
                sendQuietly(OcppMessage.error(call.uniqueId(), "FormationViolation",
                        "payload of " + call.action() + " must be a JSON object").toJson());
                badFrame(BadFrame.MALFORMED, "a " + call.action() + " whose payload is no JSON object");
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

        /** The connection is over (closed by either side, broken, or never made): once, whoever notices first. */
        private synchronized void end(int code, String why) {
            if (ended) {
                return;
            }
            ended = true;
            fail(new OcppTransportException(handshakeDone ? "connection closed: " + why : "connect failed: " + why));
            notifyListener(false, code, why);
        }

        void fail(OcppTransportException error) {
            finished = true;
            stopKeepAlive();
            opened.completeExceptionally(error);
            for (CompletableFuture<String> future : pending.values()) {
                future.completeExceptionally(error);
            }
        }

        /**
         * Closes the WebSocket after what was queued before; pending calls fail at once, not after the handshake.
         * Under the lock {@link #onOpen} takes: a handshake finishing meanwhile either is closed here or aborts itself.
         */
        synchronized void shutdown() {
            fail(new OcppTransportException("connection closed by charge point"));
            WebSocket current = socket;
            OrderedTextSender currentSender = sender;
            if (current != null && currentSender != null) {
                currentSender.sendClose(NORMAL_CLOSURE, "closing")
                        .orTimeout(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .whenComplete((closed, error) -> current.abort());
            }
            end(NORMAL_CLOSURE, "closing (code " + NORMAL_CLOSURE + ")");
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

        private void sendQuietly(String text) {
            send(text).whenComplete((sent, error) -> {
                if (error != null) {
                    log.debug("{}: could not send reply: {}", chargePointId, describe(error));
                }
            });
        }

        private void startKeepAlive() {
            if (keepAliveScheduler == null || keepAliveInterval.isZero()) {
                return;
            }
            long intervalMillis = keepAliveInterval.toMillis();
            long deadNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis * 5 / 2);
            try {
                keepAlive = keepAliveScheduler.scheduleWithFixedDelay(() -> {
                    WebSocket current = socket;
                    if (!isOpen() || current == null) {
                        return;
                    }
                    if (System.nanoTime() - lastReceivedNanos > deadNanos) {
                        end(ABNORMAL_CLOSURE, "no pong from CSMS");
                        current.abort();
                    } else {
                        try {
                            current.sendPing(ByteBuffer.allocate(0));
                        } catch (RuntimeException ignored) {
                            // a ping still on its way (IllegalStateException): the next round tries again
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

    /** {@code ConnectException: Connection refused}, unwrapped from the future's wrapper. */
    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
    }
}
