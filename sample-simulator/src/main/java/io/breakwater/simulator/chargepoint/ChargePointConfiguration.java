package io.breakwater.simulator.chargepoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One charge point's OCPP configuration keys (GetConfiguration / ChangeConfiguration), in memory: they survive a
 * Reset (the JVM goes on) but not a restart of the simulator. Thread-safe.
 *
 * <p>The simulator acts on every writable key it lists; see {@link #describe()} for what each one does here.
 */
public final class ChargePointConfiguration {

    public static final String HEARTBEAT_INTERVAL = "HeartbeatInterval";
    public static final String METER_VALUE_SAMPLE_INTERVAL = "MeterValueSampleInterval";
    public static final String TRANSACTION_MESSAGE_ATTEMPTS = "TransactionMessageAttempts";
    public static final String TRANSACTION_MESSAGE_RETRY_INTERVAL = "TransactionMessageRetryInterval";
    public static final String LOCAL_AUTHORIZE_OFFLINE = "LocalAuthorizeOffline";
    public static final String ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID = "AllowOfflineTxForUnknownId";
    public static final String AUTHORIZATION_CACHE_ENABLED = "AuthorizationCacheEnabled";
    public static final String AUTHORIZE_REMOTE_TX_REQUESTS = "AuthorizeRemoteTxRequests";
    public static final String CONNECTION_TIME_OUT = "ConnectionTimeOut";
    public static final String NUMBER_OF_CONNECTORS = "NumberOfConnectors";
    public static final String SUPPORTED_FEATURE_PROFILES = "SupportedFeatureProfiles";

    /** What ChangeConfiguration answers. */
    public enum Change {
        ACCEPTED("Accepted"), REJECTED("Rejected"), NOT_SUPPORTED("NotSupported");

        private final String ocppName;

        Change(String ocppName) {
            this.ocppName = ocppName;
        }

        public String ocppName() {
            return ocppName;
        }
    }

    /** One key as GetConfiguration reports it. */
    public record Key(String key, boolean readonly, String value) {
    }

    private enum Type { INTEGER, BOOLEAN, TEXT }

    private record Definition(Type type, boolean readonly, long min, long max, String meaning) {
    }

    private static final Map<String, Definition> DEFINITIONS = new LinkedHashMap<>();

    static {
        define(HEARTBEAT_INTERVAL, Type.INTEGER, false, 0, 86_400,
                "seconds between Heartbeats (0 = none); set from BootNotification unless --heartbeat-override");
        define(METER_VALUE_SAMPLE_INTERVAL, Type.INTEGER, false, 0, 86_400,
                "seconds between MeterValues while charging (0 = none)");
        define(TRANSACTION_MESSAGE_ATTEMPTS, Type.INTEGER, false, 0, 100,
                "times a StopTransaction the CSMS answered with a CALLERROR is tried before it is given up");
        define(TRANSACTION_MESSAGE_RETRY_INTERVAL, Type.INTEGER, false, 0, 86_400,
                "seconds before such a retry, multiplied by the attempts so far");
        define(LOCAL_AUTHORIZE_OFFLINE, Type.BOOLEAN, false, 0, 0,
                "an idTag the authorization cache holds as Accepted may charge when Authorize gets no answer");
        define(ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID, Type.BOOLEAN, false, 0, 0,
                "an idTag the cache does not know may charge when Authorize gets no answer");
        define(AUTHORIZATION_CACHE_ENABLED, Type.BOOLEAN, false, 0, 0,
                "idTagInfo answers are kept in Redis and used offline");
        define(AUTHORIZE_REMOTE_TX_REQUESTS, Type.BOOLEAN, false, 0, 0,
                "a RemoteStartTransaction is authorized with Authorize first");
        define(CONNECTION_TIME_OUT, Type.INTEGER, false, 1, 86_400,
                "seconds a connector stays Preparing for an unanswered Authorize before it gives up");
        define(NUMBER_OF_CONNECTORS, Type.INTEGER, true, 0, 0, "connectors of this charge point");
        define(SUPPORTED_FEATURE_PROFILES, Type.TEXT, true, 0, 0, "Core,RemoteTrigger");
    }

    private static void define(String key, Type type, boolean readonly, long min, long max, String meaning) {
        DEFINITIONS.put(key, new Definition(type, readonly, min, max, meaning));
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private volatile Consumer<String> listener = key -> { };

    /** The defaults: transaction messages tried 3 times 10 s apart, local authorization offline on. */
    public ChargePointConfiguration(int connectors, Duration meterInterval, Duration heartbeatInterval) {
        values.put(HEARTBEAT_INTERVAL, Long.toString(heartbeatInterval.toSeconds()));
        values.put(METER_VALUE_SAMPLE_INTERVAL, Long.toString(meterInterval.toSeconds()));
        values.put(TRANSACTION_MESSAGE_ATTEMPTS, "3");
        values.put(TRANSACTION_MESSAGE_RETRY_INTERVAL, "10");
        values.put(LOCAL_AUTHORIZE_OFFLINE, "true");
        values.put(ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID, "false");
        values.put(AUTHORIZATION_CACHE_ENABLED, "true");
        values.put(AUTHORIZE_REMOTE_TX_REQUESTS, "false");
        values.put(CONNECTION_TIME_OUT, "60");
        values.put(NUMBER_OF_CONNECTORS, Integer.toString(connectors));
        values.put(SUPPORTED_FEATURE_PROFILES, "Core,RemoteTrigger");
    }

    /** Told the key after every accepted change (on the changing thread). */
    void onChange(Consumer<String> listener) {
        this.listener = listener;
    }

    /** ChangeConfiguration: unknown keys are NotSupported, read-only keys and bad values Rejected. */
    public Change change(String key, String value) {
        Definition definition = DEFINITIONS.get(key);
        if (definition == null) {
            return Change.NOT_SUPPORTED;
        }
        Optional<String> normalised = definition.readonly() ? Optional.empty() : normalise(definition, value);
        if (normalised.isEmpty()) {
            return Change.REJECTED;
        }
        synchronized (values) {
            values.put(key, normalised.get());
        }
        listener.accept(key);
        return Change.ACCEPTED;
    }

    /** Sets a key without the checks a CSMS is subject to (e.g. the heartbeat interval BootNotification returns). */
    void set(String key, String value) {
        synchronized (values) {
            values.put(key, value);
        }
        listener.accept(key);
    }

    /** What GetConfiguration answers: the keys known, with their values, and the keys asked for but unknown. */
    public record Lookup(List<Key> known, List<String> unknown) {
    }

    /** GetConfiguration for the given keys, or every key when {@code requested} is empty. */
    public Lookup get(List<String> requested) {
        List<Key> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        synchronized (values) {
            for (String key : requested.isEmpty() ? List.copyOf(values.keySet()) : requested) {
                String value = values.get(key);
                if (value == null) {
                    unknown.add(key);
                } else {
                    known.add(new Key(key, DEFINITIONS.get(key).readonly(), value));
                }
            }
        }
        return new Lookup(List.copyOf(known), List.copyOf(unknown));
    }

    /** Every key with its value. */
    public List<Key> all() {
        return get(List.of()).known();
    }

    public Optional<String> value(String key) {
        synchronized (values) {
            return Optional.ofNullable(values.get(key));
        }
    }

    /** Key → what the simulator does with it, for the docs. */
    public static Map<String, String> describe() {
        Map<String, String> meanings = new LinkedHashMap<>();
        DEFINITIONS.forEach((key, definition) -> meanings.put(key,
                (definition.readonly() ? "read-only: " : "") + definition.meaning()));
        return meanings;
    }

    Duration heartbeatInterval() {
        return Duration.ofSeconds(integer(HEARTBEAT_INTERVAL));
    }

    Duration meterValueSampleInterval() {
        return Duration.ofSeconds(integer(METER_VALUE_SAMPLE_INTERVAL));
    }

    int transactionMessageAttempts() {
        return (int) Math.max(1, integer(TRANSACTION_MESSAGE_ATTEMPTS));
    }

    Duration transactionMessageRetryInterval() {
        return Duration.ofSeconds(integer(TRANSACTION_MESSAGE_RETRY_INTERVAL));
    }

    boolean localAuthorizeOffline() {
        return bool(LOCAL_AUTHORIZE_OFFLINE);
    }

    boolean allowOfflineTxForUnknownId() {
        return bool(ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID);
    }

    boolean authorizationCacheEnabled() {
        return bool(AUTHORIZATION_CACHE_ENABLED);
    }

    boolean authorizeRemoteTxRequests() {
        return bool(AUTHORIZE_REMOTE_TX_REQUESTS);
    }

    Duration connectionTimeOut() {
        return Duration.ofSeconds(integer(CONNECTION_TIME_OUT));
    }

    private long integer(String key) {
        return Long.parseLong(value(key).orElse("0"));
    }

    private boolean bool(String key) {
        return Boolean.parseBoolean(value(key).orElse("false"));
    }

    private static Optional<String> normalise(Definition definition, String value) {
        if (value == null || value.length() > 500) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        switch (definition.type()) {
            case INTEGER:
                try {
                    long number = Long.parseLong(trimmed);
                    return number < definition.min() || number > definition.max() ? Optional.empty()
                            : Optional.of(Long.toString(number));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            case BOOLEAN:
                String lower = trimmed.toLowerCase(Locale.ROOT);
                return lower.equals("true") || lower.equals("false") ? Optional.of(lower) : Optional.empty();
            default:
                return Optional.of(trimmed);
        }
    }
}
