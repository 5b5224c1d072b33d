package io.breakwater.agent.config;

/** A bad agent argument or config file entry; the message names the key and says what is wrong. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
