#!/usr/bin/env bash
# Ceph RADOS Gateway on loopback: a real S3 server (SigV4 verified, no mirror feature) for the suite's
# S3 baseline. One mon, one memstore OSD (RAM only) and radosgw with the beast frontend, as Debian
# packages them; cephx is off, S3 auth is RGW's own. Recipe and timings:
# ../shared/research/feasibility.md section 2(b).
#
#   bash .ci/peers/rgw.sh start   # prints RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_DIR, RGW_PIDS
#   bash .ci/peers/rgw.sh stop
#
# Ports (loopback): RGW_PORT (S3, default 17480), RGW_MON_PORT (mon, 17481), and 17482-17487 for the
# OSD's messengers (RGW_OSD_PORT_MIN/MAX). Ceph's defaults (6789, 6800-7300) are not used.
set -euo pipefail
PEER=rgw
# shellcheck source=.ci/peers/lib.sh
. "$(dirname "$0")/lib.sh"

RGW_PORT=${RGW_PORT:-17480}
# The address radosgw listens on: loopback, but 0.0.0.0 in a container (container/rgw/Containerfile).
RGW_HOST=${RGW_HOST:-127.0.0.1}
RGW_MON_PORT=${RGW_MON_PORT:-17481}
RGW_OSD_PORT_MIN=${RGW_OSD_PORT_MIN:-17482}
RGW_OSD_PORT_MAX=${RGW_OSD_PORT_MAX:-17487}
PACKAGES=(radosgw ceph-mon ceph-osd ceph-common uuid-runtime)

# The daemons' bring-up, in $D; sets PIDS. Returns non-zero when a step does not answer in time.
bring_up() {
  local fsid osd_uuid
  fsid=$(uuidgen)
  mkdir -p "$D/asok" "$D/out" "$D/mon.a" "$D/osd.0"
  cat >"$D/ceph.conf" <<EOF
[global]
fsid = $fsid
mon_host = v1:127.0.0.1:$RGW_MON_PORT
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr2 = false
ms_bind_port_min = $RGW_OSD_PORT_MIN
ms_bind_port_max = $RGW_OSD_PORT_MAX
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
auth_allow_insecure_global_id_reclaim = true
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_crush_chooseleaf_type = 0
osd_objectstore = memstore
memstore_device_bytes = 1073741824
run_dir = $D/asok
admin_socket = $D/asok/\$name.asok
log_file = $D/out/\$name.log
pid_file = $D/out/\$name.pid
keyring = $D/keyring
mon_data_avail_warn = 1
mon_data_avail_crit = 0
# Without these two every monitor commit waits about 1 s: a start of 13 s instead of 2 s.
paxos_propose_interval = 0.05
paxos_min_wait = 0.01
mon_osd_prime_pg_temp = false
# The OSD's own crush commands at start were refused now and then with 'wrong fsid' (its monitor client
# sent a zero fsid), and the OSD then exits; the script places the OSD in the crush map instead.
osd_crush_update_on_start = false
osd_class_update_on_start = false
[mon.a]
mon_data = $D/mon.a
[osd.0]
osd_data = $D/osd.0
[client.rgw.a]
# tcp_nodelay: without it every GET took about 50 ms (Nagle's algorithm against the client's delayed ACK:
# headers and body go in two writes); with it 4 ms, measured through the gateway store.
rgw_frontends = beast endpoint=$RGW_HOST:$RGW_PORT tcp_nodelay=1
rgw_dns_name = 127.0.0.1
EOF
  local conf=(-c "$D/ceph.conf")
  local ceph=(timeout 10 ceph "${conf[@]}" --connect-timeout 5)
  ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$D/keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  # --add with a port other than 6789 would make a v2 address, which msgr v1 clients never reach.
  monmaptool --create --addv a "[v1:127.0.0.1:$RGW_MON_PORT]" --fsid "$fsid" "$D/monmap" >/dev/null
  timeout 60 ceph-mon "${conf[@]}" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring" >>"$D/out/setup.log" 2>&1 || return 1

  local mon osd rgw
  mon=$(spawn "$D/out/mon.a.stdout" ceph-mon "${conf[@]}" -i a -f)
  PIDS=$mon
  WAIT_PIDS=$mon wait_for 20 "mon" "${ceph[@]}" mon stat || return 1
  t_mon=$(since "$t0")

  osd_uuid=$(uuidgen)
  "${ceph[@]}" osd new "$osd_uuid" >>"$D/out/setup.log" 2>&1 || return 1
  "${ceph[@]}" osd crush add osd.0 1.0 root=default >>"$D/out/setup.log" 2>&1 || return 1
  timeout 60 ceph-osd "${conf[@]}" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$D/out/setup.log" 2>&1 || return 1
  osd=$(spawn "$D/out/osd.0.stdout" ceph-osd "${conf[@]}" -i 0 -f)
  PIDS="$PIDS,$osd"
  osd_up() { "${ceph[@]}" osd stat | grep -q '1 up'; }
  WAIT_PIDS="$mon $osd" wait_for 30 "osd" osd_up || return 1
  t_osd=$(since "$t0")

  rgw=$(spawn "$D/out/rgw.a.stdout" radosgw "${conf[@]}" -n client.rgw.a -f)
  PIDS="$PIDS,$rgw"
  # An anonymous GET / is ListAllMyBuckets for nobody: any HTTP answer means the gateway serves S3.
  WAIT_PIDS="$mon $osd $rgw" wait_for 30 "radosgw" \
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$RGW_PORT/" || return 1
  t_rgw=$(since "$t0")

  timeout 20 radosgw-admin "${conf[@]}" user create --uid=mirrorspec --display-name=mirrorspec \
    --access-key="$ACCESS" --secret-key="$SECRET" >>"$D/out/setup.log" 2>&1 || return 1
}

start() {
  check_not_started
  local t_install
  t0=$(now)
  ensure_packages "${PACKAGES[@]}"
  command -v curl >/dev/null || ensure_packages curl
  t_install=$(since "$t0")
  port_free "$RGW_PORT" "$RGW_MON_PORT"
  # Keys for this start only (or the caller's: a container is given them): 20 and 40 characters, as AWS's look.
  ACCESS=${RGW_ACCESS_KEY:-$(LC_ALL=C tr -dc 'A-Z0-9' </dev/urandom | head -c 20 || true)}
  SECRET=${RGW_SECRET_KEY:-$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40 || true)}

  # One unexplained hang was seen in about 25 starts (feasibility.md): a failed bring-up is stopped and
  # tried once more in a fresh directory.
  local attempt
  for attempt in 1 2; do
    D=$(mktemp -d "${TMPDIR:-/tmp}/mirrorspec-rgw.XXXXXX")
    PIDS=""
    t0=$(now)
    if bring_up; then
      write_state "RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT" "RGW_ACCESS_KEY=$ACCESS" \
        "RGW_SECRET_KEY=$SECRET" "RGW_DIR=$D" "RGW_PIDS=$PIDS"
      say "answering on http://127.0.0.1:$RGW_PORT (install ${t_install}s; mon ${t_mon}s, osd ${t_osd}s, rgw ${t_rgw}s, user $(since "$t0")s)"
      return 0
    fi
    say "start attempt $attempt failed; logs in $D/out:"
    tail -n 5 "$D"/out/*.log >&2 2>/dev/null || true
    # shellcheck disable=SC2046 # a list of PIDs
    [ -n "$PIDS" ] && stop_pids 15 $(echo "$PIDS" | tr ',' ' ')
    rm -rf "$D"
  done
  die "radosgw did not start"
}

case "${1:-}" in
  start) start ;;
  stop) stop_peer 20 ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
