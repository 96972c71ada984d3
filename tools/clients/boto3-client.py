"""boto3 (Debian's python3-boto3) with its defaults, but the endpoint. Prints the step protocol of lib.sh."""
import hashlib
import os
import sys
import traceback
import urllib.request

import boto3

endpoint, bucket, work, out = (os.environ[name] for name in ("ENDPOINT", "BUCKET", "WORK", "OUT"))
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


def sha(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def same(expected_path, data):
    if hashlib.sha256(data).hexdigest() != sha(expected_path):
        raise AssertionError(f"the bytes read back differ from {expected_path}")


def run_step(name, step):
    try:
        step()
        print(f"ok {name}", flush=True)
    except Exception as error:  # the step protocol reports every failure as a line
        traceback.print_exc(file=sys.stderr)
        print(f"not ok {name} {type(error).__name__}: {error}".replace("\n", " ")[:300], flush=True)


def get(key):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def upload_20mb():
    s3.upload_file(os.path.join(work, "big.bin"), bucket, "big.bin")  # multipart above 8 MiB
    same(os.path.join(work, "big.bin"), get("big.bin"))


def batch_delete():
    keys = ["tree/a.txt", "tree/b.txt"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in keys]})
    if len(answer.get("Deleted", [])) != 2 or s3.list_objects_v2(Bucket=bucket, Prefix="tree/")["KeyCount"]:
        raise AssertionError(f"not every key was deleted: {answer}")


def presigned_get():
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "small.txt"})
    same(os.path.join(work, "small.txt"), urllib.request.urlopen(url).read())


def presigned_put():
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "presigned.txt"})
    with open(os.path.join(work, "small.txt"), "rb") as handle:
        # urllib would add Content-Type: application/x-www-form-urlencoded, which the URL does not sign
        # (S3 refuses it too): send the empty Content-Type the URL was signed with.
        request = urllib.request.Request(url, data=handle.read(), method="PUT", headers={"Content-Type": ""})
        urllib.request.urlopen(request).read()
    same(os.path.join(work, "small.txt"), get("presigned.txt"))


def delete():
    s3.delete_object(Bucket=bucket, Key="small.txt")
    if s3.list_objects_v2(Bucket=bucket, Prefix="small.txt")["KeyCount"]:
        raise AssertionError("small.txt is still listed")


run_step("make-bucket", lambda: s3.create_bucket(Bucket=bucket))
run_step("put", lambda: s3.upload_file(os.path.join(work, "small.txt"), bucket, "small.txt"))
run_step("get", lambda: same(os.path.join(work, "small.txt"), get("small.txt")))
run_step("list", lambda: [obj["Key"] for obj in s3.list_objects_v2(Bucket=bucket)["Contents"]].index("small.txt"))
run_step("upload-20mb", upload_20mb)
print("absent sync-twice boto3 has no sync", flush=True)
run_step("copy", lambda: (s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "small.txt"}),
                          same(os.path.join(work, "small.txt"), get("copy.txt"))))
run_step("batch-delete", batch_delete)
run_step("presigned-get", presigned_get)
run_step("presigned-put", presigned_put)
run_step("delete", delete)
