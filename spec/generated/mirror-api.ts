// Generated from spec/mirror.openapi.yaml by spec/codegen/generate.ts. Do not edit.

export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all buckets
         * @description Lists every bucket of the simulator in name order.
         */
        get: operations["ListBuckets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * List the objects of a bucket
         * @description Lists stored objects in ascending UTF-8 byte order of their keys. Only objects in the bucket are
         *     listed: keys that exist only at an origin are not. `list-type=2` names version 2; without
         *     `list-type` the same GET is ListObjects (version 1). `max-keys=0` answers no entries and is not
         *     truncated.
         */
        get: operations["ListObjectsV2"];
        /**
         * Create a bucket
         * @description Creates an empty bucket with no mirror configuration. An optional `CreateBucketConfiguration`
         *     body (sent by some SDKs to name a region) is accepted and ignored.
         */
        put: operations["CreateBucket"];
        /**
         * Store an object from an HTML form (browser-based upload)
         * @description S3's POST Object ([s3-post-object](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html)):
         *     a `multipart/form-data` body whose fields say what to store, the `file` field (the last one
         *     read) holding the bytes, which stream into the bucket. Fields: `key` (required; `${filename}`
         *     stands for the file's name), `acl` (`private`, `public-read`), `Content-Type`, `Cache-Control`,
         *     `Content-Disposition`, `Content-Encoding`, `Expires`, `x-amz-meta-*`, `x-amz-storage-class`
         *     (`STANDARD`), `success_action_status` (200, 201 with a `PostResponse` document, or 204, the
         *     default), `success_action_redirect` (303 to it, with `bucket`, `key` and `etag` in its query),
         *     `bucket`, and any `x-ignore-*`; any other field is 501 `NotImplemented` naming it.
         *
         *     With credentials, the form is signed: a base64 `policy` with `AWSAccessKeyId` and `signature`
         *     (HMAC-SHA1, Signature Version 2) or with `x-amz-algorithm` (`AWS4-HMAC-SHA256`),
         *     `x-amz-credential`, `x-amz-date` and `x-amz-signature` (Signature Version 4); an unsigned form
         *     is 403 `AccessDenied`. The policy is JSON with an `expiration` (required) and `conditions`:
         *     `{"field": "value"}` and `["eq", "$field", "value"]` (equal), `["starts-with", "$field",
         *     "prefix"]`, `["content-length-range", min, max]`; every field but `policy`, the signature's
         *     own and `x-ignore-*` must be matched by one. A policy that is not base64 JSON, lacks an
         *     `expiration` or has a condition of another kind is 400 `InvalidPolicyDocument`; a wrong
         *     signature 403 `SignatureDoesNotMatch`; an expired policy, a failed condition or a field no
         *     condition names 403 `AccessDenied` ("Invalid according to Policy: ..."). Nothing is stored
         *     when the request is refused, nor when the file is outside `content-length-range` (400
         *     `EntityTooLarge`, `EntityTooSmall`).
         */
        post: operations["PostObject"];
        /**
         * Delete an empty bucket
         * @description Deletes the bucket and its mirror configuration. A bucket that still holds objects cannot be
         *     deleted.
         */
        delete: operations["DeleteBucket"];
        options?: never;
        /**
         * Check that a bucket exists
         * @description Answers 200 if the bucket exists and 404 if not; neither answer has a body.
         */
        head: operations["HeadBucket"];
        patch?: never;
        trace?: never;
    };
    "/{bucket}/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        /**
         * Get an object, mirroring it from an origin on a miss
         * @description **Hit.** When the key exists in the bucket, the stored object is returned (200, or 206 for a
         *     satisfiable `Range`) and no origin sees a request.
         *
         *     **Miss.** When the key is missing, the bucket's rules are tried in order and the first rule
         *     whose condition holds is the only one used, even when its origins then fail. No matching rule
         *     means 404 `NoSuchKey`. Otherwise, by the rule's `mode`:
         *
         *     - `mirror`: the rule's origins are asked in order for the origin URL of the key (see
         *       `MirrorRule`). The first origin answering 200 ends the attempt: its bytes stream to the client
         *       with 200 and `x-mirrorspec-mirror: miss`, and, with `writeBack` on, the object is stored under
         *       the requested key with the origin's `Content-Type`, `Content-Encoding`,
         *       `Content-Disposition`, `Cache-Control` and `Expires` and no other origin header
         *       ([jd-guide](https://docs.jdcloud.com/en/object-storage-service/manage-origin-retrieval-settings-2)).
         *       The object is stored only once the whole body has arrived intact. A failed origin (404
         *       included) passes the attempt to the next one. When no origin delivers, the client gets 404
         *       `NoSuchKey` if every origin answered 404, else 424 `MirrorFailed`; nothing is stored either
         *       way. With `followRedirects` off, an origin's 3xx is relayed to the client at once and ends the
         *       attempt.
         *     - `redirect-async`: 302 with `Location` set to the first origin's URL for the key (carrying the
         *       client's query string when `passQueryString` is on); the store copies the object from the
         *       origins in the background (see WaitForSettle).
         *     - `redirect`: the same 302; nothing is fetched or stored.
         *
         *     **Query string.** S3 query parameters such as `response-content-type` are outside this
         *     contract. On a miss, the client's query string reaches the origin only when the rule's
         *     `passQueryString` is on, verbatim and minus every `X-Amz-*` parameter (the signature
         *     parameters of presigned URLs).
         *
         *     **Range.** A `Range` header never reaches an origin. On a mirrored miss the whole object is
         *     fetched and stored; clients must accept a 200 with the whole body in answer to a ranged GET on a
         *     missing key. On profiles whose range on a miss is `range-and-copy` (COS,
         *     [cos-guide](https://www.tencentcloud.com/document/product/436/31508)), a single satisfiable
         *     range of an origin object with a Content-Length is answered 206 with that range while the whole
         *     object is copied in the background (see WaitForSettle).
         *
         *     Once stored, a mirrored object is an ordinary object: later GETs and HEADs are served from the
         *     bucket and changes at the origin are never seen; after a DeleteObject the next GET mirrors
         *     again.
         */
        get: operations["GetObject"];
        /**
         * Store an object
         * @description Stores the body bytes under the key, replacing any object already there. The request's
         *     `Content-Type` (default `application/octet-stream`), `Content-Encoding`, `Content-Disposition`,
         *     `Cache-Control`, `Expires` and every `x-amz-meta-*` header are stored with the object and
         *     returned by GetObject and HeadObject.
         */
        put: operations["PutObject"];
        post?: never;
        /**
         * Delete an object
         * @description Deletes the object; deleting a missing key also answers 204. Only the bucket is touched, never
         *     an origin, so under a mirror rule the next GET mirrors the origin's current content again.
         */
        delete: operations["DeleteObject"];
        options?: never;
        /**
         * Get an object's metadata
         * @description Returns the headers a GetObject of a stored object would return, without a body. In the
         *     neutral profile a HEAD never triggers mirroring: a HEAD on a missing key is 404 and no origin
         *     sees a request
         *     ([oss-overview](https://www.alibabacloud.com/help/en/oss/back-to-origin-rules-overview),
         *     [cos-guide](https://www.tencentcloud.com/document/product/436/31508)). Vendor profiles may let
         *     HEAD trigger, as OSS's `MirrorAllowHeadObject` and US3 do: the HEAD then fetches and stores the
         *     whole object and answers with its headers (see `MirrorRule.triggerOnHead`).
         */
        head: operations["HeadObject"];
        patch?: never;
        trace?: never;
    };
    "/{bucket}/{key}?uploads": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a multipart upload
         * @description Starts an upload whose parts are sent with UploadPart and assembled by CompleteMultipartUpload.
         *     The headers and `x-amz-meta-*` metadata PutObject stores are taken here. Nothing is visible under
         *     the key until Complete. `x-amz-checksum-algorithm` (`CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`,
         *     `SHA256`) makes every part carry that checksum; `x-amz-checksum-type` is `COMPOSITE` (the default,
         *     a checksum of the part checksums) or `FULL_OBJECT` (CRC types only; the only type of CRC64NVME)
         *     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
         */
        post: operations["CreateMultipartUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}/{key}?uploadId": {
        parameters: {
            query: {
                /** @description The id CreateMultipartUpload returned. */
                uploadId: components["parameters"]["UploadId"];
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        /**
         * List the parts uploaded so far
         * @description Parts in part-number order after `part-number-marker`, at most `max-parts` (default and cap 1000).
         */
        get: operations["ListParts"];
        /**
         * Upload one part
         * @description Stores the body as part `partNumber` (1 to 10000) of the upload, replacing a part of that number
         *     sent before. The body is checked as PutObject checks it (Content-MD5, `x-amz-checksum-*`,
         *     aws-chunked). 404 `NoSuchUpload` for an unknown, completed or aborted upload.
         *     `x-amz-copy-source` (UploadPartCopy) is 501 `NotImplemented`.
         */
        put: operations["UploadPart"];
        /**
         * Assemble the object from its parts
         * @description The listed parts, in strictly ascending part-number order (400 `InvalidPartOrder`), each with
         *     the ETag (and, for a composite checksum, the checksum) UploadPart returned (400 `InvalidPart`),
         *     every part but the last at least 5 MiB (400 `EntityTooSmall`), become the object at once: no
         *     GET or listing sees part of it. Its ETag is the hex MD5 of the parts' binary MD5s followed by
         *     `-` and the part count. The upload is gone afterwards. A Complete wins over a mirror fetch of
         *     the key in flight, as a PUT does.
         */
        post: operations["CompleteMultipartUpload"];
        /**
         * Abort an upload
         * @description Discards the upload and its parts; no object is stored.
         */
        delete: operations["AbortMultipartUpload"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?uploads": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * List the uploads in progress
         * @description Uploads in key order (UTF-8 bytes), then in the order they were started, after `key-marker`
         *     (and, for that key, after `upload-id-marker`), at most `max-uploads` (default and cap 1000);
         *     `prefix`, `delimiter` (keys grouped into CommonPrefixes) and `encoding-type=url` as in
         *     ListObjectsV2.
         */
        get: operations["ListMultipartUploads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?marker": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * List the objects of a bucket (version 1)
         * @description ListObjects version 1 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html): a
         *     GET of the bucket without `list-type`, `marker` optional. The keys and common prefixes of
         *     ListObjectsV2, after `marker` (a key or a common prefix given before: it is not listed again);
         *     every `Contents` entry carries its `Owner`. `NextMarker` is sent only with a delimiter, when the
         *     page is truncated; without one a client starts the next page after the last key it was given.
         */
        get: operations["ListObjects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?versions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * List the versions of a bucket's objects
         * @description The simulator keeps no versions: each stored object is listed once, as version `null` and the
         *     latest (`IsLatest`), in ascending UTF-8 byte order of its key, as S3 lists a bucket that never
         *     had versioning. `prefix`, `delimiter` (CommonPrefixes) and `encoding-type=url` as in
         *     ListObjectsV2; at most `max-keys` (default and cap 1000) versions and prefixes after
         *     `key-marker`, the `NextKeyMarker` of the previous page. `version-id-marker` may only be `null`.
         */
        get: operations["ListObjectVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete up to 1000 objects at once
         * @description Deletes each listed key as DeleteObject does, in order; a key the bucket does not hold counts as
         *     deleted (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html). The body's
         *     `Content-MD5` or one `x-amz-checksum-*` header is required and verified (400 `InvalidRequest`
         *     without, `BadDigest` when it does not match). More than 1000 objects, none, or XML that is not a
         *     `Delete` is 400 `MalformedXML`. The bucket keeps no versions: `VersionId` `null` (the version
         *     ListObjectVersions names) deletes the object, any other is 501 `NotImplemented`; as no object is
         *     under retention, `x-amz-bypass-governance-retention` changes nothing. Nothing is deleted when the
         *     request is refused. With `<Quiet>true</Quiet>` the answer lists only the keys that failed.
         */
        post: operations["DeleteObjects"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?location": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * The region of a bucket
         * @description Every bucket is in one region, answered as S3 answers us-east-1: an empty `LocationConstraint`
         *     (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
         */
        get: operations["GetBucketLocation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?acl": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * The ACL of a bucket
         * @description The owner's `FULL_CONTROL`, and `READ` for the AllUsers group when the bucket is public-read
         *     (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html).
         */
        get: operations["GetBucketAcl"];
        /**
         * Make a bucket private or public-read
         * @description The canned ACL of `x-amz-acl` (`private` or `public-read`; another is 501 `NotImplemented`), or
         *     an `AccessControlPolicy` body with the owner's `FULL_CONTROL` and, for public-read, the AllUsers
         *     group's `READ` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html). Grants
         *     to other users or of other permissions are 501 `NotImplemented`; nothing changes when refused.
         */
        put: operations["PutBucketAcl"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?policy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * Read the bucket's policy
         * @description The policy document as it was stored; 404 `NoSuchBucketPolicy` when the bucket has none.
         */
        get: operations["GetBucketPolicy"];
        /**
         * Set the bucket's policy
         * @description A bucket policy ([s3-bucket-policies](https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html)),
         *     the subset the simulator evaluates: `Version` 2012-10-17 or 2008-10-17, and `Statement`s of
         *     `Effect` (`Allow`, `Deny`), `Principal` (`"*"`, or `{"AWS": ...}` naming users by access key
         *     id or by an IAM ARN ending in it), `Action` (`*`, `s3:*`, `s3:GetObject`, `s3:PutObject`,
         *     `s3:DeleteObject`, `s3:ListBucket`, ... with `*` wildcards) and `Resource`
         *     (`arn:aws:s3:::{bucket}` or `arn:aws:s3:::{bucket}/{key pattern}`). With credentials, a
         *     matching Deny refuses a request (403 `AccessDenied`), the owner's too, and a matching Allow
         *     lets another user or an anonymous caller do what its ACLs alone would not. `Condition`,
         *     `NotPrincipal`, `NotAction`, `NotResource` and other principals are 501 `NotImplemented`;
         *     a document that is not a policy is 400 `MalformedPolicy`; neither changes the stored policy.
         *     The simulator's own APIs, CreateBucket, DeleteObjects and the policy calls stay the owner's.
         */
        put: operations["PutBucketPolicy"];
        post?: never;
        /**
         * Delete the bucket's policy
         * @description Deletes the policy, if any; 204 either way.
         */
        delete: operations["DeleteBucketPolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}?lifecycle": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * Read the bucket's lifecycle rules
         * @description The rules stored, as a `LifecycleConfiguration`; 404 `NoSuchLifecycleConfiguration` when none.
         */
        get: operations["GetBucketLifecycleConfiguration"];
        /**
         * Set the bucket's lifecycle rules
         * @description Rules that abort incomplete multipart uploads
         *     ([s3-lifecycle](https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html)):
         *     each `Rule` has an `ID`, a `Prefix` (or a `Filter` holding one), a `Status` (`Enabled`,
         *     `Disabled`) and an `AbortIncompleteMultipartUpload` with `DaysAfterInitiation`. An upload
         *     under an enabled rule's prefix is aborted once that many days have passed since it was
         *     initiated, rounded up to the next midnight UTC as S3 counts them: at the latest when a
         *     multipart call on the bucket next looks. Any other action or filter (`Expiration`,
         *     `Transition`, the noncurrent-version actions, tags, object sizes) is 501 `NotImplemented`; a
         *     document that is not a configuration 400 `MalformedXML` (or `InvalidArgument`,
         *     `InvalidRequest` as S3 answers); neither changes the rules stored. The rules replace the old
         *     ones whole.
         */
        put: operations["PutBucketLifecycleConfiguration"];
        post?: never;
        /**
         * Delete the bucket's lifecycle rules
         * @description Deletes the rules, if any; 204 either way.
         */
        delete: operations["DeleteBucketLifecycle"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/{bucket}/{key}?acl": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        /**
         * The ACL of an object
         * @description The owner's `FULL_CONTROL`, and `READ` for the AllUsers group when the object was written
         *     public-read (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html).
         */
        get: operations["GetObjectAcl"];
        /**
         * Confirm an object's ACL
         * @description An object's ACL is the one it was written with (`x-amz-acl` on PutObject, CopyObject or
         *     CreateMultipartUpload): asking for that ACL again, canned or as an `AccessControlPolicy` body,
         *     answers 200 and changes nothing; asking for another is 501 `NotImplemented` (write the object
         *     again instead) (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html).
         */
        put: operations["PutObjectAcl"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_mirrorspec/buckets/{bucket}/mirror": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * Read a bucket's mirror configuration
         * @description Returns the configuration in force, with every default filled in, so a reader sees exactly what the bucket will do.
         */
        get: operations["GetBucketMirror"];
        /**
         * Replace a bucket's mirror configuration
         * @description Replaces the whole configuration: every previously stored rule is dropped, nothing is merged
         *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
         *     [bos-api](https://cloud.baidu.com/doc/BOS/s/ylh9xzyux)). The document is validated against
         *     `MirrorConfiguration` plus the checks its description lists; a rejected PUT changes nothing
         *     and the previous configuration stays in force.
         */
        put: operations["PutBucketMirror"];
        post?: never;
        /**
         * Delete a bucket's mirror configuration
         * @description Removes every rule; later misses are plain 404s. Deleting a configuration that does not exist
         *     also answers 204.
         */
        delete: operations["DeleteBucketMirror"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_mirrorspec/buckets/{bucket}/prepush": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        /**
         * List a bucket's pre-push jobs
         * @description Every job of the bucket since the simulator started or was reset, oldest first.
         */
        get: operations["ListPrepushJobs"];
        put?: never;
        /**
         * Start a pre-push job from a list or an uploaded template
         * @description Starts a background job that pulls every listed object from the origin into the bucket. Each
         *     entry obeys the same rule matching, origin order, header and size rules as a GET miss; an entry
         *     that is an absolute origin URL is fetched from that URL. At most 100,000 entries per job, as KS3
         *     documents (seed 000_30e948614a016386.txt): a longer list is refused whole and nothing starts.
         *
         *     The template (`text/plain` or `text/csv`) is read as a stream, never whole in memory. It is
         *     UTF-8, one entry per line, in one of these forms:
         *
         *     - an object key, e.g. `img/logo.png`, fetched through the bucket's mirror rules;
         *     - an absolute `http://` or `https://` origin URL, stored under its decoded path without the
         *       leading `/` and without the query (as Qiniu stores a source URL);
         *     - CSV `source,destination-key` (RFC 4180 quoting), where source is a key or an origin URL.
         *
         *     Blank lines and lines whose first non-blank character is `#` are ignored. A line that fits none
         *     of these forms is an `invalid` entry; it never stops the job.
         *
         *     A JSON body (`application/json`, at most 8 MiB) lists entries instead of a template.
         */
        post: operations["CreatePrepushJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_mirrorspec/buckets/{bucket}/prepush/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /** @description The job id CreatePrepushJob returned. */
                jobId: string;
            };
            cookie?: never;
        };
        /**
         * Read a pre-push job's state and counters
         * @description The job as it is now; counters grow while it runs.
         */
        get: operations["GetPrepushJob"];
        put?: never;
        post?: never;
        /**
         * Cancel a pre-push job
         * @description Stops starting entries, abandons the fetches in flight (nothing partial is stored), and writes
         *     the result file with every line not yet done marked `cancelled`. Cancelling a finished job
         *     changes nothing.
         */
        delete: operations["CancelPrepushJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_mirrorspec/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check that the simulator is up
         * @description Answers as soon as the simulator accepts requests.
         */
        get: operations["GetHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_mirrorspec/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Forget everything
         * @description Deletes every bucket, object and mirror configuration and cancels all background work
         *     (background copies, write-backs still draining), so that each test can start from nothing.
         */
        post: operations["ResetSimulator"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_mirrorspec/settle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Wait until no background work is pending
         * @description Waits until no background work is pending (background copies of `redirect-async` rules,
         *     write-backs still draining after the client's response ended), or until `timeoutMs` has
         *     passed, whichever comes first. Work started while waiting is waited for too.
         */
        post: operations["WaitForSettle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description The mirror configuration of one bucket. Besides this schema, PutBucketMirror rejects with 400
         *     `InvalidMirrorConfiguration`:
         *
         *     - two rules with the same `id`;
         *     - an origin URL that is not absolute `http://` or `https://`, or carries userinfo, a query or a
         *       fragment, or whose host has more than 256 or whose path more than 1024 characters
         *       ([ks3-go-test](https://github.com/ks3sdklib/aws-sdk-go/blob/HEAD/test/bucketsample_test.go));
         *     - a header name in `headers.set` that never reaches an origin (see `HeaderPolicy`);
         *     - an origin that is the bucket itself at the endpoint being configured (path-style, or
         *       virtual-hosted as `bucket.<domain>`), or another bucket there whose origins lead back to it
         *       ([obs-java](https://support.huaweicloud.com/intl/tr-tr/sdk-java-devg-obs/obs_21_4512.html)).
         *
         *     What the vendor profile adds: more rules than its limit; on US3, two rules with the same
         *     `condition.keyPrefix` (a rule without one has the empty prefix) and any `https://` origin (seed
         *     002, [us3-guide](https://ucloud-global.com/en/docs/ufile/guide/mirror)); on OBS, two rules whose
         *     prefixes are equal or one of which starts with the other
         *     ([obs-api](https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0119.html)). Every error
         *     message names the rules involved.
         */
        MirrorConfiguration: {
            /**
             * @description The rules, tried in order; the first whose condition holds is the only one used. At most 20,
             *     the neutral profile's limit after OSS
             *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite));
             *     vendor profiles may allow fewer (US3 and JD Cloud allow 5, OBS 10). An empty list is valid
             *     and matches nothing.
             */
            rules: components["schemas"]["MirrorRule"][];
        };
        /**
         * @description One rule. **Origin URL of a key**: the origin base as configured, its path kept, exactly one `/`
         *     between it and the key, then the key (after `keyRewrite`) percent-encoded per RFC 3986 segment
         *     by segment with the slashes kept; so base `https://o.test/dir1` or `https://o.test/dir1/` and key
         *     `a/b c.jpg` give `https://o.test/dir1/a/b%20c.jpg`
         *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
         *     [oss-guide-ja](https://alibabacloud.com/help/ja/oss/user-guide/mirroring-based-back-to-origin)).
         *     The object is always stored under the requested key.
         */
        MirrorRule: {
            /**
             * @description Names the rule in errors and reports. Unique within the configuration (checked by
             *     PutBucketMirror, not expressible in the schema). Same alphabet and length as OBS rule ids
             *     ([obs-api](https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0119.html)).
             */
            id: string;
            condition?: components["schemas"]["MirrorCondition"];
            /**
             * @description `mirror`: fetch from the origin, answer the client and write the object back. `redirect-async`:
             *     answer 302 to the origin URL and copy the object in the background, as KS3 and CDNetworks do
             *     ([ks3-async-en](https://endocs.ksyun.com/documents/27947),
             *     [cdn-mirror](https://documents.cdnetworks.com/document/object-storage/mirroring-storage)).
             *     `redirect`: answer 302 only.
             * @default mirror
             * @enum {string}
             */
            mode?: "mirror" | "redirect-async" | "redirect";
            /**
             * @description Origin bases: absolute `http://` or `https://` URLs without userinfo, query or fragment. Tried
             *     in order; the first success ends the attempt and later origins see nothing
             *     ([ks3-async-en](https://endocs.ksyun.com/documents/27947)). Any failure, 404 included, moves
             *     on to the next origin; the miss is 404 only when every origin answered 404, else 424. On
             *     profiles whose failover is `5xx-or-timeout` (OSS `MirrorSwitchAllErrors=false`
             *     [oss-php2](https://github.com/yangzong18/alibabacloud-oss-php-sdk-v2/blob/HEAD/src/Models/RoutingRuleRedirect.php),
             *     COS standby origins [cos-put](https://tencentcloud.com/document/api/436/52813)) only a 5xx, a
             *     timeout or a connection failure moves on; any other answer ends the attempt (404 as
             *     `NoSuchKey`, the rest as 424).
             */
            origins: string[];
            keyRewrite?: components["schemas"]["KeyRewrite"];
            /**
             * @description Send the client's query string to the origin verbatim, minus every `X-Amz-*` parameter. Off by
             *     default, as at OSS, JD Cloud and OBS
             *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
             *     [obs-zhishi](https://huaweicloud.com/zhishi/apiedoc-setbucketmirrorbacktosource.html)).
             *     Dropping `X-Amz-*` is our choice: no vendor documents it.
             * @default false
             */
            passQueryString?: boolean;
            /**
             * @description On: follow an origin's 3xx `Location` up to 10 hops; an 11th hop is 424 `MirrorFailed`. Off:
             *     relay the origin's 3xx and `Location` to the client and store nothing
             *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite)).
             * @default true
             */
            followRedirects?: boolean;
            headers?: components["schemas"]["HeaderPolicy"];
            /**
             * @description Store the fetched object in the bucket. Off makes the rule a pure proxy.
             * @default true
             */
            writeBack?: boolean;
            /**
             * @description When the origin sends `Content-MD5`, compare it with the bytes received and store nothing
             *     on a mismatch (424, or a cut connection once bytes were sent); without `Content-MD5` there
             *     is nothing to check. As OSS `MirrorCheckMd5`
             *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite)).
             * @default false
             */
            checkMd5?: boolean;
            /**
             * @description The canned ACL given to objects this rule stores, as KS3's `saving_setting.acl`
             *     ([ks3-go-model](https://github.com/ks3sdklib/aws-sdk-go/blob/HEAD/service/s3/mirror.go)).
             * @default private
             * @enum {string}
             */
            acl?: "private" | "public-read" | "public-read-write";
            /**
             * @description Let a HEAD on a missing key this rule matches fetch and store the object (`mirror` rules
             *     only), then answer with the stored object's headers; the fetch shares one origin request
             *     with concurrent GETs. It has an effect only on profiles whose HEAD trigger is opt-in, as
             *     OSS's `MirrorAllowHeadObject`
             *     ([oss-php2](https://github.com/yangzong18/alibabacloud-oss-php-sdk-v2/blob/HEAD/src/Models/RoutingRuleRedirect.php),
             *     [oss-tf](https://github.com/aliyun/terraform-provider-alicloud/blob/HEAD/website/docs/r/oss_bucket_website.html.markdown))
             *     and OBS's `mirrorAllowHttpMethod` with `HEAD`
             *     ([obs-api-zh](https://support.huaweicloud.com/api-obs/obs_04_0119.html)). Where HEAD never
             *     triggers (the neutral profile) it is ignored; where every HEAD triggers (US3,
             *     [us3-guide](https://ucloud-global.com/en/docs/ufile/guide/mirror)) it is not needed.
             * @default false
             */
            triggerOnHead?: boolean;
            /**
             * @description Which origin answers move on to the rule's next origin, replacing the profile's default policy
             *     for this rule: `5XX` and `4XX` name a class, a number an exact status. A connection failure or
             *     a timeout always moves on; an answer not listed ends the attempt (404 as `NoSuchKey`, the rest
             *     as 424 `MirrorFailed`). A class covers every status of the class but 404, which moves on only
             *     when listed by number, because a 404 says the object is missing, not that the origin failed.
             *     The shapes of OBS `retryConditions`
             *     ([obs-zhishi](https://huaweicloud.com/zhishi/apiedoc-setbucketmirrorbacktosource.html)), COS
             *     `HTTPStandbyCode` ([cos-put](https://tencentcloud.com/document/api/436/52813)) and OSS
             *     `MirrorSwitchAllErrors` (`true` is `[4XX, 5XX]`, `false` is `[5XX]`,
             *     [oss-php2](https://github.com/yangzong18/alibabacloud-oss-php-sdk-v2/blob/HEAD/src/Models/RoutingRuleRedirect.php)).
             *     A class and a number of the same class may not both be listed, as at OBS.
             */
            failoverOn?: string[];
            /**
             * @description The status of the answer a `redirect` or `redirect-async` rule gives, as OSS and COS
             *     `HttpRedirectCode` ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
             *     [cos-get](https://tencentcloud.com/document/api/436/52814)). Ignored by `mirror` rules.
             * @default 302
             * @enum {integer}
             */
            redirectStatus?: 301 | 302 | 307;
        };
        /**
         * @description Which missing keys the rule applies to; both tests must hold when both are given. An absent
         *     condition, or an empty one, matches every key.
         */
        MirrorCondition: {
            /** @description The key starts with this string (compared byte for byte; `*` and `?` are literal). */
            keyPrefix?: string;
            /** @description The key ends with this string. */
            keySuffix?: string;
            /**
             * @description The request carries each of these headers with exactly this value (names compare
             *     case-insensitively, values byte for byte), as OSS `IncludeHeader`
             *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite)).
             */
            headers?: {
                name: components["schemas"]["HeaderName"];
                equals: string;
            }[];
        };
        /**
         * @description Changes the key used in the origin URL, never the key the object is stored under
         *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
         *     [oss-go2](https://github.com/aliyun/alibabacloud-oss-go-sdk-v2/blob/HEAD/oss/api_op_bucket_website.go)).
         */
        KeyRewrite: {
            /**
             * @description Replaces the rule's `condition.keyPrefix` at the start of the key (`abc/x.txt` with prefix
             *     `abc/` and `def/` gives `def/x.txt`); prepended when the rule has no prefix. An empty
             *     string strips the prefix.
             */
            replacePrefixWith: string;
        } | {
            /**
             * @description Replaces the whole key; every `${key}` expands to the requested key (`prefix/${key}.suffix`
             *     with key `test` gives `prefix/test.suffix`).
             */
            replaceKeyWith: string;
        };
        /**
         * @description Which client request headers reach the origin. By default none does
         *     ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
         *     [jd-guide](https://docs.jdcloud.com/en/object-storage-service/manage-origin-retrieval-settings-2)).
         *     Names compare case-insensitively. Precedence, after KS3
         *     ([ks3-go-test](https://github.com/ks3sdklib/aws-sdk-go/blob/HEAD/test/bucketsample_test.go)):
         *     `set` wins over `remove`, which wins over `passAll` and `pass`; a `set` header is sent with its
         *     configured value even when the client sent the same header.
         *
         *     Never sent to an origin, whatever the policy: `Authorization`, `Proxy-Authorization`, `Range`,
         *     `Date`, `Content-Length`, `Host` (the origin request carries the origin's own host), `Connection`
         *     and the other hop-by-hop headers (`Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`,
         *     `Transfer-Encoding`, `Upgrade`), `Expect`, `Cookie` unless it is named in `pass` (`passAll`
         *     alone does not send it), every header starting with `x-amz-`, and every header under a vendor's
         *     own prefixes, which each vendor's record lists (`spec/vendors/<id>/vendor.ts`; OSS's are
         *     [oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
         *     [oss-console-old](https://www.alibabacloud.com/help/doc-detail/31906.htm)). Forwarding the
         *     bucket's `Host` under pass-all, as JD Cloud does, is deliberately not reproduced. None of these
         *     names, `Cookie` included, may appear in `set` (400 `InvalidMirrorConfiguration`), but for the
         *     prefixes of a vendor whose rules may set them (COS's own example sets `x-cos-*` headers).
         *
         *     Lists hold at most 10 names each, as at OSS.
         */
        HeaderPolicy: {
            /**
             * @description Send every client header except the ones above and the ones in `remove`.
             * @default false
             */
            passAll?: boolean;
            /** @description Send these client headers when the client sent them. */
            pass?: components["schemas"]["HeaderName"][];
            /** @description Never send these client headers (useful with `passAll`). */
            remove?: components["schemas"]["HeaderName"][];
            /** @description Always send these headers with these values, replacing the client's value if any. */
            set?: {
                name: components["schemas"]["HeaderName"];
                value: components["schemas"]["HeaderValue"];
            }[];
        };
        /** @description An HTTP field name (RFC 9110 token), at most 1024 bytes. */
        HeaderName: string;
        /** @description An HTTP field value of at most 1024 bytes, without CR, LF or NUL. */
        HeaderValue: string;
        /**
         * @description The error body of every failed request (except HEAD, which has no body). For example:
         *
         *     ```xml
         *     <?xml version="1.0" encoding="UTF-8"?>
         *     <Error>
         *       <Code>MirrorFailed</Code>
         *       <Message>Origin https://origin.test/static/img/logo.png answered 503.</Message>
         *       <Resource>/images/img/logo.png</Resource>
         *       <RequestId>4442587FB7D0A2F9</RequestId>
         *       <BucketName>images</BucketName>
         *       <Key>img/logo.png</Key>
         *     </Error>
         *     ```
         */
        S3Error: {
            Code: components["schemas"]["ErrorCode"];
            /** @description What went wrong, for a person. */
            Message: string;
            /** @description The request path. */
            Resource?: string;
            /** @description The id of the request, also sent as `x-amz-request-id`. */
            RequestId: string;
            /** @description The bucket, when the request names one. */
            BucketName?: string;
            /** @description The key, when the request names one. */
            Key?: string;
        };
        /**
         * @description The S3-style error codes, each with its one HTTP status:
         *
         *     | Code | Status |
         *     |---|---|
         *     | AccessDenied | 403 |
         *     | AuthorizationHeaderMalformed | 400 |
         *     | AuthorizationQueryParametersError | 400 |
         *     | BadDigest | 400 |
         *     | BucketAlreadyExists | 409 |
         *     | BucketAlreadyOwnedByYou | 409 |
         *     | BucketNotEmpty | 409 |
         *     | ConditionalRequestConflict | 409 |
         *     | EntityTooLarge | 400 |
         *     | EntityTooSmall | 400 |
         *     | IncompleteBody | 400 |
         *     | InsufficientStorage | 507 |
         *     | InternalError | 500 |
         *     | InvalidAccessKeyId | 403 |
         *     | InvalidArgument | 400 |
         *     | InvalidBucketName | 400 |
         *     | InvalidDigest | 400 |
         *     | InvalidMirrorConfiguration | 400 |
         *     | InvalidPart | 400 |
         *     | InvalidPartOrder | 400 |
         *     | InvalidPolicyDocument | 400 |
         *     | InvalidRange | 416 |
         *     | InvalidRequest | 400 |
         *     | KeyTooLongError | 400 |
         *     | MalformedJSON | 400 |
         *     | MalformedPolicy | 400 |
         *     | MalformedPOSTRequest | 400 |
         *     | MalformedXML | 400 |
         *     | MaxMessageLengthExceeded | 400 |
         *     | MaxPostPreDataLengthExceededError | 400 |
         *     | MethodNotAllowed | 405 |
         *     | MirrorFailed | 424 |
         *     | NoSuchBucket | 404 |
         *     | NoSuchBucketPolicy | 404 |
         *     | NoSuchKey | 404 |
         *     | NoSuchLifecycleConfiguration | 404 |
         *     | NoSuchMirrorConfiguration | 404 |
         *     | NoSuchPrepushJob | 404 |
         *     | NoSuchUpload | 404 |
         *     | NotImplemented | 501 |
         *     | PreconditionFailed | 412 |
         *     | SignatureDoesNotMatch | 403 |
         *     | TooManyPrepushEntries | 400 |
         *     | XAmzContentSHA256Mismatch | 400 |
         *
         *     `InsufficientStorage` with 507 (RFC 4918) is a write the simulator's in-memory store has no
         *     room for (`--max-memory`); S3 itself has no such code.
         *
         *     `MirrorFailed` with 424 is the OSS and JD Cloud code for a failed origin fetch
         *     ([oss-424](https://help.aliyun.com/en/oss/user-guide/http-status-code-424)).
         * @enum {string}
         */
        ErrorCode: "AccessDenied" | "AuthorizationHeaderMalformed" | "AuthorizationQueryParametersError" | "BadDigest" | "BucketAlreadyExists" | "BucketAlreadyOwnedByYou" | "BucketNotEmpty" | "ConditionalRequestConflict" | "EntityTooLarge" | "EntityTooSmall" | "IncompleteBody" | "InsufficientStorage" | "InternalError" | "InvalidAccessKeyId" | "InvalidArgument" | "InvalidBucketName" | "InvalidDigest" | "InvalidMirrorConfiguration" | "InvalidPart" | "InvalidPartOrder" | "InvalidPolicyDocument" | "InvalidRange" | "InvalidRequest" | "KeyTooLongError" | "MalformedJSON" | "MalformedPolicy" | "MalformedPOSTRequest" | "MalformedXML" | "MaxMessageLengthExceeded" | "MaxPostPreDataLengthExceededError" | "MethodNotAllowed" | "MirrorFailed" | "NoSuchBucket" | "NoSuchBucketPolicy" | "NoSuchKey" | "NoSuchLifecycleConfiguration" | "NoSuchMirrorConfiguration" | "NoSuchPrepushJob" | "NoSuchUpload" | "NotImplemented" | "PreconditionFailed" | "SignatureDoesNotMatch" | "TooManyPrepushEntries" | "XAmzContentSHA256Mismatch";
        /**
         * @description What a pre-push does with a key the bucket already holds.
         * @default skip-existing
         * @enum {string}
         */
        PrepushMode: "skip-existing" | "overwrite";
        /** @description A pre-push list as JSON; the query parameters win over these fields. */
        PrepushRequest: {
            entries: (string | {
                /** @description An object key or an absolute origin URL. */
                source: string;
                /** @description Where to store it; default as for a template line. */
                key?: string;
            })[];
            mode?: components["schemas"]["PrepushMode"];
            concurrency?: number;
        };
        /**
         * @description A pre-push job. When it ends, the result file `resultKey` is written into the bucket: CSV with
         *     the header `line,source,key,outcome,detail` and one row for every input line, exactly once
         *     (seed 000_30e948614a016386.txt: "the result of the pre push is saved in the file of 'file pre
         *     push result ***' in this space").
         *
         *     Outcomes in the result file: `stored` (fetched and stored), `origin-404` (every origin answered
         *     404), `failed` (the detail says why), `skipped-exists` (`skip-existing` and the key exists),
         *     `invalid` (the line fits no template form), `ignored` (a blank or `#` comment line),
         *     `cancelled` (the job was cancelled first).
         */
        PrepushJob: {
            id: string;
            bucket: string;
            mode: components["schemas"]["PrepushMode"];
            concurrency: number;
            /**
             * @description `succeeded` once every entry was handled, whatever each outcome was.
             * @enum {string}
             */
            state: "running" | "succeeded" | "cancelled" | "failed";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt: string | null;
            /** @description Input lines read, blank and comment lines included. */
            lines: number;
            counts: {
                /** @description Lines that are entries (not blank, not comments), invalid ones included. */
                entries: number;
                processed: number;
                stored: number;
                originNotFound: number;
                failed: number;
                skipped: number;
                invalid: number;
                cancelled: number;
            };
            /** @description The key of the result file, `file pre push result <id>.csv`. */
            resultKey: string;
        };
        Health: {
            /**
             * @description Always `ok` when the simulator answers.
             * @constant
             */
            status: "ok";
            /** @description The mirrorspec version. */
            version: string;
            /** @description The profile the simulator was started with (`neutral` or a vendor profile's name). */
            profile: string;
        };
        SettleResult: {
            /** @description True when no background work was pending before the timeout. */
            settled: boolean;
            /** @description Background tasks still pending when the call returned (0 when settled). */
            pending: number;
        };
        PostResponse: {
            Location: string;
            Bucket: string;
            Key: string;
            ETag: string;
        };
        /** @description Accepted for SDK compatibility and ignored. */
        CreateBucketConfiguration: {
            /** @description A region name; ignored. */
            LocationConstraint?: string;
        };
        InitiateMultipartUploadResult: {
            Bucket: string;
            Key: string;
            UploadId: string;
        };
        CompletedPart: {
            PartNumber: number;
            ETag: string;
            ChecksumCRC32?: string;
            ChecksumCRC32C?: string;
            ChecksumCRC64NVME?: string;
            ChecksumSHA1?: string;
            ChecksumSHA256?: string;
        };
        CompleteMultipartUpload: {
            Part: components["schemas"]["CompletedPart"][];
        };
        CompleteMultipartUploadResult: {
            Location: string;
            Bucket: string;
            Key: string;
            /** @description The quoted `<hex MD5 of the part MD5s>-<part count>`. */
            ETag: string;
            ChecksumCRC32?: string;
            ChecksumCRC32C?: string;
            ChecksumCRC64NVME?: string;
            ChecksumSHA1?: string;
            ChecksumSHA256?: string;
            /** @enum {string} */
            ChecksumType?: "COMPOSITE" | "FULL_OBJECT";
        };
        ListPartsResult: {
            Bucket: string;
            Key: string;
            UploadId: string;
            PartNumberMarker: number;
            NextPartNumberMarker?: number;
            MaxParts: number;
            IsTruncated: boolean;
            Part?: {
                PartNumber: number;
                /** Format: date-time */
                LastModified: string;
                ETag: string;
                Size: number;
            }[];
            Initiator?: components["schemas"]["Owner"];
            Owner?: components["schemas"]["Owner"];
            StorageClass?: string;
            ChecksumAlgorithm?: string;
            /** @enum {string} */
            ChecksumType?: "COMPOSITE" | "FULL_OBJECT";
        };
        ListMultipartUploadsResult: {
            Bucket: string;
            KeyMarker: string;
            UploadIdMarker: string;
            NextKeyMarker?: string;
            NextUploadIdMarker?: string;
            Delimiter?: string;
            Prefix?: string;
            MaxUploads: number;
            IsTruncated: boolean;
            /** @enum {string} */
            EncodingType?: "url";
            Upload?: {
                Key: string;
                UploadId: string;
                Initiator?: components["schemas"]["Owner"];
                Owner?: components["schemas"]["Owner"];
                StorageClass?: string;
                /** Format: date-time */
                Initiated: string;
                ChecksumAlgorithm?: string;
            }[];
            CommonPrefixes?: components["schemas"]["CommonPrefix"][];
        };
        ListAllMyBucketsResult: {
            Owner: components["schemas"]["Owner"];
            Buckets: components["schemas"]["BucketSummary"][];
        };
        AccessControlPolicy: {
            Owner: components["schemas"]["Owner"];
            AccessControlList: components["schemas"]["Grant"][];
        };
        Grant: {
            /** @description The owner (CanonicalUser, by ID) or the AllUsers group (Group, by URI). */
            Grantee: {
                ID?: string;
                DisplayName?: string;
                URI?: string;
            };
            /** @enum {string} */
            Permission: "FULL_CONTROL" | "READ";
        };
        /** @description The single owner the simulator reports. */
        Owner: {
            ID: string;
            DisplayName: string;
        };
        BucketSummary: {
            Name: string;
            /** Format: date-time */
            CreationDate: string;
        };
        /**
         * @description One page of a listing. For example:
         *
         *     ```xml
         *     <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
         *       <Name>images</Name>
         *       <Prefix>img/</Prefix>
         *       <Delimiter>/</Delimiter>
         *       <MaxKeys>1000</MaxKeys>
         *       <KeyCount>2</KeyCount>
         *       <IsTruncated>false</IsTruncated>
         *       <Contents>
         *         <Key>img/logo.png</Key>
         *         <LastModified>2026-01-01T00:00:00.000Z</LastModified>
         *         <ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag>
         *         <Size>0</Size>
         *         <StorageClass>STANDARD</StorageClass>
         *       </Contents>
         *       <CommonPrefixes><Prefix>img/icons/</Prefix></CommonPrefixes>
         *     </ListBucketResult>
         *     ```
         */
        ListBucketResult: {
            /** @description The bucket. */
            Name: string;
            Prefix?: string;
            Delimiter?: string;
            StartAfter?: string;
            ContinuationToken?: string;
            /** @description Present when `IsTruncated` is true; pass it as `continuation-token` for the next page. */
            NextContinuationToken?: string;
            MaxKeys: number;
            /** @description The number of `Contents` and `CommonPrefixes` entries in this page. */
            KeyCount: number;
            IsTruncated: boolean;
            /** @enum {string} */
            EncodingType?: "url";
            Contents?: components["schemas"]["ObjectSummary"][];
            CommonPrefixes?: components["schemas"]["CommonPrefix"][];
        };
        /** @description One page of a ListObjects (version 1) listing. */
        ListBucketResultV1: {
            Name: string;
            Prefix?: string;
            Marker: string;
            /** @description With a delimiter, when truncated; the last key or common prefix of this page. */
            NextMarker?: string;
            MaxKeys: number;
            Delimiter?: string;
            IsTruncated: boolean;
            /** @enum {string} */
            EncodingType?: "url";
            Contents?: components["schemas"]["ObjectSummary"][];
            CommonPrefixes?: components["schemas"]["CommonPrefix"][];
        };
        Delete: {
            Quiet?: boolean;
            Object: {
                Key: string;
            }[];
        };
        DeleteResult: {
            Deleted?: {
                Key: string;
            }[];
            Error?: {
                Key: string;
                Code: string;
                Message: string;
            }[];
        };
        /** @description Empty, as S3 answers for us-east-1. */
        LocationConstraint: string;
        ObjectSummary: {
            Key: string;
            /** @description In ListObjects (version 1) always, in ListObjectsV2 with `fetch-owner=true`. */
            Owner?: {
                ID?: string;
                DisplayName?: string;
            };
            /** Format: date-time */
            LastModified: string;
            /** @description Quoted, as in the ETag header. */
            ETag: string;
            Size: number;
            /**
             * @description Always `STANDARD`; mirrored objects too, as at JD Cloud and KS3
             *     ([jd-guide](https://docs.jdcloud.com/en/object-storage-service/manage-origin-retrieval-settings-2),
             *     [ks3-sync](https://docs.ksyun.com/documents/38524)).
             * @enum {string}
             */
            StorageClass: "STANDARD";
        };
        CommonPrefix: {
            Prefix: string;
        };
    };
    responses: {
        /** @description Any other client error; the S3 error body's `Code` says which. */
        ClientError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
        /** @description `NoSuchBucket`: the bucket does not exist. */
        BucketNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
        /** @description The bucket or key does not exist. A HEAD response has no body. */
        HeadNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content?: never;
        };
        /**
         * @description `NoSuchKey`: the key is missing and no rule matched, or every origin of the matching rule
         *     answered 404 ([oss-overview](https://www.alibabacloud.com/help/en/oss/back-to-origin-rules-overview),
         *     [jd-guide](https://docs.jdcloud.com/en/object-storage-service/manage-origin-retrieval-settings-2));
         *     nothing is stored. `NoSuchBucket`: the bucket does not exist.
         */
        ObjectNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
        /** @description `NoSuchPrepushJob` or `NoSuchBucket`. */
        PrepushJobNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
        /** @description `NoSuchMirrorConfiguration`: the bucket has no mirror configuration. `NoSuchBucket`: the bucket does not exist. */
        MirrorConfigurationNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
        /** @description `NoSuchBucket`, or `NoSuchUpload`: the upload id is unknown, completed or aborted. */
        UploadNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
        /**
         * @description Two cases, nothing stored in either:
         *
         *     - Relayed: the matching `mirror` rule has `followRedirects: false` and the origin answered this
         *       3xx; the client gets the same status with the origin's `Location`
         *       ([oss-put](https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite),
         *       [jd-guide](https://docs.jdcloud.com/en/object-storage-service/manage-origin-retrieval-settings-2)).
         *     - 302 only: the matching rule's mode is `redirect` or `redirect-async`; `Location` is the first
         *       origin's URL for the key (a `redirect-async` rule also starts a background copy).
         */
        MirrorRedirect: {
            headers: {
                /** @description Where the client should go next. */
                Location?: string;
                "x-mirrorspec-mirror": components["headers"]["MirrorMarker"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /**
         * @description `MirrorFailed`: the matching `mirror` rule's origins were all tried, none delivered the object,
         *     and at least one failed other than with 404: a status other than 200, 404 or a followed 3xx, a
         *     refused connection, a timeout, a body shorter than its `Content-Length`, more than 10 redirect
         *     hops, or a `Content-Length` above the size cap. Nothing is stored. After OSS and JD Cloud
         *     ([oss-424](https://help.aliyun.com/en/oss/user-guide/http-status-code-424),
         *     [jd-guide](https://docs.jdcloud.com/en/object-storage-service/manage-origin-retrieval-settings-2)).
         */
        MirrorFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/xml": components["schemas"]["S3Error"];
            };
        };
    };
    parameters: {
        /**
         * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
         *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
         *     CreateBucket and 404 `NoSuchBucket` elsewhere.
         * @example images
         */
        Bucket: string;
        /**
         * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
         *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
         *     the path.
         * @example img/logo.png
         */
        Key: string;
        /** @description The id CreateMultipartUpload returned. */
        UploadId: string;
    };
    requestBodies: never;
    headers: {
        /** @description The stored object's entity tag, quoted (the hex MD5 of the bytes). */
        ETag: string;
        /**
         * @description The stored object's entity tag, quoted. May be absent on a response that came from an origin,
         *     because the body streams through before its digest is known.
         */
        ObjectETag: string;
        /**
         * @description When the object was written into the bucket (not the origin's Last-Modified). May be absent on
         *     a response that came from an origin.
         */
        LastModified: string;
        /** @description The body length in bytes; absent when the body is relayed chunked from an origin. */
        ContentLength: number;
        /** @description As stored (or as the origin sent it, on a mirrored miss). */
        ContentEncoding: string;
        /** @description As stored (or as the origin sent it, on a mirrored miss). */
        ContentDisposition: string;
        /** @description As stored (or as the origin sent it, on a mirrored miss). */
        CacheControl: string;
        /** @description As stored (or as the origin sent it, on a mirrored miss). */
        Expires: string;
        /**
         * @description `miss` when the response was produced from an origin's answer during this request (a mirrored
         *     200 or a relayed 3xx); absent when the bucket answered and on the 302 of `redirect` and
         *     `redirect-async` rules.
         */
        MirrorMarker: "miss";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    ListBuckets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The buckets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["ListAllMyBucketsResult"];
                };
            };
            "4XX": components["responses"]["ClientError"];
        };
    };
    ListObjectsV2: {
        parameters: {
            query: {
                /** @description Always `2` (ListObjectsV2). */
                "list-type": "2";
                /** @description List only keys that start with this prefix. */
                prefix?: string;
                /**
                 * @description Roll up keys that contain the delimiter after the prefix into `CommonPrefixes`, one entry per
                 *     distinct prefix up to and including the first delimiter.
                 */
                delimiter?: string;
                /** @description At most this many `Contents` and `CommonPrefixes` entries together. */
                "max-keys"?: number;
                /**
                 * @description The `NextContinuationToken` of the previous page. Opaque to clients; an empty or unknown
                 *     token is 400 `InvalidArgument`.
                 */
                "continuation-token"?: string;
                /** @description With `true`, each `Contents` entry carries its `Owner`. */
                "fetch-owner"?: "true" | "false";
                /** @description List only keys that sort after this key. Ignored when a continuation token is given. */
                "start-after"?: string;
                /**
                 * @description With `url`, `Key`, `Prefix`, `Delimiter`, `StartAfter` and each common prefix in the result
                 *     are URL-encoded, as S3 does (some SDKs always ask for it).
                 */
                "encoding-type"?: "url";
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the listing. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["ListBucketResult"];
                };
            };
            /** @description `InvalidArgument`: a query parameter is out of range (for example `max-keys=-1`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    CreateBucket: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The bucket's canned ACL. `private` (the default): only signed requests reach the bucket.
                 *     `public-read`: anyone may list the bucket (the AllUsers group's READ), and an anonymous GET
                 *     of a missing key mirrors; its objects stay as their own ACLs say. It matters only when the simulator has credentials (see the
                 *     `s3Signature` scheme), but is stored either way. `public-read-write` and
                 *     `authenticated-read` are 501 `NotImplemented`; any other value is 400 `InvalidArgument`.
                 */
                "x-amz-acl"?: "private" | "public-read";
            };
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/xml": components["schemas"]["CreateBucketConfiguration"];
            };
        };
        responses: {
            /**
             * @description The bucket was created. In us-east-1 (the simulator's default region), with the neutral
             *     profile, also the answer to re-creating a bucket of one's own: S3's legacy answer there,
             *     which sets the bucket's ACL to the one asked for (default `private`) and keeps its objects.
             */
            200: {
                headers: {
                    /** @description The bucket's path, `/{bucket}`. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `InvalidBucketName`: the name breaks the bucket naming rules. `InvalidArgument`:
             *     `x-amz-acl` is not a canned ACL.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            /**
             * @description `BucketAlreadyOwnedByYou`: the bucket already exists and is yours, in any region but
             *     us-east-1 or with a vendor profile. `BucketAlreadyExists`: another user holds the name.
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
        };
    };
    PostObject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    key: string;
                    /** @description The policy document, base64-encoded. */
                    policy?: string;
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description Stored, with `success_action_status` 200. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored, with `success_action_status` 201. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["PostResponse"];
                };
            };
            /** @description Stored (the default answer). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored, with `success_action_redirect`; `Location` is that URL. */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    DeleteBucket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
            /** @description `BucketNotEmpty`: the bucket still holds objects. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
        };
    };
    HeadBucket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket exists. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["HeadNotFound"];
        };
    };
    GetObject: {
        parameters: {
            query?: never;
            header?: {
                /** @description A single byte range (`bytes=first-last`, `bytes=first-` or `bytes=-suffix`). */
                Range?: string;
            };
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description The whole object, from the bucket or, on a miss under a `mirror` rule, from an origin
             *     (`x-mirrorspec-mirror: miss`). `Content-Type` is the stored or origin media type. When the
             *     origin answered chunked, the response is chunked too and has no `Content-Length`. If the
             *     origin fails after bytes were sent to the client, the connection is cut instead of
             *     completing the body, and nothing is stored.
             */
            200: {
                headers: {
                    "Content-Length": components["headers"]["ContentLength"];
                    "Content-Encoding": components["headers"]["ContentEncoding"];
                    "Content-Disposition": components["headers"]["ContentDisposition"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    Expires: components["headers"]["Expires"];
                    ETag: components["headers"]["ObjectETag"];
                    "Last-Modified": components["headers"]["LastModified"];
                    "x-mirrorspec-mirror": components["headers"]["MirrorMarker"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description The requested range of a stored object. */
            206: {
                headers: {
                    /** @description The range sent, `bytes first-last/size`. */
                    "Content-Range"?: string;
                    "Content-Length": components["headers"]["ContentLength"];
                    ETag: components["headers"]["ObjectETag"];
                    "Last-Modified": components["headers"]["LastModified"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            301: components["responses"]["MirrorRedirect"];
            302: components["responses"]["MirrorRedirect"];
            303: components["responses"]["MirrorRedirect"];
            307: components["responses"]["MirrorRedirect"];
            308: components["responses"]["MirrorRedirect"];
            /** @description `KeyTooLongError` (key above 1024 bytes) or `InvalidArgument`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            404: components["responses"]["ObjectNotFound"];
            /** @description `InvalidRange`: the range starts beyond the end of the stored object. */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            424: components["responses"]["MirrorFailed"];
        };
    };
    PutObject: {
        parameters: {
            query?: never;
            header?: {
                /** @description Stored and returned as sent. */
                "Content-Encoding"?: string;
                /** @description Stored and returned as sent. */
                "Content-Disposition"?: string;
                /** @description Stored and returned as sent. */
                "Cache-Control"?: string;
                /** @description Stored and returned as sent (an HTTP date). */
                Expires?: string;
            };
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        /** @description The object's bytes, any media type; an empty body stores a zero-byte object. */
        requestBody?: {
            content: {
                "*/*": string;
            };
        };
        responses: {
            /** @description The object was stored. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `KeyTooLongError` (key above 1024 bytes), `EntityTooLarge` (body above the size cap) or
             *     `InvalidArgument` (for example an unusable header value).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    DeleteObject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key is absent now. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    HeadObject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The object exists; its headers, no body. */
            200: {
                headers: {
                    "Content-Length": components["headers"]["ContentLength"];
                    "Content-Encoding": components["headers"]["ContentEncoding"];
                    "Content-Disposition": components["headers"]["ContentDisposition"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    Expires: components["headers"]["Expires"];
                    ETag: components["headers"]["ObjectETag"];
                    "Last-Modified": components["headers"]["LastModified"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["HeadNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    CreateMultipartUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload was started. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["InitiateMultipartUploadResult"];
                };
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    ListParts: {
        parameters: {
            query: {
                /** @description The id CreateMultipartUpload returned. */
                uploadId: components["parameters"]["UploadId"];
                "max-parts"?: number;
                "part-number-marker"?: number;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of parts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["ListPartsResult"];
                };
            };
            404: components["responses"]["UploadNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    UploadPart: {
        parameters: {
            query: {
                /** @description The id CreateMultipartUpload returned. */
                uploadId: components["parameters"]["UploadId"];
                partNumber: number;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "*/*": string;
            };
        };
        responses: {
            /** @description The part was stored; its ETag is the quoted hex MD5 of its bytes. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["UploadNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    CompleteMultipartUpload: {
        parameters: {
            query: {
                /** @description The id CreateMultipartUpload returned. */
                uploadId: components["parameters"]["UploadId"];
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/xml": components["schemas"]["CompleteMultipartUpload"];
            };
        };
        responses: {
            /** @description The object was stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["CompleteMultipartUploadResult"];
                };
            };
            404: components["responses"]["UploadNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    AbortMultipartUpload: {
        parameters: {
            query: {
                /** @description The id CreateMultipartUpload returned. */
                uploadId: components["parameters"]["UploadId"];
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload is gone. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["UploadNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    ListMultipartUploads: {
        parameters: {
            query?: {
                prefix?: string;
                delimiter?: string;
                "key-marker"?: string;
                "upload-id-marker"?: string;
                "max-uploads"?: number;
                "encoding-type"?: "url";
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of uploads. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["ListMultipartUploadsResult"];
                };
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    ListObjects: {
        parameters: {
            query?: {
                marker?: string;
                prefix?: string;
                delimiter?: string;
                "max-keys"?: number;
                /** @description With `url`, `Key`, `Prefix`, `Delimiter`, `Marker`, `NextMarker` and common prefixes are URL-encoded. */
                "encoding-type"?: "url";
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the listing. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["ListBucketResultV1"];
                };
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    ListObjectVersions: {
        parameters: {
            query?: {
                prefix?: string;
                delimiter?: string;
                "key-marker"?: string;
                "version-id-marker"?: "null";
                "max-keys"?: number;
                "encoding-type"?: "url";
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of versions (`ListVersionsResult`, as S3's). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    DeleteObjects: {
        parameters: {
            query: {
                delete: string;
            };
            header?: {
                "Content-MD5"?: string;
            };
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/xml": components["schemas"]["Delete"];
            };
        };
        responses: {
            /** @description What was deleted, and what could not be. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["DeleteResult"];
                };
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    GetBucketLocation: {
        parameters: {
            query: {
                location: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket's region. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["LocationConstraint"];
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    GetBucketAcl: {
        parameters: {
            query: {
                acl: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket's ACL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["AccessControlPolicy"];
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    PutBucketAcl: {
        parameters: {
            query: {
                acl: string;
            };
            header?: {
                "x-amz-acl"?: "private" | "public-read";
            };
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/xml": components["schemas"]["AccessControlPolicy"];
            };
        };
        responses: {
            /** @description The ACL was set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    GetBucketPolicy: {
        parameters: {
            query: {
                policy: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description `NoSuchBucket`, or `NoSuchBucketPolicy`: the bucket has no policy. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
        };
    };
    PutBucketPolicy: {
        parameters: {
            query: {
                policy: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The policy is stored. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `MalformedPolicy`: the document is not a policy. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            404: components["responses"]["BucketNotFound"];
            /** @description `NotImplemented`: the policy uses an element the simulator does not evaluate. */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
        };
    };
    DeleteBucketPolicy: {
        parameters: {
            query: {
                policy: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket has no policy now. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    GetBucketLifecycleConfiguration: {
        parameters: {
            query: {
                lifecycle: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            /** @description `NoSuchBucket`, or `NoSuchLifecycleConfiguration`: the bucket has no rules. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
        };
    };
    PutBucketLifecycleConfiguration: {
        parameters: {
            query: {
                lifecycle: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/xml": string;
            };
        };
        responses: {
            /** @description The rules are stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    DeleteBucketLifecycle: {
        parameters: {
            query: {
                lifecycle: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket has no lifecycle rules now. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    GetObjectAcl: {
        parameters: {
            query: {
                acl: string;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The object's ACL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["AccessControlPolicy"];
                };
            };
            404: components["responses"]["ObjectNotFound"];
        };
    };
    PutObjectAcl: {
        parameters: {
            query: {
                acl: string;
            };
            header?: {
                "x-amz-acl"?: "private" | "public-read";
            };
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /**
                 * @description The object key: 1 to 1024 bytes of UTF-8 (400 `KeyTooLongError` above). The key may contain `/`;
                 *     clients percent-encode each segment and keep the slashes, so this parameter spans the rest of
                 *     the path.
                 * @example img/logo.png
                 */
                key: components["parameters"]["Key"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/xml": components["schemas"]["AccessControlPolicy"];
            };
        };
        responses: {
            /** @description The object has the ACL asked for. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["ObjectNotFound"];
            "4XX": components["responses"]["ClientError"];
        };
    };
    GetBucketMirror: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stored mirror configuration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MirrorConfiguration"];
                };
            };
            404: components["responses"]["MirrorConfigurationNotFound"];
        };
    };
    PutBucketMirror: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MirrorConfiguration"];
            };
        };
        responses: {
            /** @description The configuration was stored; the body is the stored document as GetBucketMirror returns it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MirrorConfiguration"];
                };
            };
            /**
             * @description `MalformedJSON` (the body is not JSON), `InvalidMirrorConfiguration` (the JSON breaks the
             *     schema or a check listed under `MirrorConfiguration`; the message names the offending
             *     location) or `MaxMessageLengthExceeded` (the body is above 128 KiB).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    DeleteBucketMirror: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bucket has no mirror configuration now. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    ListPrepushJobs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The jobs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobs: components["schemas"]["PrepushJob"][];
                    };
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    CreatePrepushJob: {
        parameters: {
            query?: {
                /**
                 * @description `skip-existing` (default) leaves an existing object untouched; `overwrite` fetches it again
                 *     and replaces it, as the CDNetworks and Qiniu prefetch APIs do.
                 */
                mode?: components["schemas"]["PrepushMode"];
                /** @description Entries fetched at once, 1 to 64. */
                concurrency?: number;
            };
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example # keys through the mirror rules
                 *     img/logo.png
                 *     https://old-site.example/css/site.css
                 *     https://old-site.example/a.jpg?v=2,assets/a.jpg
                 */
                "text/plain": string;
                "text/csv": string;
                "application/json": components["schemas"]["PrepushRequest"];
            };
        };
        responses: {
            /** @description The job started; poll GetPrepushJob at the `Location`. */
            202: {
                headers: {
                    /** @description The job's URL. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrepushJob"];
                };
            };
            /**
             * @description `TooManyPrepushEntries` (more than 100,000 entries; nothing started), `InvalidArgument`
             *     (mode or concurrency), `MalformedJSON`, or `MaxMessageLengthExceeded` (a JSON body above
             *     8 MiB: upload a template instead).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
            404: components["responses"]["BucketNotFound"];
        };
    };
    GetPrepushJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /** @description The job id CreatePrepushJob returned. */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrepushJob"];
                };
            };
            404: components["responses"]["PrepushJobNotFound"];
        };
    };
    CancelPrepushJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and
                 *     ending with a letter or digit (S3 rules). A bad name is 400 `InvalidBucketName` on
                 *     CreateBucket and 404 `NoSuchBucket` elsewhere.
                 * @example images
                 */
                bucket: components["parameters"]["Bucket"];
                /** @description The job id CreatePrepushJob returned. */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job after cancelling. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrepushJob"];
                };
            };
            404: components["responses"]["PrepushJobNotFound"];
        };
    };
    GetHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The simulator is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "version": "0.1.0",
                     *       "profile": "neutral"
                     *     }
                     */
                    "application/json": components["schemas"]["Health"];
                };
            };
            "4XX": components["responses"]["ClientError"];
        };
    };
    ResetSimulator: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The simulator is empty. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": components["responses"]["ClientError"];
        };
    };
    WaitForSettle: {
        parameters: {
            query?: {
                /** @description How long to wait at most, in milliseconds. */
                timeoutMs?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether the simulator settled in time, and how much work is still pending. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "settled": true,
                     *       "pending": 0
                     *     }
                     */
                    "application/json": components["schemas"]["SettleResult"];
                };
            };
            /** @description `InvalidArgument`: `timeoutMs` is not an integer from 0 to 60000. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": components["schemas"]["S3Error"];
                };
            };
        };
    };
}
