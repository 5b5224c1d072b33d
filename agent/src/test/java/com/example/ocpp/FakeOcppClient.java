package com.example.ocpp;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Lives outside io.breakwater.agent (which the agent never instruments). Stands in for an OCPP stack's send method, configured through the generic profile. */
public class FakeOcppClient {
    /** The application's own "not connected" exception, which the agent must use when failing fast. */
    public static class NotConnected extends IOException {
        public NotConnected(String message) {
            super(message);
        }
    }

    public volatile CompletableFuture<String> next = CompletableFuture.completedFuture("{}");
    public volatile int sent;

    public CompletableFuture<String> send(String action, String payload) {
        sent++;
        return next;
    }
}
