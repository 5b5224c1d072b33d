package io.breakwater.simulator.csms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.breakwater.simulator.ocpp.OcppCallErrorException;
import io.breakwater.simulator.ocpp.OcppTransportException;
import io.breakwater.simulator.util.DaemonThreads;
import io.breakwater.simulator.util.Failures;
import io.breakwater.simulator.util.HttpJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault switches of an {@link EmbeddedCsms} over HTTP on 127.0.0.1, for scripts and demos:
 * {@code POST /down}, {@code POST /up}, {@code POST /delay?ms=N}, {@code POST /callerror?on=true|false},
 * {@code POST /silent?on=true|false}, {@code GET /stats}; CALLs to charge points with
 * {@code POST /chargepoints/<id>/<Action>} (body: the JSON payload) and {@code GET /chargepoints}; ChangeAvailability
 * of the whole fleet with {@code POST /availability?type=Inoperative|Operative}; the message log
 * with {@code GET /messages?chargePoint=<id>} and {@code GET /check}.
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
        server.createContext("/stats", get(exchange -> stats()));
        server.createContext("/chargepoints", this::chargePoints);
        server.createContext("/availability", this::availability);
        server.createContext("/check", get(exchange -> csms.checkTransactions().toMap()));
        server.createContext("/messages", get(exchange -> csms.messagesOf(required(exchange, "chargePoint"))));
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
        stats.put("stalledWritesResumed", csms.stalledWritesResumed());
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

    /**
     * {@code GET /chargepoints}: who is connected. {@code POST /chargepoints/<id>/<Action>}: sends the request body
     * (a JSON object; empty means {@code {}}) as a CALL and answers, once the charge point did, 200 with its
     * CALLRESULT payload, 502 with its CALLERROR, 404 if it is not connected, 504 if it does not answer in time.
     */
    private void chargePoints(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        if (path.length == 2) {
            get(ignored -> Map.of("connected", csms.connectedChargePointIds(),
                    "maxOutstandingCalls", csms.maxOutstandingCalls())).handle(exchange);
            return;
        }
        if (path.length != 4 || !"POST".equals(exchange.getRequestMethod())) {
            try (exchange) {
                HttpJson.error(exchange, path.length != 4 ? 404 : 405,
                        path.length != 4 ? "use /chargepoints/<id>/<Action>" : "use POST");
            }
            return;
        }
        String chargePointId = path[2];
        String action = path[3];
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
        csms.callChargePoint(chargePointId, action, body.isEmpty() ? "{}" : body).whenComplete((reply, error) -> {
            try (exchange) {
                if (error == null) {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("chargePoint", chargePointId);
                    answer.put("action", action);
                    answer.put("result", JsonParser.parseString(reply));
                    HttpJson.respond(exchange, 200, answer);
                    return;
                }
                Throwable cause = Failures.unwrap(error);
                if (cause instanceof OcppCallErrorException callError) {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("error", "CALLERROR " + callError.getErrorCode() + ": " + callError.getErrorDescription());
                    answer.put("errorCode", callError.getErrorCode());
                    answer.put("errorDescription", callError.getErrorDescription());
                    HttpJson.respond(exchange, 502, answer);
                } else if (cause instanceof OcppTransportException) {
                    HttpJson.error(exchange, 404, cause.getMessage());
                } else if (cause instanceof TimeoutException) {
                    HttpJson.error(exchange, 504, chargePointId + " did not answer " + action + " in time");
                } else if (cause instanceof IllegalArgumentException || cause instanceof JsonParseException) {
                    HttpJson.error(exchange, 400, "the body must be a JSON object (" + cause.getMessage() + ")");
                } else {
                    HttpJson.error(exchange, 500, cause.toString());
                }
            } catch (IOException | RuntimeException e) {
                log.debug("control answer not sent: {}", e.toString());
            }
        });
    }

    /**
     * {@code POST /availability?type=Inoperative|Operative}: ChangeAvailability (connectorId 0, the whole charge
     * point) to every charge point connected now, all at once; answers, once every one answered or timed out, how
     * many there were and how many answered Accepted, Scheduled (Inoperative once the session under way ends),
     * Rejected or failed (with up to 20 of the failed ids).
     */
    private void availability(HttpExchange exchange) throws IOException {
        String type = HttpJson.query(exchange).get("type");
        if (!"POST".equals(exchange.getRequestMethod()) || !"Inoperative".equals(type) && !"Operative".equals(type)) {
            try (exchange) {
                HttpJson.error(exchange, "POST".equals(exchange.getRequestMethod()) ? 400 : 405,
                        "use POST /availability?type=Inoperative or type=Operative");
            }
            return;
        }
        String payload = "{\"connectorId\":0,\"type\":\"" + type + "\"}";
        Map<String, CompletableFuture<String>> calls = new TreeMap<>();
        for (String id : csms.connectedChargePointIds()) {
            calls.put(id, csms.callChargePoint(id, "ChangeAvailability", payload));
        }
        CompletableFuture.allOf(calls.values().stream()
                .map(call -> call.handle((reply, error) -> null))
                .toArray(CompletableFuture[]::new)).whenComplete((ignored, unused) -> {
                    Map<String, Long> byStatus = new TreeMap<>();
                    List<String> failed = new ArrayList<>();
                    calls.forEach((id, call) -> {
                        String status;
                        try {
                            status = JsonParser.parseString(call.join()).getAsJsonObject().get("status").getAsString();
                        } catch (RuntimeException e) {
                            status = "failed";
                            if (failed.size() < 20) {
                                failed.add(id);
                            }
                        }
                        byStatus.merge(status, 1L, Long::sum);
                    });
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("type", type);
                    answer.put("chargePoints", calls.size());
                    answer.put("answers", byStatus);
                    answer.put("failedChargePoints", failed);
                    try (exchange) {
                        HttpJson.respond(exchange, 200, answer);
                    } catch (IOException | RuntimeException e) {
                        log.debug("control answer not sent: {}", e.toString());
                    }
                });
    }

    private static HttpHandler post(Action action) {
        return handler("POST", action);
    }

    private static HttpHandler get(Action action) {
        return handler("GET", action);
    }

    /** Answers {@code action}'s result as JSON; 405 for another method (HEAD goes with GET), 400 for bad input. */
    private static HttpHandler handler(String method, Action action) {
        return exchange -> {
            try (exchange) {
                String used = exchange.getRequestMethod();
                if (!method.equals(used) && !("GET".equals(method) && "HEAD".equals(used))) {
                    HttpJson.error(exchange, 405, "use " + method);
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
