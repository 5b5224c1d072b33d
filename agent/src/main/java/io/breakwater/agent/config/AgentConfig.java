package io.breakwater.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's whole configuration: defaults, then a properties file named by {@code config=path},
 * then the {@code key=value} pairs of the agent argument string (comma separated). Every key is
 * listed in {@link #KEYS} and in docs/configuration.md; an unknown key or a bad value is a
 * {@link ConfigException} naming it.
 */
public record AgentConfig(
        BreakerSettings redis,
        boolean redisFallback,
        long redisFallbackMaxBytes,
        int redisJournalMaxEntries,
        BreakerSettings ocpp,
        List<OcppTarget> ocppTargets,
        OfflineSettings ocppOffline,
        boolean jmx,
        Duration jmxRegisterDelay,
        boolean debug) {

    /** Every accepted key with its default, in the order the docs list them. */
    public static final Map<String, String> KEYS = keys();

    private static Map<String, String> keys() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("config", "(none) - path of a properties file with any of these keys");
        k.put("redis.enabled", "true");
        k.put("redis.name", "redis");
        k.put("redis.failureThreshold", "5");
        k.put("redis.successThreshold", "2");
        k.put("redis.callTimeout", "5s");
        k.put("redis.resetTimeout", "30s");
        k.put("redis.fallback.enabled", "true");
        k.put("redis.fallback.maxBytes", "64m");
        k.put("redis.journal.maxEntries", "100000");
        k.put("ocpp.enabled", "true");
        k.put("ocpp.name", "ocpp-csms");
        k.put("ocpp.failureThreshold", "5");
        k.put("ocpp.successThreshold", "2");
        k.put("ocpp.callTimeout", "30s");
        k.put("ocpp.resetTimeout", "60s");
        k.put("ocpp.offline.queueTransactions", "true");
        k.put("ocpp.offline.maxQueuedMessages", "10000");
        k.put("ocpp.offline.transactionMessageAttempts", "3");
        k.put("ocpp.offline.transactionMessageRetryInterval", "10s");
        k.put("ocpp.offline.localAuthorizeOffline", "true");
        k.put("ocpp.offline.allowOfflineTxForUnknownId", "false");
        k.put("ocpp.offline.authorizationCacheEntries", "10000");
        k.put("ocpp.targets", "sample-simulator");
        k.put("ocpp.generic.class", "(none)");
        k.put("ocpp.generic.method", "(none)");
        k.put("ocpp.generic.actionArgument", "0");
        k.put("ocpp.generic.payloadArgument", "actionArgument + 1");
        k.put("ocpp.generic.failFastException", "java.io.IOException");
        k.put("jmx.enabled", "true");
        k.put("jmx.registerDelay", "2s");
        k.put("debug", "false");
        return Collections.unmodifiableMap(k);
    }

    public static AgentConfig defaults() {
        try {
            return parse(null);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses an agent argument string such as {@code redis.resetTimeout=2s,debug=true}. */
    public static AgentConfig parse(String agentArguments) throws ConfigException {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (agentArguments != null && !agentArguments.isBlank()) {
            for (String item : agentArguments.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("agent argument '" + item.trim() + "' is not key=value");
                }
                pairs.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
            }
        }
        Map<String, String> effective = new LinkedHashMap<>();
        String file = pairs.remove("config");
        Map<String, String> fromFile = Map.of();
        if (file != null) {
            if (file.isBlank()) {
                throw new ConfigException("config", "config= needs the path of a properties file");
            }
            fromFile = readFile(file);
            effective.putAll(fromFile);
        }
        effective.putAll(pairs);
        try {
            return build(effective);
        } catch (ConfigException e) {
            // Say where a bad value came from when it was the file, not the argument string.
            if (e.key() != null && fromFile.containsKey(e.key()) && !pairs.containsKey(e.key())) {
                throw new ConfigException(e.key(), "in config file '" + file + "': " + e.getMessage());
            }
            throw e;
        }
    }

    /** Far more than any config file needs; a bigger "file" (a log, /dev/zero) is not read into the host's heap. */
    static final int MAX_CONFIG_BYTES = 64 * 1024;

    private static Map<String, String> readFile(String file) throws ConfigException {
        Properties properties = new Properties();
        Path path = pathOf(file);
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // A pipe would block the host's start-up on open; a device or a directory is no properties file either.
            throw new ConfigException("config='" + file + "' is not a regular file (a directory, a device or a pipe)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new ConfigException("config='" + file + "' is larger than " + MAX_CONFIG_BYTES / 1024
                        + " KiB: not a Breakwater properties file");
            }
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark some editors write
            }
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config='" + file + "' cannot be read: " + whyUnreadable(e));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.equals("config")) {
                throw new ConfigException("config='" + file + "' must not itself set 'config'");
            }
            values.put(key, properties.getProperty(key));
        }
        return values;
    }

    private static Path pathOf(String file) throws ConfigException {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new ConfigException("config='" + file + "' is not a valid path: " + e.getReason());
        }
    }

    /** Why a config file could not be read, in words rather than an exception's class name. */
    private static String whyUnreadable(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file" + (Path.of(((NoSuchFileException) e).getFile()).isAbsolute() ? ""
                    : " (relative to the working directory, " + Path.of("").toAbsolutePath() + ")");
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof IllegalArgumentException) {
            return "not a properties file (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static AgentConfig build(Map<String, String> values) throws ConfigException {
        for (String key : values.keySet()) {
            if (!KEYS.containsKey(key)) {
                throw new ConfigException(key, "unknown option '" + key + "' (see docs/configuration.md for the list)");
            }
        }
        Options r = new Options(values);
        BreakerSettings redis = r.breaker("redis", BreakerSettings.redisDefaults());
        BreakerSettings ocpp = r.breaker("ocpp", BreakerSettings.ocppDefaults());
        if (redis.name().equals(ocpp.name())) {
            throw new ConfigException(values.containsKey("ocpp.name") ? "ocpp.name" : "redis.name", "ocpp.name and redis.name must differ (both '" + redis.name() + "')");
        }
        return new AgentConfig(
                redis,
                r.bool("redis.fallback.enabled", true),
                r.bytes("redis.fallback.maxBytes", 64L << 20),
                r.integer("redis.journal.maxEntries", 100_000, 1, 10_000_000),
                ocpp,
                OcppTarget.parse(values),
                r.offline(OfflineSettings.defaults()),
                r.bool("jmx.enabled", true),
                r.duration("jmx.registerDelay", Duration.ofSeconds(2)),
                r.bool("debug", false));
    }

    /** Typed access to the raw strings, falling back to defaults. */
    private record Options(Map<String, String> values) {
        BreakerSettings breaker(String prefix, BreakerSettings d) throws ConfigException {
            return new BreakerSettings(
                    name(prefix + ".name", d.name()),
                    bool(prefix + ".enabled", d.enabled()),
                    integer(prefix + ".failureThreshold", d.failureThreshold(), 1, 1000),
                    integer(prefix + ".successThreshold", d.successThreshold(), 1, 100),
                    duration(prefix + ".callTimeout", d.callTimeout()),
                    duration(prefix + ".resetTimeout", d.resetTimeout()));
        }

        OfflineSettings offline(OfflineSettings d) throws ConfigException {
            return new OfflineSettings(
                    bool("ocpp.offline.queueTransactions", d.queueTransactions()),
                    integer("ocpp.offline.maxQueuedMessages", d.maxQueuedMessages(), 1, 10_000_000),
                    integer("ocpp.offline.transactionMessageAttempts", d.transactionMessageAttempts(), 1, 100),
                    duration("ocpp.offline.transactionMessageRetryInterval", d.transactionMessageRetryInterval()),
                    bool("ocpp.offline.localAuthorizeOffline", d.localAuthorizeOffline()),
                    bool("ocpp.offline.allowOfflineTxForUnknownId", d.allowOfflineTxForUnknownId()),
                    integer("ocpp.offline.authorizationCacheEntries", d.authorizationCacheEntries(), 1, 10_000_000));
        }

        String name(String key, String d) throws ConfigException {
            String v = values.get(key);
            return v == null ? d : Values.name(key, v);
        }

        boolean bool(String key, boolean d) throws ConfigException {
            String v = values.get(key);
            return v == null ? d : Values.bool(key, v);
        }

        int integer(String key, int d, int min, int max) throws ConfigException {
            String v = values.get(key);
            return v == null ? d : Values.integer(key, v, min, max);
        }

        Duration duration(String key, Duration d) throws ConfigException {
            String v = values.get(key);
            return v == null ? d : Values.duration(key, v);
        }

        long bytes(String key, long d) throws ConfigException {
            String v = values.get(key);
            return v == null ? d : Values.bytes(key, v);
        }
    }
}
