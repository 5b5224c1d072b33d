package io.breakwater.simulator.chargepoint;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a fleet from JSON (see the README and {@code fleet-example.json}):
 *
 * <pre>{@code
 * {
 *   "defaults": {"connectors": 2, "idTags": ["TAG-1", "TAG-2"], "sessionSeconds": {"min": 20, "max": 60}},
 *   "chargePoints": [
 *     {"id": "DEPOT-01", "connectors": 4, "sessionSeconds": 3600},
 *     {"idPrefix": "STREET", "count": 100}
 *   ]
 * }
 * }</pre>
 *
 * Every mistake is one line naming the field, e.g. {@code chargePoints[1].connectors must be a whole number between
 * 1 and 100 (got 0)}; unknown fields are mistakes too, so a typo does not silently fall back on a default.
 */
public final class FleetFile {

    /** A fleet file that cannot be read or breaks a rule; the message is one line and names the field. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    public static final int MAX_CHARGE_POINTS = 100_000;
    private static final String ID = "[A-Za-z0-9._-]{1,48}";
    private static final String ID_PREFIX = "[A-Za-z0-9._-]{1,32}";
    private static final int ID_TAG_MAX = 20;
    private static final long MAX_SECONDS = 7 * 86_400;
    private static final Set<String> SETTINGS = Set.of("connectors", "idTags", "sessionSeconds", "pauseSeconds",
            "meterIntervalSeconds", "suspendProbability", "autoStart");
    private static final Set<String> IDENTITY = Set.of("id", "idPrefix", "count");
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    /** What a charge point gets when neither its entry nor {@code defaults} say otherwise. */
    private record Settings(int connectors, List<String> idTags, DurationRange session, DurationRange pause,
            Duration meterInterval, double suspendProbability, boolean autoStart) {
    }

    private static final Settings BUILT_IN = new Settings(2, ChargePointSpec.DEFAULT_ID_TAGS,
            DurationRange.exactly(Duration.ofSeconds(30)), Fleet.DEFAULT_PAUSE, Duration.ofSeconds(5), 0, true);

    private FleetFile() {
    }

