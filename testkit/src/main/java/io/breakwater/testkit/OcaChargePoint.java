package io.breakwater.testkit;

import eu.chargetime.ocpp.ClientEvents;
import eu.chargetime.ocpp.JSONClient;
import eu.chargetime.ocpp.feature.profile.ClientCoreEventHandler;
import eu.chargetime.ocpp.feature.profile.ClientCoreProfile;
import eu.chargetime.ocpp.model.Confirmation;
import eu.chargetime.ocpp.model.Request;
import eu.chargetime.ocpp.model.core.AvailabilityStatus;
import eu.chargetime.ocpp.model.core.ChangeAvailabilityConfirmation;
import eu.chargetime.ocpp.model.core.ChangeAvailabilityRequest;
import eu.chargetime.ocpp.model.core.ChangeConfigurationConfirmation;
import eu.chargetime.ocpp.model.core.ChangeConfigurationRequest;
import eu.chargetime.ocpp.model.core.ChargePointErrorCode;
import eu.chargetime.ocpp.model.core.ChargePointStatus;
import eu.chargetime.ocpp.model.core.ClearCacheConfirmation;
import eu.chargetime.ocpp.model.core.ClearCacheRequest;
import eu.chargetime.ocpp.model.core.ClearCacheStatus;
import eu.chargetime.ocpp.model.core.ConfigurationStatus;
import eu.chargetime.ocpp.model.core.DataTransferConfirmation;
import eu.chargetime.ocpp.model.core.DataTransferRequest;
import eu.chargetime.ocpp.model.core.DataTransferStatus;
import eu.chargetime.ocpp.model.core.GetConfigurationConfirmation;
import eu.chargetime.ocpp.model.core.GetConfigurationRequest;
import eu.chargetime.ocpp.model.core.MeterValuesRequest;
import eu.chargetime.ocpp.model.core.RemoteStartStopStatus;
import eu.chargetime.ocpp.model.core.RemoteStartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.RemoteStartTransactionRequest;
import eu.chargetime.ocpp.model.core.RemoteStopTransactionConfirmation;
import eu.chargetime.ocpp.model.core.RemoteStopTransactionRequest;
import eu.chargetime.ocpp.model.core.ResetConfirmation;
import eu.chargetime.ocpp.model.core.ResetRequest;
import eu.chargetime.ocpp.model.core.ResetStatus;
import eu.chargetime.ocpp.model.core.UnlockConnectorConfirmation;
import eu.chargetime.ocpp.model.core.UnlockConnectorRequest;
import eu.chargetime.ocpp.model.core.UnlockStatus;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A charge point written the way a Java-OCA-OCPP user writes one: a {@code JSONClient} with the core
 * profile, reconnecting half a second after its connection closes, and the core requests built by
 * the library's own profile. CSMS-initiated requests are answered with a polite refusal.
 */
public final class OcaChargePoint implements AutoCloseable {
    private final ClientCoreProfile core = new ClientCoreProfile(new Refusals());
    private final JSONClient client;
    private final String url;
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "oca-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean open;
    private volatile boolean closed;

    /** @param url the CSMS' base URL; the library appends {@code /<id>} */
    public OcaChargePoint(String url, String id) {
        this.url = url;
        this.client = new JSONClient(core, id);
    }

    /** Connects (blocking until connected or refused), and keeps reconnecting whenever the connection closes. */
    public OcaChargePoint connect() {
        client.connect(url, new ClientEvents() {
            @Override
            public void connectionOpened() {
                open = true;
            }

            @Override
            public void connectionClosed() {
                open = false;
                if (!closed) {
                    reconnects.schedule(() -> client.connect(url, this), 500, TimeUnit.MILLISECONDS);
                }
            }
        });
        return this;
    }

    public boolean isOpen() {
        return open;
    }

    public JSONClient client() {
        return client;
    }

    /** The application's one way to talk to the CSMS: the library's {@code send}. */
    public CompletionStage<Confirmation> send(Request request) throws Exception {
        return client.send(request);
    }

    public Request boot() {
        return core.createBootNotificationRequest("Breakwater", "OCA test CP");
    }

    public Request heartbeat() {
        return core.createHeartbeatRequest();
    }

    public Request authorize(String idTag) {
        return core.createAuthorizeRequest(idTag);
    }

    public Request status(int connectorId, ChargePointStatus status) {
        return core.createStatusNotificationRequest(connectorId, ChargePointErrorCode.NoError, status);
    }

    public Request start(int connectorId, String idTag, int meterStart) {
        return core.createStartTransactionRequest(connectorId, idTag, meterStart, ZonedDateTime.now());
    }

    public Request meterValues(int connectorId, int transactionId, int wh) {
        MeterValuesRequest request = core.createMeterValuesRequest(connectorId, ZonedDateTime.now(), String.valueOf(wh));
        request.setTransactionId(transactionId);
        return request;
    }

    public Request stop(int transactionId, int meterStop) {
        return core.createStopTransactionRequest(meterStop, ZonedDateTime.now(), transactionId);
    }

    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        client.disconnect();
    }

    /** Answers what a CSMS asks with a refusal: these tests only look at what the charge point sends. */
    private static final class Refusals implements ClientCoreEventHandler {
        @Override
        public ChangeAvailabilityConfirmation handleChangeAvailabilityRequest(ChangeAvailabilityRequest request) {
            return new ChangeAvailabilityConfirmation(AvailabilityStatus.Rejected);
        }

        @Override
        public GetConfigurationConfirmation handleGetConfigurationRequest(GetConfigurationRequest request) {
            return new GetConfigurationConfirmation();
        }

        @Override
        public ChangeConfigurationConfirmation handleChangeConfigurationRequest(ChangeConfigurationRequest request) {
            return new ChangeConfigurationConfirmation(ConfigurationStatus.Rejected);
        }

        @Override
        public ClearCacheConfirmation handleClearCacheRequest(ClearCacheRequest request) {
            return new ClearCacheConfirmation(ClearCacheStatus.Rejected);
        }

        @Override
        public DataTransferConfirmation handleDataTransferRequest(DataTransferRequest request) {
            return new DataTransferConfirmation(DataTransferStatus.Rejected);
        }

        @Override
        public RemoteStartTransactionConfirmation handleRemoteStartTransactionRequest(RemoteStartTransactionRequest request) {
            return new RemoteStartTransactionConfirmation(RemoteStartStopStatus.Rejected);
        }

        @Override
        public RemoteStopTransactionConfirmation handleRemoteStopTransactionRequest(RemoteStopTransactionRequest request) {
            return new RemoteStopTransactionConfirmation(RemoteStartStopStatus.Rejected);
        }

        @Override
        public ResetConfirmation handleResetRequest(ResetRequest request) {
            return new ResetConfirmation(ResetStatus.Rejected);
        }

        @Override
        public UnlockConnectorConfirmation handleUnlockConnectorRequest(UnlockConnectorRequest request) {
            return new UnlockConnectorConfirmation(UnlockStatus.NotSupported);
        }
    }
}
