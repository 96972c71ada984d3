// What each operation honours of S3's request vocabulary. A request header (x-amz-*) or an S3
// sub-resource or parameter the operation does not honour is refused with 501 NotImplemented naming it,
// never silently ignored: a client that asked for tagging, encryption or a version must not believe it
// got them. One table, checked by the compiler against the operations, so a new operation states its own.

import { vendorPresignedParameters } from '../../spec/vendors/index.ts';
import { RESPONSE_OVERRIDES } from '../../spec/vendors/vendor.ts';
import { S3Error } from '../errors/s3-error.ts';
import type { Operation } from './operation.ts';

/** A header or parameter honoured with any value (true), or only with the listed values. */
type Honoured = Readonly<Record<string, true | readonly string[]>>;

export interface Vocabulary {
  /** x-amz-* request headers beyond the signature's own; `x-amz-meta-` stands for every metadata header. */
  headers: Honoured;
  /** S3 query parameters and sub-resources (names S3 documents; others reach no S3 meaning). */
  query: Honoured;
}

/** The signature's own headers, and what every operation honours. */
const COMMON_HEADERS: Honoured = {
  'x-amz-date': true,
  'x-amz-content-sha256': true,
  'x-amz-security-token': true,
  'x-amz-user-agent': true,
};

/** SigV4 presigned-URL parameters, and the SDKs' routing tag `x-id` (it selects nothing server-side). */
const COMMON_QUERY: Honoured = {
  'x-amz-algorithm': true,
  'x-amz-credential': true,
  'x-amz-date': true,
  'x-amz-expires': true,
  'x-amz-signedheaders': true,
  'x-amz-signature': true,
  'x-amz-security-token': true,
  'x-amz-content-sha256': true,
  'x-id': true,
};

/**
 * Names S3 gives meaning to in a query, from its API reference: sub-resources and the parameters of the
 * object and bucket operations. A name outside this list is no S3 request: a GET forwards it to the origin.
 */
