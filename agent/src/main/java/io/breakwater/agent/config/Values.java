package io.breakwater.agent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for option values: durations ({@code 500ms}, {@code 2s}, {@code 1m}, {@code PT2S}), sizes, numbers. */
final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Values() {}

    /** The longest duration any option takes: longer ones are typos, and would overflow the timers. */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    static Duration duration(String key, String text) throws ConfigException {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(value);
        Duration parsed;
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                parsed = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                parsed = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException e) {
            throw new ConfigException(key, key + "='" + text + "' is not a duration (examples: 500ms, 2s, 1m, PT30S)");
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key, key + "='" + text + "' is too long (at most " + MAX_DURATION.toHours() + "h)");
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new ConfigException(key, key + "='" + text + "' must be greater than zero");
        }
        if (parsed.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException(key, key + "='" + text + "' is too long (at most " + MAX_DURATION.toHours() + "h)");
        }
        return parsed;
    }

    static int integer(String key, String text, int min, int max) throws ConfigException {
        if (!text.trim().matches("[-+]?[0-9]+")) { // ASCII digits only: parseInt also takes other scripts' digits
            throw new ConfigException(key, key + "='" + text + "' is not a whole number");
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n < min || n > max) {
                throw new ConfigException(key, key + "=" + text + " is out of range (" + min + ".." + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            if (text.trim().matches("[-+]?\\d+")) {
                throw new ConfigException(key, key + "=" + text.trim() + " is out of range (" + min + ".." + max + ")");
            }
            throw new ConfigException(key, key + "='" + text + "' is not a whole number");
        }
    }

    static boolean bool(String key, String text) throws ConfigException {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, key + "='" + text + "' is not true or false");
        };
    }

    /** The largest size any option takes (the memory fallback lives in the host's heap). */
    static final long MAX_BYTES = 64L << 30;

    static long bytes(String key, String text) throws ConfigException {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key, key + "='" + text + "' is not a size (examples: 1048576, 512k, 64m, 1g)");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        long size;
        try {
            size = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            size = Long.MAX_VALUE;
        }
        if (size <= 0) {
            throw new ConfigException(key, key + "='" + text + "' must be greater than zero");
        }
        if (size > MAX_BYTES) {
            throw new ConfigException(key, key + "='" + text + "' is too large (at most " + (MAX_BYTES >> 30) + "g)");
        }
        return size;
    }

    static String name(String key, String text) throws ConfigException {
        String value = text.trim();
        if (!value.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new ConfigException(key, key + "='" + text + "' must be 1-64 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return value;
    }
}
