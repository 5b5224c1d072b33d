package io.breakwater.simulator.csms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.breakwater.simulator.util.DaemonThreads;
import io.breakwater.simulator.util.HttpJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault switches of an {@link EmbeddedCsms} over HTTP on 127.0.0.1, for scripts and demos:
 * {@code POST /down}, {@code POST /up}, {@code POST /delay?ms=N}, {@code POST /callerror?on=true|false},
 * {@code POST /silent?on=true|false}, {@code GET /stats}.
 */
public final class CsmsControlApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CsmsControlApi.class);

    private final EmbeddedCsms csms;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("csms-control"));

    /** Binds 127.0.0.1:{@code port} (0 = any free port) and starts serving. */
    public CsmsControlApi(EmbeddedCsms csms, int port) throws IOException {
        this.csms = csms;
        this.server = bind("127.0.0.1", port);
        server.createContext("/down", post(exchange -> {
            csms.goDown();
            return state();
        }));
        server.createContext("/up", post(exchange -> {
            csms.comeUp();
            return state();
        }));
        server.createContext("/delay", post(exchange -> {
            long millis = Long.parseLong(required(exchange, "ms"));
            csms.setReplyDelay(Duration.ofMillis(millis));
            return state();
        }));
        server.createContext("/callerror", post(exchange -> {
            csms.setCallErrorMode(flag(exchange));
            return state();
        }));
        server.createContext("/silent", post(exchange -> {
            csms.setSilent(flag(exchange));
            return state();
        }));
        server.createContext("/stats", exchange -> {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                HttpJson.error(exchange, 405, "use GET");
                return;
            }
            HttpJson.respond(exchange, 200, stats());
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The fault switches and the counters, as GET /stats returns them. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = state();
        stats.put("connectedChargePoints", csms.connectedChargePoints());
        stats.put("counts", csms.counts());
        return stats;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("up", csms.isUp());
        state.put("port", csms.port());
        state.put("replyDelayMs", csms.replyDelay().toMillis());
        state.put("callError", csms.isCallErrorMode());
        state.put("silent", csms.isSilent());
        return state;
    }

    private interface Action {
        Object apply(HttpExchange exchange) throws Exception;
    }

    private static HttpHandler post(Action action) {
        return exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    HttpJson.error(exchange, 405, "use POST");
                    return;
                }
                try {
                    HttpJson.respond(exchange, 200, action.apply(exchange));
                } catch (IllegalArgumentException e) {
                    HttpJson.error(exchange, 400, e.getMessage() == null ? "bad request" : e.getMessage());
                } catch (Exception e) {
                    log.warn("control request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
                    HttpJson.error(exchange, 500, e.toString());
                }
            }
        };
    }

    private static String required(HttpExchange exchange, String name) {
        String value = HttpJson.query(exchange).get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing query parameter " + name);
        }
        return value;
    }

    private static boolean flag(HttpExchange exchange) {
        String value = HttpJson.query(exchange).getOrDefault("on", "true");
        if (value.equalsIgnoreCase("true") || value.equals("1")) {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.equals("0")) {
            return false;
        }
        throw new IllegalArgumentException("on must be true or false");
    }

    private static HttpServer bind(String host, int port) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException("CSMS control API cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
