package com.example.ocpp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Stands in for an OCPP stack's send method, configured through the generic profile. Lives outside
 * io.breakwater.agent, which the agent never instruments.
 */
public class FakeOcppClient {
    /** The application's own "not connected" exception, which the agent must use when failing fast. */
    public static class NotConnected extends IOException {
        public NotConnected(String message) {
            super(message);
        }
    }

    /** Answers each call: the CSMS' behaviour, set by the test. */
    public volatile Function<String, CompletableFuture<String>> csms = action -> CompletableFuture.completedFuture("{}");
    /** Every call that reached this stack, as "Action payload", in order. */
    public final List<String> sent = new CopyOnWriteArrayList<>();

    public CompletableFuture<String> send(String action, String payload) {
        sent.add(action + " " + payload);
        return csms.apply(action);
    }
}
