#!/usr/bin/env bash
# Proves that ./test.sh passes on a fresh machine: debootstraps a minimal Debian 12 into a directory, installs only a
# JDK 17 and Maven there, copies the repository in (git archive of a commit) and runs ./test.sh inside as root with
# CI=true, in a private mount and PID namespace whose root it is (pivot_root; the network is the host's: apt and
# Maven Central are needed).
#
#   sudo ops/fresh-machine-test.sh [--ref=HEAD] [--keep] [--root=DIR] [--mirror=URL] [-- <args for test.sh>]
#
# --ref      the commit to test (default HEAD; `--ref=worktree` includes uncommitted changes to tracked files)
# --keep     leave the root file system behind for a look (printed at the end); default: removed
# --root     where to build it (default: a new directory under /var/tmp)
# The package downloads of the base system are cached in $FRESH_CACHE (default /var/cache/discoveryd-fresh), so a
# rerun skips them. Exit status: that of ./test.sh inside (0 = the suite passed on the fresh machine).
set -euo pipefail
cd "$(dirname "$0")/.."

ref=HEAD keep=false root= mirror=http://deb.debian.org/debian suite=bookworm
test_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ref=*) ref=${1#*=} ;;
    --keep) keep=true ;;
    --root=*) root=${1#*=} ;;
    --mirror=*) mirror=${1#*=} ;;
    --) shift; test_args=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap, namespaces, mounts)" >&2; exit 2; }
for tool in debootstrap unshare pivot_root git; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install debootstrap util-linux git)" >&2; exit 2; }
done

cache=${FRESH_CACHE:-/var/cache/discoveryd-fresh}
mkdir -p "$cache"
tarball=$cache/$suite-minbase-amd64.tgz
root=${root:-$(mktemp -d /var/tmp/discoveryd-fresh.XXXXXX)}
case "$(realpath -m "$root")" in /|/usr|/var|/var/tmp|/tmp|/root|/home) echo "refusing --root=$root" >&2; exit 2 ;; esac
mkdir -p "$root"
log() { echo "[fresh $(date -u +%H:%M:%S)] $*"; }

cleanup() {
  local status=$?
  set +e
  [ -n "${upid:-}" ] && kill "$upid" 2>/dev/null && wait "$upid" 2>/dev/null
  # The mounts live in the namespace of the unshare below and vanish with it; this catches any left by an abort.
  findmnt -rn -o TARGET | grep -F "$root/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if [ "$keep" = true ]; then
    log "root file system kept at $root"
  else
    rm -rf --one-file-system "$root"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -s "$tarball" ]; then
  log "downloading the $suite base system into $tarball (once)"
  debootstrap --variant=minbase --make-tarball="$tarball.part" "$suite" "$root/.tarball-work" "$mirror" >/dev/null
  mv "$tarball.part" "$tarball"
  rm -rf "$root/.tarball-work"
fi
log "debootstrap $suite (minbase) into $root"
debootstrap --variant=minbase --unpack-tarball="$(realpath "$tarball")" "$suite" "$root" "$mirror" >/dev/null

cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# What the Debian installer writes and debootstrap does not: without it `localhost` goes to DNS, and chromedriver
# cannot reach the browser it started (BrowserEndToEndTest: "unable to connect to renderer").
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tdiscoveryd-fresh\n' > "$root/etc/hosts"
echo discoveryd-fresh > "$root/etc/hostname"
# The host's own trust anchors (e.g. of a TLS-inspecting egress proxy) carry over, so Maven Central is trusted the
# same way; the JDK's cacerts is built from them when ca-certificates-java is installed below.
mkdir -p "$root/usr/local/share/ca-certificates"
cp -L /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true

log "copying the repository ($ref) in"
commit=$ref
[ "$ref" = worktree ] && commit=$(git stash create) && commit=${commit:-HEAD}
mkdir -p "$root/src/discoveryd"
git archive --format=tar "$commit" | tar -x -C "$root/src/discoveryd"

# Inside: only a JDK 17 and Maven, as the README promises, then the suite exactly as CI runs it.
cat > "$root/fresh-run.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root CI=true
apt-get -qq update >/dev/null
apt-get -qq install -y --no-install-recommends openjdk-17-jdk-headless maven >/dev/null
echo "[fresh] $(java -version 2>&1 | head -1); $(mvn -v 2>/dev/null | head -1)"
cd /src/discoveryd
./test.sh "$@"
EOF
chmod +x "$root/fresh-run.sh"

log "running ./test.sh ${test_args[*]} in the fresh root (CI=true)"
# --kill-child: if this script is stopped, everything inside the PID namespace goes with it.
unshare --mount --pid --fork --kill-child --propagation private /bin/bash -euo pipefail -c '
  root=$1; shift
  # The root a mount point of its own, as on a real machine (the JDK looks file stores up in /proc/self/mounts).
  mount --bind "$root" "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
  # The fresh root becomes the root of this mount namespace (pivot_root, not chroot): a process that enters a mount
  # namespace made inside (the kubespan-agent netns lab: nsenter --mount) starts at the root of that namespace, which
  # under chroot was the host root, where /run/wireguard and the files of the lab do not exist.
  cd "$root"
  mkdir -p .oldroot
  pivot_root . .oldroot
  umount -l /.oldroot
  rmdir /.oldroot
  exec /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TERM="${TERM:-dumb}" /fresh-run.sh "$@"
' fresh "$root" ${test_args[@]+"${test_args[@]}"} &
upid=$!
status=0
wait "$upid" || status=$?
upid=
if [ $status = 0 ]; then log "PASS: ./test.sh passed on a fresh $suite"; else log "FAIL: ./test.sh exited $status"; fi
exit $status
