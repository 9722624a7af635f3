package dev.discoveryd.agent.fake;

import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneProvider;
import java.nio.file.Path;

/** {@code --data-plane fake}: nothing leaves the process; for tests and dry runs. */
public final class FakeDataPlaneProvider implements DataPlaneProvider {
    @Override
    public String name() {
        return "fake";
    }

    @Override
    public DataPlane open(Path stateDir) {
        return new DataPlane(name(), new FakeWireGuard(), new FakeRouting(), new FakeFirewall());
    }
}
