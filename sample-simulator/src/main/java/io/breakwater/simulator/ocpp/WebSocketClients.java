package io.breakwater.simulator.ocpp;

import io.breakwater.simulator.util.DaemonThreads;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one JDK {@link HttpClient} every charge point's WebSocket uses, so the threads stay bounded whatever the fleet
 * size: the client's selector thread, which does all the socket I/O, plus {@link #EXECUTOR_THREADS} daemon threads
 * ({@code sim-ws-N}) on which the WebSocket listeners and the completions of {@link OcppConnection#call} run.
 * Created on first use and kept for the life of the JVM (a JDK 17 HttpClient cannot be closed).
 */
public final class WebSocketClients {

    /** Between 2 and 4, after the number of processors. */
    public static final int EXECUTOR_THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private WebSocketClients() {
    }

    /** The shared client. */
    public static HttpClient shared() {
        return Holder.CLIENT;
    }

    private static final class Holder {
        static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(EXECUTOR_THREADS,
                DaemonThreads.named("sim-ws"));
        static final HttpClient CLIENT = HttpClient.newBuilder().executor(EXECUTOR).build();
    }
}
