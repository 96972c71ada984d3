"""A Python application's test with the simulator image as its bucket (Debian's python3-boto3).

The bucket has a mirror rule to an origin on the machine's loopback: a GET of a missing key is fetched
from the origin, stored, and then served from the bucket. Run by python-boto3.test.ts, which starts the
image through testcontainers and the origin, and passes MIRRORSPEC_ENDPOINT and MIRRORSPEC_ORIGIN.
"""

import json
import os
import unittest
import urllib.request

import boto3
from botocore.config import Config

ENDPOINT = os.environ["MIRRORSPEC_ENDPOINT"]
ORIGIN = os.environ["MIRRORSPEC_ORIGIN"]


def put_mirror_rules(bucket, rules):
    """The spec's neutral rule API: one JSON document per bucket (spec/mirror.openapi.yaml)."""
    request = urllib.request.Request(
        f"{ENDPOINT}/_mirrorspec/buckets/{bucket}/mirror",
        data=json.dumps({"rules": rules}).encode(),
        headers={"content-type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request) as response:
        return response.status


class MirrorBucketTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The image runs without access control here, so any keys sign; boto3 still signs with SigV4.
        cls.s3 = boto3.client(
            "s3",
            endpoint_url=ENDPOINT,
            region_name="us-east-1",
            aws_access_key_id="python-test",
            aws_secret_access_key="python-test-secret",
            config=Config(s3={"addressing_style": "path"}),
        )
        cls.s3.create_bucket(Bucket="py-site")
        status = put_mirror_rules("py-site", [{"id": "old-site", "origins": [f"{ORIGIN}/"]}])
        assert status == 200, f"PUT mirror rules answered {status}"

    def test_a_missing_key_is_fetched_from_the_origin_and_then_stored(self):
        first = self.s3.get_object(Bucket="py-site", Key="docs/readme.txt")
        self.assertEqual(first["Body"].read(), b"origin says /docs/readme.txt")
        listed = self.s3.list_objects_v2(Bucket="py-site")
        self.assertEqual([entry["Key"] for entry in listed.get("Contents", [])], ["docs/readme.txt"])
        head = self.s3.head_object(Bucket="py-site", Key="docs/readme.txt")
        self.assertEqual(head["ContentLength"], len(b"origin says /docs/readme.txt"))

    def test_an_object_put_by_the_application_is_served_without_the_origin(self):
        self.s3.put_object(Bucket="py-site", Key="own.txt", Body=b"mine")
        self.assertEqual(self.s3.get_object(Bucket="py-site", Key="own.txt")["Body"].read(), b"mine")


if __name__ == "__main__":
    unittest.main(verbosity=2)