const S3_QUERY_NAMES = [
  ...['accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'id'],
  ...['intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle', 'location', 'logging'],
  ...['metadataTable', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy'],
  ...['policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention'],
  ...['select', 'select-type', 'session', 'tagging', 'torrent', 'uploads', 'uploadId', 'partNumber'],
  ...['versionId', 'versioning', 'versions', 'website', 'list-type', 'prefix', 'delimiter', 'marker'],
  ...['max-keys', 'encoding-type', 'continuation-token', 'fetch-owner', 'start-after', 'key-marker'],
  ...['version-id-marker', 'upload-id-marker', 'max-uploads', 'max-parts', 'part-number-marker'],
  ...['max-buckets', 'bucket-region', 'response-cache-control', 'response-content-disposition'],
  ...['response-content-encoding', 'response-content-language', 'response-content-type'],
  ...['response-expires'],
  // Newer sub-resources (metadata tables, annotations, ABAC, RenameObject): without them here a DELETE
  // of `?metadataConfiguration` would delete the bucket and a PUT of `?annotation` overwrite the object.
  ...['abac', 'annotation', 'metadataConfiguration', 'metadataAnnotationTable', 'metadataInventoryTable'],
  ...['metadataJournalTable', 'renameObject'],
];

const NONE: Vocabulary = { headers: {}, query: {} };

/**
 * No object is ever under retention here (object lock is refused at bucket creation and on writes), so a
 * delete that asks to bypass governance retention deletes exactly what it would without: honoured as is.
 */
const BYPASS_RETENTION: Honoured = { 'x-amz-bypass-governance-retention': true };
const NONE_BUT_UPLOAD: Vocabulary = { headers: {}, query: { uploadId: true } };

/** What receive-upload.ts verifies of a body: aws-chunked framing, one checksum, its trailer. */
const UPLOAD_BODY_HEADERS: Honoured = {
  'x-amz-decoded-content-length': true,
  'x-amz-trailer': true,
  'x-amz-sdk-checksum-algorithm': ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'],
  'x-amz-checksum-crc32': true,
  'x-amz-checksum-crc32c': true,
  'x-amz-checksum-sha1': true,
  'x-amz-checksum-sha256': true,
  'x-amz-checksum-crc64nvme': true,
};

/** The ACLs the simulator keeps: private, and public-read (anyone may read, unsigned). */
const CANNED_ACL: Honoured = { 'x-amz-acl': ['private', 'public-read'] };

const PUT_HEADERS: Honoured = {
  ...UPLOAD_BODY_HEADERS,
  'x-amz-meta-': true,
  // Objects are STANDARD, and private or public-read (anyone may read it unsigned); anything else is not.
  'x-amz-acl': ['private', 'public-read'],
  'x-amz-storage-class': ['STANDARD'],
};

const LIST_V1: Honoured = {
  prefix: true,
  delimiter: true,
  marker: true,
  'max-keys': true,
  'encoding-type': ['url'],
};

const LIST_V2: Honoured = {
  'list-type': ['2'],
  prefix: true,
  delimiter: true,
  'max-keys': true,
  'encoding-type': ['url'],
  'continuation-token': true,
  'start-after': true,
  'fetch-owner': ['true', 'false'],
};

/** GetObject's response-header overrides, each set on the answer as asked (get-object.ts). */
const RESPONSE_HEADER_OVERRIDES: Honoured = Object.fromEntries(
  RESPONSE_OVERRIDES.map((name) => [name, true]),
);

/** The copy source and its conditions, as CopyObject and UploadPartCopy honour them. */
const COPY_SOURCE_HEADERS: Honoured = {
  'x-amz-copy-source': true,
  'x-amz-copy-source-if-match': true,
  'x-amz-copy-source-if-none-match': true,
  'x-amz-copy-source-if-modified-since': true,
  'x-amz-copy-source-if-unmodified-since': true,
};

/**
 * Per operation; `CopyObject` is a PutObject with `x-amz-copy-source`, `UploadPartCopy` an UploadPart
 * with it. Admin and rule APIs are not S3's.
 */
const VOCABULARY: Readonly<
  Record<Operation['name'] | 'CopyObject' | 'UploadPartCopy', Vocabulary | 'not-s3'>
> = {
  ListBuckets: NONE,
  // createBucket itself refuses canned ACLs it lacks (501) and unknown ones (InvalidArgument).
  CreateBucket: { headers: { 'x-amz-acl': true }, query: {} },
  HeadBucket: NONE,
  DeleteBucket: NONE,
  ListObjects: { headers: {}, query: LIST_V1 },
  ListObjectsV2: { headers: {}, query: LIST_V2 },
  // The body's MD5 or checksum is verified (delete-objects.ts); S3 requires one of them.
  DeleteObjects: { headers: { ...UPLOAD_BODY_HEADERS, ...BYPASS_RETENTION }, query: { delete: true } },
  GetBucketLocation: { headers: {}, query: { location: true } },
  GetBucketAcl: { headers: {}, query: { acl: true } },
  // The body's MD5 or checksum, when sent, is verified (acl.ts).
  PutBucketAcl: {
    headers: { ...UPLOAD_BODY_HEADERS, 'x-amz-acl': ['private', 'public-read', 'public-read-write'] },
    query: { acl: true },
  },
  GetObjectAcl: { headers: {}, query: { acl: true } },
  GetBucketPolicy: { headers: {}, query: { policy: true } },
  // The body's MD5 or checksum, when sent, is verified (bucket-policy.ts reads it as acl.ts does).
  PutBucketPolicy: { headers: UPLOAD_BODY_HEADERS, query: { policy: true } },
  DeleteBucketPolicy: { headers: {}, query: { policy: true } },
  GetBucketLifecycleConfiguration: { headers: {}, query: { lifecycle: true } },
  PutBucketLifecycleConfiguration: { headers: UPLOAD_BODY_HEADERS, query: { lifecycle: true } },
  DeleteBucketLifecycle: { headers: {}, query: { lifecycle: true } },
  PutObjectAcl: { headers: { ...UPLOAD_BODY_HEADERS, ...CANNED_ACL }, query: { acl: true } },
  ListObjectVersions: {
    headers: {},
    query: {
      versions: true,
      prefix: true,
      delimiter: true,
      'key-marker': true,
      'version-id-marker': true,
      'max-keys': true,
      'encoding-type': ['url'],
    },
  },
  PutObject: { headers: PUT_HEADERS, query: {} },
  // What a form asks for is in its fields, each honoured or refused by post-object.ts.
  PostObject: NONE,
  CopyObject: {
    headers: {
      ...PUT_HEADERS,
      ...COPY_SOURCE_HEADERS,
      'x-amz-metadata-directive': ['COPY', 'REPLACE'],
    },
    query: {},
  },
  // The stored checksum is returned when asked for (checksum-headers.ts).
  GetObject: { headers: { 'x-amz-checksum-mode': ['ENABLED'] }, query: RESPONSE_HEADER_OVERRIDES },
  HeadObject: { headers: { 'x-amz-checksum-mode': ['ENABLED'] }, query: {} },
  DeleteObject: { headers: BYPASS_RETENTION, query: {} },
  CreateMultipartUpload: {
    headers: {
      ...PUT_HEADERS,
      'x-amz-checksum-algorithm': ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'],
      'x-amz-checksum-type': ['COMPOSITE', 'FULL_OBJECT'],
    },
    query: { uploads: true },
  },
  UploadPart: { headers: UPLOAD_BODY_HEADERS, query: { uploadId: true, partNumber: true } },
  UploadPartCopy: {
    headers: { ...COPY_SOURCE_HEADERS, 'x-amz-copy-source-range': true },
    query: { uploadId: true, partNumber: true },
  },
  CompleteMultipartUpload: { headers: UPLOAD_BODY_HEADERS, query: { uploadId: true } },
  AbortMultipartUpload: NONE_BUT_UPLOAD,
  ListParts: { headers: {}, query: { uploadId: true, 'max-parts': true, 'part-number-marker': true } },
  ListMultipartUploads: {
    headers: {},
    query: {
      uploads: true,
      prefix: true,
      delimiter: true,
      'key-marker': true,
      'upload-id-marker': true,
      'max-uploads': true,
      'encoding-type': ['url'],
    },
  },
  GetBucketMirror: 'not-s3',
  PutBucketMirror: 'not-s3',
  DeleteBucketMirror: 'not-s3',
  CreatePrepushJob: 'not-s3',
  ListPrepushJobs: 'not-s3',
  GetPrepushJob: 'not-s3',
  CancelPrepushJob: 'not-s3',
  GetHealth: 'not-s3',
  ResetSimulator: 'not-s3',
  WaitForSettle: 'not-s3',
  NativeMirrorConfiguration: 'not-s3',
};

const knownQuery = new Set(S3_QUERY_NAMES);
/** Every vendor's presigned-URL parameters: not S3's x-amz-* names, so never refused as unhonoured. */
const PRESIGNED: ReadonlySet<string> = new Set(vendorPresignedParameters());

/**
 * Refuses with 501 the first x-amz-* header or S3 query name that `operation` does not honour. On a
 * bucket that does not exist (`bucketExists`) the refusal is 404 NoSuchBucket instead, as S3 answers a
 * missing bucket before anything else; CreateBucket is the one call that expects no bucket.
 */
export function refuseUnhonoured(
  operation: Operation,
  headers: Headers,
  query: URLSearchParams,
  bucketExists: (bucket: string) => boolean = () => true,
): void {
  const name = headers.has('x-amz-copy-source') ? copyNamed(operation.name) : operation.name;
  const vocabulary = VOCABULARY[name];
  if (vocabulary === 'not-s3') return;
  const fields = 'bucket' in operation ? { bucket: operation.bucket } : {};
  const notImplemented = (what: string, value: string, operation: string, fields: { bucket?: string }) =>
    fields.bucket !== undefined && name !== 'CreateBucket' && !bucketExists(fields.bucket)
      ? noSuchBucket(fields.bucket)
      : refusal(what, value, operation, fields);
  for (const [header, value] of headers) {
    if (!header.startsWith('x-amz-')) continue;
    const honoured = header.startsWith('x-amz-meta-')
      ? vocabulary.headers['x-amz-meta-']
      : lookUp(vocabulary.headers, header);
    if (!allows(honoured, value)) throw notImplemented(`the ${header} header`, value, name, fields);
  }
  for (const [parameter, value] of query) {
    const lower = parameter.toLowerCase();
    const s3Name = knownQuery.has(parameter) || (lower.startsWith('x-amz-') && !PRESIGNED.has(lower));
    if (!s3Name || allows(COMMON_QUERY[lower], value)) continue;
    // A presigned URL carries the headers it signs as x-amz-* parameters (the SDK's x-amz-checksum-mode).
    const honoured = lower.startsWith('x-amz-')
      ? (lookUp(vocabulary.headers, lower) ?? vocabulary.query[parameter])
      : vocabulary.query[parameter];
    if (!allows(honoured, value)) throw notImplemented(`the '${parameter}' parameter`, value, name, fields);
  }
}

/** The copy an operation becomes with `x-amz-copy-source`: CopyObject, UploadPartCopy, or itself. */
function copyNamed(name: Operation['name']) {
  if (name === 'PutObject') return 'CopyObject';
  return name === 'UploadPart' ? 'UploadPartCopy' : name;
}

function lookUp(honoured: Honoured, header: string) {
  return COMMON_HEADERS[header] ?? honoured[header];
}

function allows(honoured: true | readonly string[] | undefined, value: string): boolean {
  return honoured === true || (honoured?.includes(value) ?? false);
}

/**
 * Runs a synchronous check whose refusal depends on whether a bucket exists (parseRequest,
 * refuseUnhonoured): first as if every bucket existed, noting the bucket it asks about; only when it
 * refuses is the store asked, and the check run again with the answer. The checks are pure, so the
 * second run refuses the same way or with NoSuchBucket; a request that passes costs no store call.
 */
export async function checkedAgainstStore<T>(
  check: (bucketExists: (bucket: string) => boolean) => T,
  hasBucket: (bucket: string) => Promise<boolean>,
): Promise<T> {
  let asked: string | undefined;
  try {
    return check((bucket) => {
      asked = bucket;
      return true;
    });
  } catch (error) {
    if (asked === undefined) throw error;
    const exists = await hasBucket(asked);
    return check(() => exists);
  }
}

/** The 404 for a bucket that does not exist, wherever it is found missing. */
export function noSuchBucket(bucket: string): S3Error {
  return new S3Error('NoSuchBucket', `the bucket '${bucket}' does not exist`, { bucket });
}

function refusal(what: string, value: string, operation: string, fields: { bucket?: string }) {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return new S3Error(
    'NotImplemented',
    `${what} (here '${shown}') is not implemented on ${operation}`,
    fields,
  );
}

/**
 * Per operation name, the x-amz-* headers and S3 parameters it honours beyond the signature's own (a list
 * of values where only those are), or 'not-s3' for the simulator's own APIs: read by the documentation
 * generator (tools/docs/s3-operations.ts), so the published table is this one.
 */
export function honouredVocabularies(): ReadonlyMap<string, Vocabulary | 'not-s3'> {
  return new Map(Object.entries(VOCABULARY));
}
