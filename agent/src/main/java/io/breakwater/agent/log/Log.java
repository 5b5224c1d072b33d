package io.breakwater.agent.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own minimal logger: one {@code [breakwater]} prefix on standard error. It never
 * touches the application's logging (no JUL, no SLF4J binding), so it is safe inside premain and
 * in hosts with a custom {@code LogManager}. Callers never pass keys, values, idTags or payloads.
 */
public final class Log {
    private static final int MAX_MESSAGE = 1000;
    private static volatile boolean debug;
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();

    private Log() {}

    public static void setDebug(boolean enabled) {
        debug = enabled;
    }

    public static boolean isDebug() {
        return debug;
    }

    public static void info(String message) {
        System.err.println(line(message));
    }

    public static void warn(String message) {
        System.err.println(line("WARN " + message));
    }

    public static void debug(String message) {
        if (debug) {
            System.err.println(line("DEBUG " + message));
        }
    }

    /**
     * The line printed for {@code message}: prefixed, control characters (a line break in a bad
     * agent argument, say) escaped so that one message is always one line, and bounded in length.
     */
    public static String line(String message) {
        StringBuilder out = new StringBuilder("[breakwater] ");
        int limit = Math.min(message.length(), MAX_MESSAGE);
        for (int i = 0; i < limit; i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (limit < message.length()) {
            out.append("... (").append(message.length() - limit).append(" more characters)");
        }
        return out.toString();
    }

    /** Logs a warning the first time {@code key} is seen, so a recurring fault costs one line. */
    public static void warnOnce(String key, String message) {
        if (ONCE.size() < 1_000 && ONCE.add(key)) {
            warn(message);
        }
    }

    /** Forgets a {@link #warnOnce} key, so the next episode of that fault is logged again. */
    public static void rearm(String key) {
        ONCE.remove(key);
    }
}
