package dev.discoveryd.ops;

import java.io.IOException;
import java.net.ServerSocket;

/** Loopback ports for the servers a benchmark starts. */
final class Ports {
    private Ports() {
    }

    /** A port free now (the OS's pick for port 0); another process may take it before it is used. */
    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