    public static Fleet load(Path file) throws Invalid {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Invalid("cannot read the file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return parse(text);
    }

    public static Fleet parse(String json) throws Invalid {
        JsonElement root;
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            root = ELEMENTS.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new Invalid("not valid JSON: more text after the top-level object");
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            // Gson's "Use JsonReader.setStrictness(...) to accept malformed JSON at line 1 column 2 path $"
            String why = firstLine(e.getMessage()).replaceFirst("^Use JsonReader.setStrictness.*? to accept malformed JSON",
                    "malformed JSON");
            throw new Invalid("not valid JSON: " + why);
        }
        if (!root.isJsonObject()) {
            throw new Invalid("the file must hold a JSON object with \"chargePoints\"");
        }
        JsonObject top = root.getAsJsonObject();
        onlyKnown(top, "", Set.of("defaults", "chargePoints"));
        Settings defaults = BUILT_IN;
        if (top.has("defaults")) {
            defaults = settings(object(top.get("defaults"), "defaults"), "defaults.", BUILT_IN);
        }
        JsonElement list = top.get("chargePoints");
        if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            throw new Invalid("chargePoints must be a non-empty list of charge points");
        }
        List<ChargePointSpec> specs = new ArrayList<>();
        Map<String, String> idOwners = new HashMap<>();
        JsonArray entries = list.getAsJsonArray();
        for (int i = 0; i < entries.size(); i++) {
            String where = "chargePoints[" + i + "]";
            JsonObject entry = object(entries.get(i), where);
            onlyKnown(entry, where + ".", union(IDENTITY, SETTINGS));
            Settings settings = settings(entry, where + ".", defaults);
            for (String id : ids(entry, where)) {
                String earlier = idOwners.putIfAbsent(id, where);
                if (earlier != null) {
                    throw new Invalid(where + " repeats charge point id " + id + " (already in " + earlier + ")");
                }
                if (idOwners.size() > MAX_CHARGE_POINTS) {
                    throw new Invalid("the fleet has more than " + MAX_CHARGE_POINTS + " charge points");
                }
                specs.add(new ChargePointSpec(id, settings.connectors(), settings.idTags(), settings.session(),
                        settings.pause(), settings.meterInterval(), settings.suspendProbability(),
                        settings.autoStart()));
            }
        }
        return new Fleet(specs);
    }

    private static List<String> ids(JsonObject entry, String where) throws Invalid {
        boolean single = entry.has("id");
        boolean group = entry.has("idPrefix") || entry.has("count");
        if (!single && !group) {
            throw new Invalid(where + " needs either \"id\" or \"idPrefix\" with \"count\"");
        }
        if (single && entry.has("idPrefix")) {
            throw new Invalid(where + " has both \"id\" and \"idPrefix\": \"id\" names one charge point,"
                    + " \"idPrefix\" with \"count\" a group");
        }
        if (single) {
            if (entry.has("count")) {
                throw new Invalid(where + ".count: \"count\" goes with \"idPrefix\", not with \"id\"");
            }
            return List.of(matching(entry, "id", where + ".id", ID, "1-48 letters, digits, '.', '_' or '-'"));
        }
        if (!entry.has("idPrefix") || !entry.has("count")) {
            throw new Invalid(where + " needs both \"idPrefix\" and \"count\"");
        }
        String prefix = matching(entry, "idPrefix", where + ".idPrefix", ID_PREFIX,
                "1-32 letters, digits, '.', '_' or '-'");
        long count = whole(entry.get("count"), where + ".count", 1, MAX_CHARGE_POINTS);
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            ids.add(Fleet.numbered(prefix, n));
        }
        return ids;
    }

    private static Settings settings(JsonObject object, String prefix, Settings inherited) throws Invalid {
        if (prefix.equals("defaults.")) {
            onlyKnown(object, prefix, SETTINGS);
        }
        int connectors = object.has("connectors")
                ? (int) whole(object.get("connectors"), prefix + "connectors", 1, 100) : inherited.connectors();
        List<String> idTags = object.has("idTags") ? idTags(object.get("idTags"), prefix + "idTags")
                : inherited.idTags();
        DurationRange session = object.has("sessionSeconds")
                ? seconds(object.get("sessionSeconds"), prefix + "sessionSeconds", false) : inherited.session();
        DurationRange pause = object.has("pauseSeconds")
                ? seconds(object.get("pauseSeconds"), prefix + "pauseSeconds", true) : inherited.pause();
        Duration meter = object.has("meterIntervalSeconds") ? Duration.ofSeconds(
                whole(object.get("meterIntervalSeconds"), prefix + "meterIntervalSeconds", 0, 86_400))
                : inherited.meterInterval();
        double suspend = object.has("suspendProbability")
                ? number(object.get("suspendProbability"), prefix + "suspendProbability", 0, 1).doubleValue()
                : inherited.suspendProbability();
        boolean autoStart = object.has("autoStart") ? bool(object.get("autoStart"), prefix + "autoStart")
                : inherited.autoStart();
        return new Settings(connectors, idTags, session, pause, meter, suspend, autoStart);
    }

    /** A number of seconds (fractions allowed) or {@code {"min": a, "max": b}}. */
    private static DurationRange seconds(JsonElement value, String field, boolean zeroAllowed) throws Invalid {
        if (value != null && value.isJsonObject()) {
            JsonObject range = value.getAsJsonObject();
            onlyKnown(range, field + ".", Set.of("min", "max"));
            if (!range.has("min") || !range.has("max")) {
                throw new Invalid(field + " needs both \"min\" and \"max\" (or is a single number)");
            }
            Duration min = duration(range.get("min"), field + ".min", zeroAllowed);
            Duration max = duration(range.get("max"), field + ".max", zeroAllowed);
            if (min.compareTo(max) > 0) {
                throw new Invalid(field + ".min must not exceed " + field + ".max (got "
                        + range.get("min") + " > " + range.get("max") + ")");
            }
            return new DurationRange(min, max);
        }
        return DurationRange.exactly(duration(value, field, zeroAllowed));
    }

    /** Seconds, to the millisecond. */
    private static Duration duration(JsonElement value, String field, boolean zeroAllowed) throws Invalid {
        BigDecimal seconds = number(value, field, 0, MAX_SECONDS);
        Duration duration = Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue());
        if (duration.isZero() && !zeroAllowed) {
            throw new Invalid(field + " must be more than 0 (got " + shown(value) + ")");
        }
        return duration;
    }

    private static List<String> idTags(JsonElement value, String field) throws Invalid {
        if (value == null || !value.isJsonArray() || value.getAsJsonArray().isEmpty()) {
            throw new Invalid(field + " must be a non-empty list of idTags (got " + shown(value) + ")");
        }
        List<String> tags = new ArrayList<>();
        JsonArray array = value.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement tag = array.get(i);
            if (!(tag instanceof JsonPrimitive primitive) || !primitive.isString() || tag.getAsString().isEmpty()
                    || tag.getAsString().length() > ID_TAG_MAX) {
                throw new Invalid(field + "[" + i + "] must be a string of 1 to " + ID_TAG_MAX + " characters (got "
                        + shown(tag) + ")");
            }
            tags.add(tag.getAsString());
        }
        return List.copyOf(tags);
    }

    private static String matching(JsonObject object, String member, String field, String regex, String what)
            throws Invalid {
        JsonElement value = object.get(member);
        if (!(value instanceof JsonPrimitive primitive) || !primitive.isString()
                || !value.getAsString().matches(regex)) {
            throw new Invalid(field + " must be " + what + " (got " + shown(value) + ")");
        }
        return value.getAsString();
    }

    private static long whole(JsonElement value, String field, long min, long max) throws Invalid {
        BigDecimal number = number(value, field, min, max);
        if (number.stripTrailingZeros().scale() > 0) {
            throw new Invalid(field + " must be a whole number between " + min + " and " + max + " (got "
                    + shown(value) + ")");
        }
        return number.longValueExact();
    }

    private static BigDecimal number(JsonElement value, String field, double min, double max) throws Invalid {
        String bounds = "between " + plain(min) + " and " + plain(max);
        if (!(value instanceof JsonPrimitive primitive) || !primitive.isNumber()) {
            throw new Invalid(field + " must be a number " + bounds + " (got " + shown(value) + ")");
        }
        BigDecimal number = primitive.getAsBigDecimal();
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new Invalid(field + " must be " + bounds + " (got " + shown(value) + ")");
        }
        return number;
    }

    private static boolean bool(JsonElement value, String field) throws Invalid {
        if (!(value instanceof JsonPrimitive primitive) || !primitive.isBoolean()) {
            throw new Invalid(field + " must be true or false (got " + shown(value) + ")");
        }
        return value.getAsBoolean();
    }

    private static JsonObject object(JsonElement value, String field) throws Invalid {
        if (value == null || !value.isJsonObject()) {
            throw new Invalid(field + " must be a JSON object (got " + shown(value) + ")");
        }
        return value.getAsJsonObject();
    }

    private static void onlyKnown(JsonObject object, String prefix, Set<String> known) throws Invalid {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new Invalid(prefix + key + " is not a known field (known: " + String.join(", ",
                        known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String shown(JsonElement value) {
        String text = value == null ? "nothing" : value.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String firstLine(String text) {
        String message = text == null ? "unreadable" : text;
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
