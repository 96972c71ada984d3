// Which ceph/s3-tests functional tests the benchmark runs, and the feature each one counts under. The
// selection is the one behind the figures the S3 work was judged by (../shared/research/s3-tests.md):
// the areas a test double of object storage must get right, without versioning, object lock or
// encryption, which the simulator does not claim.

/** pytest's -k expression over test names. */
export const SELECTION =
  '(bucket_list or bucket_listv2 or object_write or object_read or object_head or object_delete or ' +
  'delete_object or ranged or get_object_if or put_object_if or object_copy or multipart or metadata or ' +
  'cache_control or expires or content_type or notexist or nonexist or naming or bucket_create or ' +
  'bucket_head or object_put or atomic or object_raw) and not (lock or versioning or versioned or ' +
  'versions or sse or encryption or kms)';

/** pytest's -m expression: tests the suite marks as failing on AWS itself say nothing of S3. */
export const MARKERS = 'not fails_on_aws';

/** The test file the selection is taken from. */
export const TEST_FILE = 's3tests/functional/test_s3.py';

/** Features in the order a test is matched against them: the first whose pattern matches names it. */
const FEATURES: readonly { name: string; pattern: RegExp }[] = [
  { name: 'raw / anonymous / presigned', pattern: /object_raw/ },
  { name: 'copy', pattern: /copy/ },
  { name: 'multipart', pattern: /multipart/ },
  { name: 'conditions', pattern: /_if_|if_match|if_none|modified_since|conditional/ },
  { name: 'ranges', pattern: /ranged|_range/ },
  { name: 'listing v2', pattern: /listv2/ },
  { name: 'listing v1', pattern: /bucket_list/ },
  { name: 'metadata', pattern: /metadata/ },
  { name: 'content headers', pattern: /cache_control|expires|content_type|content_encoding|response_/ },
  { name: 'naming', pattern: /naming|_name_|bad_/ },
  { name: 'buckets', pattern: /bucket_create|bucket_head|bucket_notexist|bucket_nonexist|bucket_delete/ },
  { name: 'object write / read / head / delete', pattern: /./ },
];

/** The feature a test counts under, by its function name (`test_object_copy_zero_size`). */
export function featureOf(test: string): string {
  const name = test.replace(/^test_/, '').replace(/\[.*\]$/, '');
  return FEATURES.find((feature) => feature.pattern.test(name))?.name ?? 'other';
}

/** Every feature, in the order the report prints them. */
export const FEATURE_ORDER: readonly string[] = [...FEATURES.map((feature) => feature.name)].reverse();
