package dev.discoveryd.ops.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/container/Containerfile built and run for real (ops/container/test-image.sh: debootstrap base images, buildah,
 * podman, the node-client CLI). Minutes on a first run, so opt-in: DISCOVERYD_CONTAINER_TEST=1 (./test.sh then
 * installs debootstrap, buildah, podman and runc).
 */
@Tag("slow")
class ContainerImageIT {
    @Test
    void imageBuildsOnSelfMadeBaseImagesRunsNonRootAndServesATalosClient() throws Exception {
        Assumptions.assumeTrue("1".equals(System.getenv("DISCOVERYD_CONTAINER_TEST")),
                "container image test is opt-in (minutes): set DISCOVERYD_CONTAINER_TEST=1");
        Tools.requireRoot("debootstrap and rootful podman");
        Tools.require("debootstrap", "debootstrap");
        Tools.require("buildah", "buildah");
        Tools.require("podman", "podman");
        Tools.artefact("cli.jar");
        Path script = Tools.opsDir().resolve("container/test-image.sh");
        Tools.Result r = Tools.run(Duration.ofMinutes(30), Tools.opsDir().getParent(), "bash", script.toString());
        System.out.println(r.output());
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("user=10001:10001", "/data", "3000/tcp", "2122/tcp", "healthcheck: healthy",
                "uid in container: 10001", "list: node-1 is back", "after restart: node-1 still listed",
                "container test passed");
    }
}
