#!/usr/bin/env bash
# nginx proxy_store on loopback: a pull-through mirror many sites run, judged by the suite under fixed
# rules (`check --static-rules docs/peers/nginx-plain.yaml --origin-port $NGINX_ORIGIN_PORT`). The
# configuration is docs/peers/nginx-proxy-store.conf.template with the ports and the directory filled in.
# Observed behaviour: ../shared/research/feasibility.md section 3.
#
#   bash .ci/peers/nginx.sh start   # prints NGINX_ENDPOINT, NGINX_ORIGIN_PORT, NGINX_DIR, NGINX_PIDS
#   bash .ci/peers/nginx.sh stop
#
# Ports (loopback): NGINX_PORT (default 17490) and NGINX_ORIGIN_PORT (17491), where nginx expects the
# suite's origin; nothing needs to listen there for nginx to start.
set -euo pipefail
PEER=nginx
# shellcheck source=.ci/peers/lib.sh
. "$(dirname "$0")/lib.sh"

NGINX_PORT=${NGINX_PORT:-17490}
NGINX_ORIGIN_PORT=${NGINX_ORIGIN_PORT:-17491}
TEMPLATE="$(cd "$(dirname "$0")/../.." && pwd)/docs/peers/nginx-proxy-store.conf.template"

start() {
  check_not_started
  local t0 t_install
  t0=$(now)
  ensure_packages nginx
  command -v curl >/dev/null || ensure_packages curl
  t_install=$(since "$t0")
  port_free "$NGINX_PORT"
  t0=$(now)

  local d
  d=$(mktemp -d "${TMPDIR:-/tmp}/mirrorspec-nginx.XXXXXX")
  mkdir -p "$d/logs" "$d/tmp" "$d/store/mirror"
  # The worker runs as an unprivileged user (nobody) when the master is root: it must reach the
  # directory and write the store and the temporary files.
  chmod 755 "$d"
  chmod 777 "$d/tmp" "$d/store" "$d/store/mirror"
  sed -e "s|@PORT@|$NGINX_PORT|g" -e "s|@ORIGIN_PORT@|$NGINX_ORIGIN_PORT|g" -e "s|@DIR@|$d|g" \
    "$TEMPLATE" >"$d/nginx.conf"
  if ! nginx -t -q -c "$d/nginx.conf" -p "$d" 2>"$d/logs/config-test.log"; then
    cat "$d/logs/config-test.log" >&2
    rm -rf "$d"
    die "the generated configuration does not load"
  fi

  local pid
  pid=$(spawn "$d/logs/stdout.log" nginx -c "$d/nginx.conf" -p "$d")
  # Any HTTP answer will do: with no origin listening a miss is nginx's own 502.
  if ! WAIT_PIDS=$pid wait_for 10 "nginx" \
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$NGINX_PORT/"; then
    tail -n 5 "$d/logs/error.log" >&2 || true
    stop_pids 5 "$pid"
    rm -rf "$d"
    die "nginx did not start"
  fi
  write_state "NGINX_ENDPOINT=http://127.0.0.1:$NGINX_PORT" "NGINX_ORIGIN_PORT=$NGINX_ORIGIN_PORT" \
    "NGINX_DIR=$d" "NGINX_PIDS=$pid"
  say "answering on http://127.0.0.1:$NGINX_PORT, origin expected on 127.0.0.1:$NGINX_ORIGIN_PORT (install ${t_install}s, start $(since "$t0")s)"
}

case "${1:-}" in
  start) start ;;
  stop) stop_peer 10 ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
