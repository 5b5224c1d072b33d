package io.breakwater.simulator;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Assertions on futures shared by the tests. */
public final class TestFutures {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private TestFutures() {
    }

    /** Waits for the future and returns why it failed (unwrapped once); fails the test if it succeeded. */
    public static Throwable failure(CompletableFuture<?> future) {
        if (!future.isDone()) {
            await().atMost(WAIT).until(future::isDone);
        }
        try {
            future.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected the future to fail, but it succeeded");
    }
}
