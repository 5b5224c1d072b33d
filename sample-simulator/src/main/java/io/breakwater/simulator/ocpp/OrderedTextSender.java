package io.breakwater.simulator.ocpp;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Sends one WebSocket's text messages, and at last its Close, in the order they were given, one at a time: the JDK
 * WebSocket refuses a text while the previous one is still being sent, and OCPP needs the order (the CALLRESULT to a
 * TriggerMessage before the message it asked for; the answer to a Reset before the connection closes). No thread
 * waits: each send is chained to the completion of the one before (a charge point has only a few queued at once).
 */
final class OrderedTextSender {

    private final WebSocket socket;
    /** Completes when everything queued so far has been written or has failed. */
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    OrderedTextSender(WebSocket socket) {
        this.socket = socket;
    }

    /** Queues a whole text message; the future completes once it is written, or fails as the send failed. */
    CompletableFuture<Void> send(String text) {
        return queue(ws -> ws.sendText(text, true));
    }

    /** Queues the Close frame, behind every text given before. */
    CompletableFuture<Void> sendClose(int code, String reason) {
        return queue(ws -> ws.sendClose(code, reason));
    }

    private synchronized CompletableFuture<Void> queue(Function<WebSocket, CompletionStage<WebSocket>> write) {
        CompletableFuture<Void> next = last.handle((ignored, previousFailure) -> null)
                .thenCompose(ignored -> write.apply(socket))
                .thenApply(ws -> null);
        last = next;
        return next;
    }
}
