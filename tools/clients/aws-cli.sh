#!/usr/bin/env bash
# The AWS CLI (Debian's awscli, v2) with its defaults, but the endpoint.
set -u
. "$(dirname "$0")/lib.sh"
aws() { "${AWS_CLI:-/usr/bin/aws}" --endpoint-url "$ENDPOINT" "$@"; }

s_make_bucket() { aws s3 mb "s3://$BUCKET"; }
s_put() { aws s3 cp "$WORK/small.txt" "s3://$BUCKET/small.txt"; }
s_get() { aws s3 cp "s3://$BUCKET/small.txt" "$OUT/small.txt" && same "$WORK/small.txt" "$OUT/small.txt"; }
s_list() { aws s3 ls "s3://$BUCKET/" | grep -q ' small.txt$'; }
s_upload_20mb() {
  aws s3 cp "$WORK/big.bin" "s3://$BUCKET/big.bin" && aws s3 cp "s3://$BUCKET/big.bin" "$OUT/big.bin" &&
    same "$WORK/big.bin" "$OUT/big.bin"
}
s_sync_twice() { sync_twice aws s3 sync "$WORK/tree" "s3://$BUCKET/tree/"; }
s_copy() {
  aws s3api copy-object --copy-source "$BUCKET/small.txt" --bucket "$BUCKET" --key copy.txt &&
    aws s3 cp "s3://$BUCKET/copy.txt" "$OUT/copy.txt" && same "$WORK/small.txt" "$OUT/copy.txt"
}
s_batch_delete() {
  aws s3api delete-objects --bucket "$BUCKET" \
    --delete '{"Objects":[{"Key":"tree/a.txt"},{"Key":"tree/b.txt"},{"Key":"tree/sub/c.txt"}]}' &&
    [ -z "$(aws s3 ls "s3://$BUCKET/tree/" --recursive)" ]
}
s_presigned_get() {
  local url
  url=$(aws s3 presign "s3://$BUCKET/small.txt") && curl -fsS "$url" -o "$OUT/presigned.txt" &&
    same "$WORK/small.txt" "$OUT/presigned.txt"
}
s_delete() {
  aws s3 rm "s3://$BUCKET/small.txt" && ! aws s3api head-object --bucket "$BUCKET" --key small.txt
}

ABSENT_presigned_put="the AWS CLI presigns GET only"
run_steps
