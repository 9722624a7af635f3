package dev.discoveryd.agent.config;

/** A config that cannot be used; the message names the field (document kind and path) and what is wrong. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
