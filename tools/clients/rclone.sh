#!/usr/bin/env bash
# rclone (Debian's) with its defaults for an S3 provider "Other", configured from the environment.
# Under its defaults a 20 MB upload is a single PUT (upload_cutoff is 200 MiB), and it deletes one
# object at a time.
set -u
. "$(dirname "$0")/lib.sh"
export RCLONE_CONFIG_SIM_TYPE=s3 RCLONE_CONFIG_SIM_PROVIDER=Other RCLONE_CONFIG_SIM_ENDPOINT=$ENDPOINT \
  RCLONE_CONFIG_SIM_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID RCLONE_CONFIG_SIM_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
rc() { rclone --config /dev/null "$@"; }

s_make_bucket() { rc mkdir "sim:$BUCKET"; }
s_put() { rc copyto "$WORK/small.txt" "sim:$BUCKET/small.txt"; }
s_get() { rc copyto "sim:$BUCKET/small.txt" "$OUT/small.txt" && same "$WORK/small.txt" "$OUT/small.txt"; }
s_list() { rc lsf "sim:$BUCKET" | grep -qx small.txt; }
s_upload_20mb() {
  rc copyto "$WORK/big.bin" "sim:$BUCKET/big.bin" && rc copyto "sim:$BUCKET/big.bin" "$OUT/big.bin" &&
    same "$WORK/big.bin" "$OUT/big.bin"
}
s_sync_twice() { sync_twice rc sync "$WORK/tree" "sim:$BUCKET/tree"; }
s_copy() {
  rc copyto "sim:$BUCKET/small.txt" "sim:$BUCKET/copy.txt" &&
    rc copyto "sim:$BUCKET/copy.txt" "$OUT/copy.txt" && same "$WORK/small.txt" "$OUT/copy.txt"
}
s_batch_delete() { rc delete "sim:$BUCKET/tree" && [ -z "$(rc lsf -R "sim:$BUCKET/tree")" ]; }
s_presigned_get() {
  local url
  url=$(rc link "sim:$BUCKET/small.txt") && curl -fsS "$url" -o "$OUT/presigned.txt" &&
    same "$WORK/small.txt" "$OUT/presigned.txt"
}
s_delete() { rc deletefile "sim:$BUCKET/small.txt" && [ -z "$(rc lsf "sim:$BUCKET" --include small.txt)" ]; }

ABSENT_presigned_put="rclone link presigns GET only"
run_steps
