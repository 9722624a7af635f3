#!/usr/bin/env bash
# Proves ops/container/Containerfile without any container registry: makes its two base images itself (debootstrap
# of Debian bookworm + a JRE, and that + JDK + Maven), builds the image with buildah, runs it with podman, and talks to
# it as a Talos node would (node-client CLI: publish, then list). Needs root, debootstrap, buildah, podman, and the
# CLI jar (node-client/target/discovery-client.jar). Base images are kept (podman images) and reused by later runs.
# On hosts with hybrid cgroups (v1 + v2), crun cannot start containers: runc (Debian package) is used when present;
# builds use chroot isolation, which needs no OCI runtime.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${DISCOVERYD_CONTAINER_WORK:-/var/tmp/discoveryd-container-test}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
runtime_base=localhost/discoveryd-base-jre:bookworm
build_base=localhost/discoveryd-base-jdk:bookworm
image=localhost/discoveryd:test
name=discoveryd-ops-test-$$
cli=$root/node-client/target/discovery-client.jar
step() { printf '== %s (%ss)\n' "$*" "$SECONDS"; }

[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap, rootful podman)" >&2; exit 2; }
for t in debootstrap buildah podman java curl; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 2; }; done
[ -f "$cli" ] || { echo "missing $cli (mvn package -pl node-client -am)" >&2; exit 2; }
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; podman volume rm -f "$name-data" >/dev/null 2>&1 || true; }
trap cleanup EXIT
run_opts=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
if command -v runc >/dev/null; then run_opts+=(--runtime=runc); fi

if ! podman image exists $runtime_base; then
  step "debootstrap bookworm (minbase + openjdk-17-jre-headless) into $work/rootfs"
  rm -rf "$work/rootfs" && mkdir -p "$work"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$work/rootfs" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  step "import as $runtime_base"
  tar -C "$work/rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - $runtime_base >/dev/null
  rm -rf "$work/rootfs"
fi
if ! podman image exists $build_base; then
  step "make $build_base (+ openjdk-17-jdk-headless, maven)"
  ctr=$(buildah from $runtime_base)
  buildah run --isolation=chroot "$ctr" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends openjdk-17-jdk-headless maven >/dev/null && rm -rf /var/lib/apt/lists/*'
  buildah commit -q "$ctr" $build_base >/dev/null
  buildah rm "$ctr" >/dev/null
fi

step "buildah bud ops/container/Containerfile (Maven offline against the host's ~/.m2)"
buildah bud -q --isolation=chroot --format docker --layers --ignorefile "$root/ops/container/containerignore" \
  -f "$root/ops/container/Containerfile" --build-arg BUILD_IMAGE=$build_base --build-arg RUNTIME_IMAGE=$runtime_base \
  --build-arg MAVEN_FLAGS=-o -v "$HOME/.m2:/root/.m2" -t $image "$root" >/dev/null
podman image inspect $image --format 'image: user={{.Config.User}} volumes={{.Config.Volumes}} ports={{.Config.ExposedPorts}} healthcheck={{.Config.Healthcheck.Test}}'

step "podman run --memory=512m"
podman run "${run_opts[@]}" -d --name "$name" --memory=512m -p 127.0.0.1::3000 -p 127.0.0.1::2122 -v "$name-data:/data" $image >/dev/null
grpc=$(podman port "$name" 3000/tcp | head -1 | sed 's/.*://')
metrics=$(podman port "$name" 2122/tcp | head -1 | sed 's/.*://')
for _ in $(seq 1 120); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then break; fi
  sleep 1
done
podman healthcheck run "$name" && echo "healthcheck: healthy (/readyz 200)"
echo "uid in container: $(podman exec "$name" id -u)"
podman exec "$name" java -XshowSettings:vm -version 2>&1 | grep -i "max. heap" | sed 's/^ */heap from the 512m limit: /'
curl -fsS "http://127.0.0.1:$metrics/readyz"; echo " (/readyz on the published metrics port $metrics)"

step "Talos client (node-client CLI) against 127.0.0.1:$grpc"
secret=$(head -c 32 /dev/urandom | base64)
java -jar "$cli" publish --endpoint="http://127.0.0.1:$grpc" --cluster-id=container-test --cluster-secret="$secret" \
  --node-id=node-1 --hostname=node-1 --address=10.9.0.1 -o json >/dev/null
java -jar "$cli" list --endpoint="http://127.0.0.1:$grpc" --cluster-id=container-test --cluster-secret="$secret" -o json \
  | tee "$work/list.json" | grep -q '"node-1"' && echo "list: node-1 is back, decrypted by the client"
curl -fsS "http://127.0.0.1:$metrics/metrics" | grep -E '^discovery_state_affiliates ' | sed 's/^/metrics: /'
step "restart keeps the state (volume /data)"
podman restart "$name" >/dev/null
for _ in $(seq 1 120); do podman healthcheck run "$name" >/dev/null 2>&1 && break; sleep 1; done
grpc=$(podman port "$name" 3000/tcp | head -1 | sed 's/.*://')
java -jar "$cli" list --endpoint="http://127.0.0.1:$grpc" --cluster-id=container-test --cluster-secret="$secret" -o json \
  | grep -q '"node-1"' && echo "after restart: node-1 still listed"
step "container test passed"
