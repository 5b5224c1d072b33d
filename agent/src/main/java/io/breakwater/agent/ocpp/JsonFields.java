package io.breakwater.agent.ocpp;

/**
 * Reads a top-level member of an OCPP JSON payload without a JSON library (the agent carries none):
 * a small scanner that skips nested values correctly, including strings with escapes. Returns
 * {@code null} for anything it does not understand rather than guessing.
 */
final class JsonFields {
    private JsonFields() {}

    /** The raw JSON text of top-level member {@code name}, or {@code null}. */
    static String raw(String json, String name) {
        int[] span = span(json, name);
        return span == null ? null : json.substring(span[0], span[1]);
    }

    /**
     * {@code json} with top-level member {@code name} set to {@code rawValue} (replaced where it is, or
     * added first), or {@code null} when {@code json} is not an object this scanner understands.
     */
    static String with(String json, String name, String rawValue) {
        int[] span = span(json, name);
        if (span != null) {
            return json.substring(0, span[0]) + rawValue + json.substring(span[1]);
        }
        int open = json == null ? -1 : skipSpace(json, 0);
        if (open < 0 || open >= json.length() || json.charAt(open) != '{' || !isObject(json)) {
            return null;
        }
        int next = skipSpace(json, open + 1);
        String member = "\"" + name + "\":" + rawValue;
        return json.substring(0, open + 1) + member + (json.charAt(next) == '}' ? "" : ",") + json.substring(open + 1);
    }

    private static boolean isObject(String json) {
        try {
            int end = skipSpace(json, skipValue(json, skipSpace(json, 0)));
            return end == json.length();
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Where the value of top-level member {@code name} starts and ends, or {@code null}. */
    private static int[] span(String json, String name) {
        if (json == null) {
            return null;
        }
        try {
            int i = skipSpace(json, 0);
            if (i >= json.length() || json.charAt(i) != '{') {
                return null;
            }
            i = skipSpace(json, i + 1);
            while (i < json.length() && json.charAt(i) != '}') {
                int keyEnd = skipString(json, i);
                String key = json.substring(i + 1, keyEnd - 1);
                i = skipSpace(json, keyEnd);
                if (json.charAt(i) != ':') {
                    return null;
                }
                int valueStart = skipSpace(json, i + 1);
                int valueEnd = skipValue(json, valueStart);
                if (key.equals(name)) {
                    return new int[] {valueStart, valueEnd};
                }
                i = skipSpace(json, valueEnd);
                if (i < json.length() && json.charAt(i) == ',') {
                    i = skipSpace(json, i + 1);
                }
            }
            return null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** A top-level string member, unescaped only for plain strings (OCPP ids are plain), or {@code null}. */
    static String string(String json, String name) {
        String raw = raw(json, name);
        if (raw == null || raw.length() < 2 || raw.charAt(0) != '"' || raw.indexOf('\\') >= 0) {
            return null;
        }
        return raw.substring(1, raw.length() - 1);
    }

    /** A top-level integer member, or {@code null}. */
    static Integer integer(String json, String name) {
        String raw = raw(json, name);
        try {
            return raw == null ? null : Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String s, int i) {
        if (s.charAt(i) != '"') {
            throw new IllegalArgumentException("string expected");
        }
        for (int j = i + 1; ; j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
    }

    private static int skipValue(String s, int i) {
        char c = s.charAt(i);
        if (c == '"') {
            return skipString(s, i);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int j = i; ; j++) {
                char d = s.charAt(j);
                if (d == '"') {
                    j = skipString(s, j) - 1;
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        return j + 1;
                    }
                }
            }
        }
        int j = i;
        while (j < s.length() && ",}] \t\r\n".indexOf(s.charAt(j)) < 0) {
            j++;
        }
        return j;
    }
}
