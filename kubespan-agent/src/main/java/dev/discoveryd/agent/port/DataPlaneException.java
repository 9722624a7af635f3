package dev.discoveryd.agent.port;

/** The data plane refused or failed a change; the message says what and why, for one log line. */
public class DataPlaneException extends Exception {
    public DataPlaneException(String message) {
        super(message);
    }

    public DataPlaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
