package dev.discoveryd.agent.port;

import java.nio.file.Path;

/**
 * Creates a {@link DataPlane}; found with {@link java.util.ServiceLoader} and chosen by {@link #name()}
 * ({@code run --data-plane NAME}): {@code fake} (in memory, for tests) or {@code linux} (issue 12).
 */
public interface DataPlaneProvider {
    String name();

    /** {@code stateDir} is the agent's state directory, for anything the data plane must keep. */
    DataPlane open(Path stateDir) throws DataPlaneException;

    /** The data plane the daemon drives, with the config's options; adapters without options ignore them. */
    default DataPlane open(Path stateDir, DataPlaneOptions options) throws DataPlaneException {
        return open(stateDir);
    }
}
