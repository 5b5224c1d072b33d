package io.breakwater.simulator.csms;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a lost wake-up in Java-WebSocket's server (1.6.0, and its main branch as of December 2026). A frame
 * sent from any thread but the selector's is queued and the connection's key asked for {@code OP_WRITE}; the selector
 * thread, once it has written all it found queued, sets the key back to {@code OP_READ}. A frame queued between its
 * last look at the queue and that reset keeps waiting with no write interest, until the next frame on that connection
 * asks again. Under load this held a CSMS reply back until the charge point gave up on it and sent its CALL again
 * (docs/reliability.md, the hour at 1,000 charge points), so the CSMS got a StopTransaction twice.
 *
 * <p>Each {@link #sweep()} looks for connections in that state: frames queued, no write interest. One found so on two
 * sweeps in a row with the same frame first in its queue is stalled (a sender caught between queueing its frame and
 * asking for writing looks the same, for a moment), and is asked for writing again, as the library's own
 * {@code onWriteDemand} does. A connection still being written keeps its write interest and is never touched.
 */
final class StalledWriteSweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StalledWriteSweeper.class);

    private final Supplier<Collection<WebSocket>> connections;
    private final AtomicLong resumed = new AtomicLong();
    /** The connections the last sweep found without write interest, and the frame first in their queue then. */
    private Map<WebSocketImpl, ByteBuffer> suspects = new IdentityHashMap<>();

    StalledWriteSweeper(Supplier<Collection<WebSocket>> connections) {
        this.connections = connections;
    }

    /** One sweep, for a scheduler: a failure is logged, and the next sweep runs all the same. */
    @Override
    public void run() {
        try {
            sweep();
        } catch (Throwable t) {
            log.warn("CSMS: sweep for stalled writes failed: {}", t.toString());
        }
    }

    /** @return how many stalled connections this sweep set writing again; not thread-safe (one scheduler calls it) */
    int sweep() {
        Map<WebSocketImpl, ByteBuffer> found = new IdentityHashMap<>();
        int resumedNow = 0;
        for (WebSocket connection : connections.get()) {
            if (!(connection instanceof WebSocketImpl impl)) {
                continue;
            }
            ByteBuffer first = impl.outQueue.peek();
            SelectionKey key = impl.getSelectionKey();
            if (first == null || !withoutWriteInterest(key)) {
                continue;
            }
            if (suspects.get(impl) == first) {
                resumedNow += resume(key) ? 1 : 0;
            } else {
                found.put(impl, first);
            }
        }
        suspects = found;
        resumed.addAndGet(resumedNow);
        return resumedNow;
    }

    /** Connections found stalled and set writing again, since this sweeper was made. */
    long resumed() {
        return resumed.get();
    }

    private static boolean withoutWriteInterest(SelectionKey key) {
        try {
            return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0;
        } catch (CancelledKeyException e) {
            return false; // closed meanwhile: nothing left to write
        }
    }

    private static boolean resume(SelectionKey key) {
        try {
            key.interestOpsOr(SelectionKey.OP_WRITE);
            key.selector().wakeup();
            return true;
        } catch (CancelledKeyException e) {
            return false;
        }
    }
}
