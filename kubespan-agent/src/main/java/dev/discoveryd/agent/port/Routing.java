package dev.discoveryd.agent.port;

import java.net.InetAddress;
import java.util.Optional;

/** Policy routing for KubeSpan: one table, its routes, and the rules that send marked packets to it. */
public interface Routing {
    /**
     * Makes the installed state equal {@code desired}: adds what is missing, removes routes in the table
     * and rules to the table that are not wanted, never duplicates. Safe to repeat, and adopts what an
     * earlier run left.
     */
    void apply(RoutingState desired) throws DataPlaneException;

    /** What is installed now for {@code table}: rules pointing to it and routes in it. */
    RoutingState installed(int table) throws DataPlaneException;

    /** Removes every rule pointing to {@code table} and every route in it. */
    void tearDown(int table) throws DataPlaneException;

    /**
     * The device the kernel would send a packet to {@code address} carrying {@code mark} out of; empty when there is
     * no route or the adapter cannot tell.
     */
    Optional<String> outputDevice(InetAddress address, int mark) throws DataPlaneException;
}
