package dev.discoveryd.nodeclient.client;

import dev.discoveryd.nodeclient.state.ServerAddress;
import java.net.InetAddress;

/**
 * Told when a session with one server connects (Hello answered) and when it fails (once per outage,
 * not per retry). Called on the client's event loop: return quickly and never block.
 */
public interface ConnectionListener {
    /** @param publicIp what the server saw us coming from, or null when it did not say */
    void connected(ServerAddress server, InetAddress publicIp);

    void failed(ServerAddress server, String reason);
}
