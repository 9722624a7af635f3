package dev.discoveryd.agent.cache;

/** The cache could not be used; one warning, the agent goes on without it. */
public final class CacheException extends Exception {
    public CacheException(String message) {
        super(message);
    }
}
