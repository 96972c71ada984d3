#!/usr/bin/env bash
# CI: the images built here with no container registry, and the container tests run through
# testcontainers on podman's Docker API (../shared/research/containers.md has the set-up, checked by
# hand). Nothing is cached: the Debian base comes from debootstrap, Node.js is this machine's own
# binary, the simulator image installs the `npm pack` tarball offline from an npm cache filled here.
# podman itself is called only to build and import images and to serve its API; the service is
# stopped by its PID, and every container is stopped by the test that started it.
#
#   bash .ci/containers.sh      # exit 0 when every container test passed
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'containers: %s\n' "$*" >&2; }
t0=$(date +%s)
lap() { say "$1 ($(($(date +%s) - t0)) s so far)"; }

VERSION=$(node -p 'require("./package.json").version')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mirrorspec-containers.XXXXXX")
SERVICE_PID=""
cleanup() {
  if [ -n "$SERVICE_PID" ]; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# podman with runc, debootstrap for the base, python3-boto3 for the Python test.
export DEBIAN_FRONTEND=noninteractive
need=()
for pkg in podman runc debootstrap python3-boto3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=300 -q update >&2
  apt-get -o DPkg::Lock::Timeout=300 -y -q --no-install-recommends install "${need[@]}" >&2
fi
if [ ! -f /etc/containers/containers.conf ]; then
  mkdir -p /etc/containers
  cat >/etc/containers/containers.conf <<'EOF'
[containers]
# the VM refuses raising RLIMIT_NOFILE/NPROC (setrlimit: Operation not permitted); lower limits work
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
# crun fails here: "cgroups in hybrid mode not supported"; runc works
runtime = "runc"
EOF
fi
lap "packages ready"

# The Debian base: minbase and CA certificates, then a copy with Ceph's packages installed in a chroot
# (the host's network; policy-rc.d keeps the packages from starting daemons).
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
debootstrap --variant=minbase --include=ca-certificates bookworm "$WORK/base" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
  { tail -n 20 "$WORK/debootstrap.log" >&2; exit 1; }
lap "debootstrap done"
cp -a "$WORK/base" "$WORK/ceph"
printf '#!/bin/sh\nexit 101\n' >"$WORK/ceph/usr/sbin/policy-rc.d"
chmod +x "$WORK/ceph/usr/sbin/policy-rc.d"
(chroot "$WORK/ceph" apt-get -q update && chroot "$WORK/ceph" apt-get -y -q --no-install-recommends install \
  radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl) >"$WORK/ceph.log" 2>&1 &
ceph_pid=$!
for dir in base; do
  rm -rf "$WORK/$dir"/var/cache/apt/archives/*.deb "$WORK/$dir"/var/lib/apt/lists/* "$WORK/$dir"/usr/share/doc/* \
    "$WORK/$dir"/usr/share/man/* "$WORK/$dir"/usr/share/locale/*
  tar -C "$WORK/$dir" -cf - . | podman import - localhost/mirrorspec-debian:bookworm >/dev/null
done
wait "$ceph_pid" || { tail -n 20 "$WORK/ceph.log" >&2; exit 1; }
rm -rf "$WORK"/ceph/var/cache/apt/archives/*.deb "$WORK"/ceph/var/lib/apt/lists/* "$WORK"/ceph/usr/share/doc/* \
  "$WORK"/ceph/usr/share/man/*
tar -C "$WORK/ceph" -cf - . | podman import - localhost/mirrorspec-ceph:bookworm >/dev/null
rm -rf "$WORK/base" "$WORK/ceph"
lap "base images imported"

# A Node.js base: this machine's node (Debian's nodejs is 18, older than the package's 20.19) and npm.
mkdir -p "$WORK/node"
cp "$(readlink -f "$(command -v node)")" "$WORK/node/node"
cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$WORK/node/npm"
cat >"$WORK/node/Containerfile" <<'EOF'
FROM localhost/mirrorspec-debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version
EOF
podman build -q -t localhost/mirrorspec-node:20 "$WORK/node" >/dev/null
rm -rf "$WORK/node"

# The simulator image from the npm pack tarball; the npm cache is filled by installing the same tarball
# on the host, so the build inside needs no network.
ctx="$WORK/simulator"
mkdir -p "$ctx/container"
npm pack --silent --pack-destination "$ctx" >/dev/null
cp Containerfile .containerignore "$ctx/"
cp container/serve-from-env.sh "$ctx/container/"
npm install --global --prefix "$WORK/prefix" --cache "$ctx/npm-cache" --omit=dev --no-audit --no-fund \
  "$ctx"/mirrorspec-*.tgz >"$WORK/npm.log" 2>&1 || { tail -n 20 "$WORK/npm.log" >&2; exit 1; }
podman build -q --format docker --build-arg BASE=localhost/mirrorspec-node:20 \
  -t "localhost/mirrorspec:$VERSION" "$ctx" >/dev/null
podman build -q --format docker --build-arg BASE=localhost/mirrorspec-ceph:bookworm \
  -f container/rgw/Containerfile -t "localhost/mirrorspec-rgw:$VERSION" . >/dev/null
say "image sizes: $(podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep mirrorspec | tr '\n' ';')"
lap "images built"

# podman's Docker API for testcontainers, on a socket of this run's own.
podman system service --time=0 "unix://$WORK/podman.sock" >"$WORK/podman-service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 100); do [ -S "$WORK/podman.sock" ] && break; sleep 0.1; done
export DOCKER_HOST="unix://$WORK/podman.sock"
export TESTCONTAINERS_RYUK_DISABLED=true      # the reaper image cannot be pulled; each test stops its containers
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 # else it connects to the bridge gateway address, not loopback
export MIRRORSPEC_IMAGE="localhost/mirrorspec:$VERSION"
export MIRRORSPEC_RGW_IMAGE="localhost/mirrorspec-rgw:$VERSION"
export MIRRORSPEC_CONTAINER_RUNS=${MIRRORSPEC_CONTAINER_RUNS:-3}

status=0
npx vitest run --config container/vitest.config.ts || status=$?
left=$(podman ps -q | wc -l)
[ "$left" -eq 0 ] || { say "$left containers still running after the tests"; status=1; }
lap "container tests done (exit $status)"
exit "$status"
