// Short names for the neutral model in spec/mirror.openapi.yaml, so code says `MirrorRuleDocument` instead
// of `components['schemas']['MirrorRule']`. The types come from the generated file only; this module adds
// the one runtime fact the types cannot carry: the HTTP status of each error code. A `*Document` is a
// value as written or sent, defaults not filled in; spec/rules.ts has the rules with defaults filled in.
import type { components } from './generated/mirror-api.ts';

type Schemas = components['schemas'];

export type MirrorConfigurationDocument = Schemas['MirrorConfiguration'];
export type MirrorRuleDocument = Schemas['MirrorRule'];
/** No field has a default: the same type before and after normalisation. */
export type MirrorCondition = Schemas['MirrorCondition'];
/** No field has a default: the same type before and after normalisation. */
export type KeyRewrite = Schemas['KeyRewrite'];
export type HeaderPolicyDocument = Schemas['HeaderPolicy'];
export type ErrorCode = Schemas['ErrorCode'];
export type PrepushJob = Schemas['PrepushJob'];
export type PrepushMode = Schemas['PrepushMode'];

// Mirrors the table in the ErrorCode description; spec/generated-types.test.ts holds the two equal,
// and the Record type makes the compiler reject a missing or unknown code.
export const errorStatus: Readonly<Record<ErrorCode, number>> = Object.freeze({
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  // A conditional write whose key changed while its body arrived [s3-conditional-writes].
  ConditionalRequestConflict: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  // A write the bounded in-memory store has no room for (--max-memory); RFC 4918's status, S3 has none.
  InsufficientStorage: 507,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidMirrorConfiguration: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  // A browser POST's policy document that is not one: bad base64 or JSON, no expiration [s3-post-object].
  InvalidPolicyDocument: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  KeyTooLongError: 400,
  MalformedJSON: 400,
  MalformedPolicy: 400,
  MalformedPOSTRequest: 400,
  MalformedXML: 400,
  MaxMessageLengthExceeded: 400,
  MaxPostPreDataLengthExceededError: 400,
  MethodNotAllowed: 405,
  // 424 after OSS and JD Cloud, the vendors that document a code for a failed origin fetch.
  MirrorFailed: 424,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchMirrorConfiguration: 404,
  NoSuchPrepushJob: 404,
  NoSuchUpload: 404,
  NotImplemented: 501,
  // A failed If-Match, If-Unmodified-Since or copy-source condition (RFC 9110 section 13) [s3-getobject][s3-copyobject].
  PreconditionFailed: 412,
  SignatureDoesNotMatch: 403,
  TooManyPrepushEntries: 400,
  XAmzContentSHA256Mismatch: 400,
});

export const errorCodes: readonly ErrorCode[] = Object.freeze(Object.keys(errorStatus) as ErrorCode[]);
