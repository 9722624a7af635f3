#!/usr/bin/env bash
# CLI start-up benchmark (issue 16 item 4): starts the real service jar (in memory) on a free port, then hyperfine over
# a bare JVM start, --help, list, publish, list over TLS (a second service with an openssl-made certificate, trusted
# by --ca-file) and a refused port, for each launcher directory given (each holding discovery-client +
# discovery-client.jar), on JDK 17 and 25. Run it on an otherwise idle machine for figures.
# usage: bench-startup.sh SERVICE_JAR OUT_PREFIX RUNS DIR...   (e.g. base=/tmp/base new=node-client/target/..)
set -euo pipefail
if ! command -v hyperfine >/dev/null 2>&1; then # Debian's hyperfine; installed when root and missing, as test.sh does
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing hyperfine" >&2
    apt-get -qq -o DPkg::Lock::Timeout=600 update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600 install -y --no-install-recommends hyperfine >/dev/null
  else
    echo "hyperfine not found: install it (Debian: hyperfine) or run as root" >&2; exit 1
  fi
fi
service=$1 out=$2 runs=$3
shift 3
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$(mktemp -d)}
j17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
j25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free) tls_port=$(free) closed=$(free)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$out.key.pem" -out "$out.cert.pem" \
  -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
"$j17" -jar "$service" --addr=127.0.0.1:"$port" --landing-addr= --metrics-addr= --in-memory >"$out.server.log" 2>&1 &
server=$!
"$j17" -jar "$service" --addr=127.0.0.1:"$tls_port" --landing-addr= --metrics-addr= --in-memory \
  --certificate-path="$out.cert.pem" --key-path="$out.key.pem" >"$out.tls-server.log" 2>&1 &
tls_server=$!
trap 'kill $server $tls_server 2>/dev/null; wait $server $tls_server 2>/dev/null || true' EXIT
for p in "$port" "$tls_port"; do
  for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$p") 2>/dev/null && break; sleep 0.1; done
done
secret=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
common="--endpoint 127.0.0.1:$port --insecure --cluster-id bench --cluster-secret $secret"
publish="publish --node-id 7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke --hostname bench-1 --address 10.0.0.1 --wg-endpoint 192.0.2.1:51820 $common"
cmds=(-n bare-17 "$j17 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version"
      -n bare-25 "$j25 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version")
for dir in "$@"; do
  name=$(basename "$dir")
  for jdk in 17 25; do
    java=$j17; [ "$jdk" = 25 ] && java=$j25
    run="DISCOVERY_CLIENT_JAVA=$java $dir/discovery-client"
    # Makes the start-up cache (training run) and seeds the cluster before anything is timed.
    DISCOVERY_CLIENT_JAVA=$java "$dir/discovery-client" publish --hostname "seed-$name-$jdk" $common >/dev/null
    cmds+=(-n "$name-$jdk help" "$run --help" -n "$name-$jdk list" "$run list $common"
           -n "$name-$jdk publish" "$run $publish"
           -n "$name-$jdk tls list" "$run list --endpoint https://127.0.0.1:$tls_port --ca-file $out.cert.pem --cluster-id bench --cluster-secret $secret"
           -n "$name-$jdk refused" "$run list --endpoint 127.0.0.1:$closed --insecure --cluster-id bench --cluster-secret $secret")
  done
done
hyperfine --runs "$runs" --warmup 2 -i --export-markdown "$out.md" --export-json "$out.json" "${cmds[@]}"
