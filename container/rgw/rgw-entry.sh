#!/usr/bin/env bash
# The RGW image's entry point: .ci/peers/rgw.sh start, a line once S3 answers and the user exists (what
# a container's wait strategy looks for), then wait; SIGTERM stops the daemons by their PIDs.
set -euo pipefail
cd /opt/mirrorspec-rgw
stop() {
  bash rgw.sh stop || true
  exit 0
}
trap stop TERM INT
eval "$(bash rgw.sh start)"
echo "mirrorspec-rgw: S3 ready on port $RGW_PORT, access key $RGW_ACCESS_KEY"
while :; do
  sleep 1 &
  wait $! || true
done
