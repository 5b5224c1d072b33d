package io.breakwater.agent.cli;

/**
 * What the agent leaves in the target's {@code breakwater.agent} property while it is installed:
 * {@code "<version> attached"} or {@code "<version> -javaagent"}.
 */
record Installed(String version, String how) {
    /** @return {@code null} when the property is not set, i.e. Breakwater is not installed */
    static Installed parse(String property) {
        if (property == null) {
            return null;
        }
        int space = property.lastIndexOf(' ');
        return space < 0 ? new Installed(property, "?") : new Installed(property.substring(0, space), property.substring(space + 1));
    }

    /** For {@code list}: {@code no} or {@code yes (0.1.0, attached)}. */
    static String column(Installed installed) {
        return installed == null ? "no" : "yes (" + installed + ")";
    }

    /** {@code 0.1.0, attached} or {@code 0.1.0, from -javaagent}. */
    @Override
    public String toString() {
        return version + ", " + (how.equals("-javaagent") ? "from -javaagent" : how);
    }
}
