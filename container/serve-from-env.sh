#!/bin/sh
# The image's entry point: `mirrorspec serve` with its options taken from the environment, as a
# container is configured (docker run -e, testcontainers' withEnvironment). Arguments given to the
# container come after them, so `docker run mirrorspec --profile oss` still works.
#
#   MIRRORSPEC_HOST                   address to listen on (default 0.0.0.0: reachable through a published port)
#   MIRRORSPEC_PORT                   port (default 9000)
#   MIRRORSPEC_PROFILE                vendor profile (default neutral)
#   MIRRORSPEC_ACCESS_KEY_ID          with MIRRORSPEC_SECRET_ACCESS_KEY: require signatures with this key pair
#   MIRRORSPEC_SECRET_ACCESS_KEY
#   MIRRORSPEC_ALLOW_PRIVATE_ORIGINS  true to allow origins on loopback and private addresses (default false)
#   MIRRORSPEC_MAX_OBJECT_SIZE        largest object a mirror fetch stores, in bytes
#   MIRRORSPEC_ORIGIN_TIMEOUT_MS      origin connect, headers and idle-body timeout
#   MIRRORSPEC_VIRTUAL_HOST_DOMAIN    bucket.<name> addresses a bucket (default localhost)
#
# A bad value is refused by `mirrorspec serve` itself (exit 2, with its usage), so the container stops
# at once with the reason in its log instead of serving something else.
set -eu

args="--host ${MIRRORSPEC_HOST:-0.0.0.0} --port ${MIRRORSPEC_PORT:-9000} --profile ${MIRRORSPEC_PROFILE:-neutral}"
case "${MIRRORSPEC_ALLOW_PRIVATE_ORIGINS:-false}" in
  true | 1) args="$args --allow-private-origins" ;;
  false | 0 | '') ;;
  *)
    echo "mirrorspec image: MIRRORSPEC_ALLOW_PRIVATE_ORIGINS takes true or false, got '$MIRRORSPEC_ALLOW_PRIVATE_ORIGINS'" >&2
    exit 2
    ;;
esac
[ -n "${MIRRORSPEC_MAX_OBJECT_SIZE:-}" ] && args="$args --max-object-size $MIRRORSPEC_MAX_OBJECT_SIZE"
[ -n "${MIRRORSPEC_ORIGIN_TIMEOUT_MS:-}" ] && args="$args --origin-timeout-ms $MIRRORSPEC_ORIGIN_TIMEOUT_MS"
[ -n "${MIRRORSPEC_VIRTUAL_HOST_DOMAIN:-}" ] && args="$args --virtual-host-domain $MIRRORSPEC_VIRTUAL_HOST_DOMAIN"
# The keys stay out of the word-split list above: a secret may hold any character.
if [ -n "${MIRRORSPEC_ACCESS_KEY_ID:-}${MIRRORSPEC_SECRET_ACCESS_KEY:-}" ]; then
  # shellcheck disable=SC2086 # $args is a list of words without spaces in them
  exec mirrorspec serve $args --access-key "${MIRRORSPEC_ACCESS_KEY_ID:-}" \
    --secret-key "${MIRRORSPEC_SECRET_ACCESS_KEY:-}" "$@"
fi
# shellcheck disable=SC2086
exec mirrorspec serve $args "$@"
