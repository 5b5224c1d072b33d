package io.breakwater.simulator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.breakwater.simulator.util.DaemonThreads;
import io.breakwater.simulator.util.HttpJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /health} and {@code GET /health/detailed}. Always HTTP 200 while the process is alive: the
 * {@code status} field says {@code UP}, or {@code DEGRADED} while any circuit breaker is open, forced open or half
 * open (the simulator still runs then, on fallbacks; half open is still probing a service that has just failed, so one
 * outage does not flap between the two). Load balancers that only look at the code see a live process; dashboards
 * read the field.
 */
public final class HealthServer implements AutoCloseable {

    public static final String UP = "UP";
    public static final String DEGRADED = "DEGRADED";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("health"));
    private final BreakerReader breakers;
    private final Supplier<Map<String, Object>> simulatorStats;
    private final Supplier<?> transactions;
    private final Supplier<?> state;

    /**
     * @param port 0 for any free port (the CLI treats 0 as "disabled" and never creates one)
     * @param simulatorStats counters shown under {@code simulator} in the detailed view
     */
    public HealthServer(String host, int port, BreakerReader breakers, Supplier<Map<String, Object>> simulatorStats)
            throws IOException {
        this(host, port, breakers, simulatorStats, null);
    }

    /**
     * As above, and {@code GET /health/transactions} answers what {@code transactions} supplies (what each charge
     * point sent per transaction); {@code null} for none (404).
     */
    public HealthServer(String host, int port, BreakerReader breakers, Supplier<Map<String, Object>> simulatorStats,
            Supplier<?> transactions) throws IOException {
        this(host, port, breakers, simulatorStats, transactions, null);
    }

    /**
     * As above, and {@code GET /health/state} answers what {@code state} supplies (what each charge point keeps in
     * Redis, as its memory has it); {@code null} for none (404).
     */
    public HealthServer(String host, int port, BreakerReader breakers, Supplier<Map<String, Object>> simulatorStats,
            Supplier<?> transactions, Supplier<?> state) throws IOException {
        this.breakers = breakers;
        this.simulatorStats = simulatorStats;
        this.transactions = transactions;
        this.state = state;
        this.server = bind(host, port);
        server.createContext("/health", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The body of {@code GET /health}: overall status and each breaker's state by name. */
    public Map<String, Object> summary() {
        List<BreakerSnapshot> snapshots = breakers.read();
        Map<String, Object> states = new LinkedHashMap<>();
        for (BreakerSnapshot breaker : snapshots) {
            states.put(breaker.name(), breaker.state());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status(snapshots));
        body.put("breakers", states);
        return body;
    }

    /** The body of {@code GET /health/detailed}: every breaker attribute plus the simulator's counters. */
    public Map<String, Object> detailed() {
        List<BreakerSnapshot> snapshots = breakers.read();
        Map<String, Object> details = new LinkedHashMap<>();
        for (BreakerSnapshot breaker : snapshots) {
            details.put(breaker.name(), breaker.attributes());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status(snapshots));
        body.put("breakers", details);
        body.put("simulator", simulatorStats.get());
        return body;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                String method = exchange.getRequestMethod();
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    HttpJson.error(exchange, 405, "use GET");
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/health") || path.equals("/health/")) {
                    HttpJson.respond(exchange, 200, summary());
                } else if (path.equals("/health/detailed")) {
                    HttpJson.respond(exchange, 200, detailed());
                } else if (path.equals("/health/state") && state != null) {
                    HttpJson.respond(exchange, 200, state.get());
                } else if (path.equals("/health/transactions") && transactions != null) {
                    HttpJson.respond(exchange, 200, transactions.get());
                } else {
                    HttpJson.error(exchange, 404, "not found");
                }
            } catch (RuntimeException e) {
                HttpJson.error(exchange, 500, e.toString());
            }
        }
    }

    private static String status(List<BreakerSnapshot> snapshots) {
        for (BreakerSnapshot breaker : snapshots) {
            if (breaker.isDegraded()) {
                return DEGRADED;
            }
        }
        return UP;
    }

    private static HttpServer bind(String host, int port) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException("health endpoint cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
