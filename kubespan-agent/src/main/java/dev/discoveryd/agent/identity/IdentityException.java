package dev.discoveryd.agent.identity;

/** An identity file that exists but cannot be used; it is left as it is for the operator. */
public final class IdentityException extends Exception {
    public IdentityException(String message) {
        super(message);
    }
}
