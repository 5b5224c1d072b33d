package io.breakwater.simulator.csms;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Collection;
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
 * <p>Each {@link #sweep()} finds the connections in that state (frames queued, no write interest) and asks for
 * writing again, exactly as the library's own {@code onWriteDemand} does. Healthy connections are only looked at:
 * one with frames still being written keeps its write interest, so it is not touched.
 */
final class StalledWriteSweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StalledWriteSweeper.class);

    private final Supplier<Collection<WebSocket>> connections;
    private final AtomicLong resumed = new AtomicLong();

    StalledWriteSweeper(Supplier<Collection<WebSocket>> connections) {
        this.connections = connections;
    }

    /** One sweep, for a scheduler: a failure is logged, and the next sweep runs all the same. */
    @Override
    public void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("CSMS: sweep for stalled writes failed: {}", e.toString());
        }
    }

    /** @return how many stalled connections this sweep set writing again */
    int sweep() {
        int found = 0;
        for (WebSocket connection : connections.get()) {
            if (connection instanceof WebSocketImpl impl && impl.hasBufferedData() && resume(impl.getSelectionKey())) {
                found++;
            }
        }
        resumed.addAndGet(found);
        return found;
    }

    /** Connections found stalled and set writing again, since this sweeper was made. */
    long resumed() {
        return resumed.get();
    }

    private static boolean resume(SelectionKey key) {
        try {
            if (key == null || !key.isValid() || (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                return false;
            }
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            key.selector().wakeup();
            return true;
        } catch (CancelledKeyException e) {
            return false; // closed meanwhile: nothing left to write
        }
    }
}
