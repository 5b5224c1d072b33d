package io.breakwater.testkit;

import static org.awaitility.Awaitility.await;

import eu.chargetime.ocpp.JSONServer;
import eu.chargetime.ocpp.ServerEvents;
import eu.chargetime.ocpp.feature.profile.ServerCoreEventHandler;
import eu.chargetime.ocpp.feature.profile.ServerCoreProfile;
import eu.chargetime.ocpp.model.Request;
import eu.chargetime.ocpp.model.SessionInformation;
import eu.chargetime.ocpp.model.core.AuthorizationStatus;
import eu.chargetime.ocpp.model.core.AuthorizeConfirmation;
import eu.chargetime.ocpp.model.core.AuthorizeRequest;
import eu.chargetime.ocpp.model.core.BootNotificationConfirmation;
import eu.chargetime.ocpp.model.core.BootNotificationRequest;
import eu.chargetime.ocpp.model.core.DataTransferConfirmation;
import eu.chargetime.ocpp.model.core.DataTransferRequest;
import eu.chargetime.ocpp.model.core.DataTransferStatus;
import eu.chargetime.ocpp.model.core.HeartbeatConfirmation;
import eu.chargetime.ocpp.model.core.HeartbeatRequest;
import eu.chargetime.ocpp.model.core.IdTagInfo;
import eu.chargetime.ocpp.model.core.MeterValuesConfirmation;
import eu.chargetime.ocpp.model.core.MeterValuesRequest;
import eu.chargetime.ocpp.model.core.RegistrationStatus;
import eu.chargetime.ocpp.model.core.StartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.StartTransactionRequest;
import eu.chargetime.ocpp.model.core.StatusNotificationConfirmation;
import eu.chargetime.ocpp.model.core.StatusNotificationRequest;
import eu.chargetime.ocpp.model.core.StopTransactionConfirmation;
import eu.chargetime.ocpp.model.core.StopTransactionRequest;
import java.net.Socket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CSMS built on Java-OCA-OCPP's {@code JSONServer} (OCPP 1.6J core profile): a real third-party
 * peer for interop tests. It accepts every charge point (named by the last segment of its URL) and
 * every request, assigns transaction ids from 1, and records each request as the library parsed
 * it, in arrival order. Authorize answers {@code Accepted} unless {@link #authorize} says otherwise.
 */
public final class OcaCentralSystem implements AutoCloseable {

    /** A request the library received and parsed, from the charge point {@code chargePointId}. */
    public record Received(String chargePointId, Request request) {}

    private final int port;
    private final JSONServer server;
    private final Map<UUID, String> sessions = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AuthorizationStatus> authorizations = new ConcurrentHashMap<>();
    private final AtomicInteger transactionIds = new AtomicInteger();

    private OcaCentralSystem(int port) {
        this.port = port;
        this.server = new JSONServer(new ServerCoreProfile(new Handler()));
    }

    /** Listens on a free port of 127.0.0.1; returns once it accepts connections. */
    public static OcaCentralSystem start() {
        return start(FreePort.find());
    }

    public static OcaCentralSystem start(int port) {
        OcaCentralSystem csms = new OcaCentralSystem(port);
        csms.server.open("127.0.0.1", port, new Sessions(csms));
        await("OCA JSONServer listening on " + port).atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return csms;
    }

    public int port() {
        return port;
    }

    /** The base URL; a charge point appends {@code /<chargePointId>}. */
    public String url() {
        return "ws://127.0.0.1:" + port + "/ocpp";
    }

    /** What Authorize answers for {@code idTag} from now on. */
    public void authorize(String idTag, AuthorizationStatus status) {
        authorizations.put(idTag, status);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests of one type from one charge point, in arrival order. */
    public <T extends Request> List<T> received(String chargePointId, Class<T> type) {
        return received.stream().filter(r -> r.chargePointId().equals(chargePointId) && type.isInstance(r.request()))
                .map(r -> type.cast(r.request())).toList();
    }

    /** The action names one charge point sent, in arrival order ({@code StartTransactionRequest} is {@code StartTransaction}). */
    public List<String> actions(String chargePointId) {
        return received.stream().filter(r -> r.chargePointId().equals(chargePointId))
                .map(r -> r.request().getClass().getSimpleName().replaceFirst("Request$", "")).toList();
    }

    public Set<String> connectedChargePoints() {
        return Set.copyOf(sessions.values());
    }

    @Override
    public void close() {
        server.close();
    }

    private <T extends Request> T record(UUID session, T request) {
        received.add(new Received(sessions.getOrDefault(session, "unknown"), request));
        return request;
    }

    private final class Handler implements ServerCoreEventHandler {
        private IdTagInfo info(String idTag) {
            return new IdTagInfo(authorizations.getOrDefault(idTag == null ? "" : idTag, AuthorizationStatus.Accepted));
        }

        @Override
        public AuthorizeConfirmation handleAuthorizeRequest(UUID session, AuthorizeRequest request) {
            return new AuthorizeConfirmation(info(record(session, request).getIdTag()));
        }

        @Override
        public BootNotificationConfirmation handleBootNotificationRequest(UUID session, BootNotificationRequest request) {
            record(session, request);
            return new BootNotificationConfirmation(ZonedDateTime.now(), 60, RegistrationStatus.Accepted);
        }

        @Override
        public DataTransferConfirmation handleDataTransferRequest(UUID session, DataTransferRequest request) {
            record(session, request);
            return new DataTransferConfirmation(DataTransferStatus.Accepted);
        }

        @Override
        public HeartbeatConfirmation handleHeartbeatRequest(UUID session, HeartbeatRequest request) {
            record(session, request);
            return new HeartbeatConfirmation(ZonedDateTime.now());
        }

        @Override
        public MeterValuesConfirmation handleMeterValuesRequest(UUID session, MeterValuesRequest request) {
            record(session, request);
            return new MeterValuesConfirmation();
        }

        @Override
        public StartTransactionConfirmation handleStartTransactionRequest(UUID session, StartTransactionRequest request) {
            record(session, request);
            return new StartTransactionConfirmation(info(request.getIdTag()), transactionIds.incrementAndGet());
        }

        @Override
        public StatusNotificationConfirmation handleStatusNotificationRequest(UUID session, StatusNotificationRequest request) {
            record(session, request);
            return new StatusNotificationConfirmation();
        }

        @Override
        public StopTransactionConfirmation handleStopTransactionRequest(UUID session, StopTransactionRequest request) {
            record(session, request);
            return new StopTransactionConfirmation();
        }
    }

    private record Sessions(OcaCentralSystem csms) implements ServerEvents {
        @Override
        public void authenticateSession(SessionInformation information, String username, byte[] password) {
            // every charge point is welcome
        }

        @Override
        public void newSession(UUID session, SessionInformation information) {
            String path = information.getIdentifier() == null ? "" : information.getIdentifier();
            csms.sessions.put(session, path.substring(path.lastIndexOf('/') + 1));
        }

        @Override
        public void lostSession(UUID session) {
            csms.sessions.remove(session);
        }
    }
}
