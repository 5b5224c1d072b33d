package io.breakwater.agent.config;

/** A bad agent argument or config file entry; the message names the key and says what is wrong. */
public final class ConfigException extends Exception {
    private final String key;

    public ConfigException(String message) {
        this(null, message);
    }

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The option at fault, when there is one. */
    public String key() {
        return key;
    }
}
