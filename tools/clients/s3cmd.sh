#!/usr/bin/env bash
# s3cmd (Debian's) with its defaults, but the endpoint and keys in its configuration file.
set -u
. "$(dirname "$0")/lib.sh"
host=${ENDPOINT#http://}
cat >"$HOME/.s3cfg" <<CFG
[default]
access_key = $AWS_ACCESS_KEY_ID
secret_key = $AWS_SECRET_ACCESS_KEY
host_base = $host
host_bucket = $host
use_https = False
CFG
s3() { s3cmd --no-progress "$@"; }

s_make_bucket() { s3 mb "s3://$BUCKET"; }
s_put() { s3 put "$WORK/small.txt" "s3://$BUCKET/small.txt"; }
s_get() { s3 get --force "s3://$BUCKET/small.txt" "$OUT/small.txt" && same "$WORK/small.txt" "$OUT/small.txt"; }
s_list() { s3 ls "s3://$BUCKET/" | grep -q "s3://$BUCKET/small.txt$"; }
s_upload_20mb() {
  s3 put "$WORK/big.bin" "s3://$BUCKET/big.bin" && s3 get --force "s3://$BUCKET/big.bin" "$OUT/big.bin" &&
    same "$WORK/big.bin" "$OUT/big.bin"
}
s_sync_twice() { sync_twice s3 sync "$WORK/tree/" "s3://$BUCKET/tree/"; }
s_copy() {
  s3 cp "s3://$BUCKET/small.txt" "s3://$BUCKET/copy.txt" &&
    s3 get --force "s3://$BUCKET/copy.txt" "$OUT/copy.txt" && same "$WORK/small.txt" "$OUT/copy.txt"
}
s_batch_delete() { s3 del --recursive "s3://$BUCKET/tree/" && [ -z "$(s3 ls --recursive "s3://$BUCKET/tree/")" ]; }
s_presigned_get() {
  local url
  url=$(s3 signurl "s3://$BUCKET/small.txt" +600) && curl -fsS "$url" -o "$OUT/presigned.txt" &&
    same "$WORK/small.txt" "$OUT/presigned.txt"
}
s_delete() { s3 del "s3://$BUCKET/small.txt" && [ -z "$(s3 ls "s3://$BUCKET/small.txt")" ]; }

ABSENT_presigned_put="s3cmd signurl presigns GET only"
run_steps
