// AWS Signature Version 2 in a presigned URL, query string authentication [aws-v2]:
//
//   ?AWSAccessKeyId=<id>&Expires=<epoch seconds>&Signature=<urlencode(base64(HMAC-SHA1(secret, S)))>
//   S = VERB \n Content-MD5 \n Content-Type \n Expires \n CanonicalizedAmzHeaders CanonicalizedResource
//
// The StringToSign and the sub-resource list are the V2 header signature's (header-signature.ts), with
// Expires on the Date line. boto3 makes these URLs by default (generate_presigned_url, signature version
// `s3`), and so does `s3cmd signurl`.

import type { Keyring } from '../../core/users.ts';
import { S3Error } from '../../errors/s3-error.ts';
import type { RawRequest } from '../parse-request.ts';
import { checkSignature, type HeaderSigner, knownSecret, stringsToSign } from './header-signature.ts';
import { decodeLoosely } from './signature-text.ts';

const SCHEME = 'AWS';
const PARAMETERS = ['AWSAccessKeyId', 'Expires', 'Signature'] as const;
type Parameter = (typeof PARAMETERS)[number];

/** Whether the request's query carries any of the V2 presigned-URL parameters. */
export function isPresignedV2(target: string): boolean {
  const fields = presignedFields(target);
  return PARAMETERS.some((name) => name !== 'Expires' && fields.has(name));
}

/**
 * Verifies a V2 presigned URL or throws: a missing or repeated parameter is InvalidArgument, an unknown
 * key InvalidAccessKeyId, a URL past its Expires 403 AccessDenied (Request has expired), a wrong
 * signature 403 SignatureDoesNotMatch.
 */
export function verifyPresignedV2(
  request: RawRequest & { headers: Headers },
  keys: Keyring,
  now: number,
  virtualHostDomains: readonly string[],
): HeaderSigner {
  if (request.headers.has('authorization')) {
    throw new S3Error(
      'InvalidArgument',
      'only one auth mechanism allowed: an Authorization header or a presigned URL',
    );
  }
  const fields = presignedFields(request.target);
  const value = (name: Parameter): string => {
    const values = fields.get(name) ?? [];
    const [first] = values;
    if (values.length !== 1 || first === undefined || first === '') {
      throw new S3Error(
        'InvalidArgument',
        `a V2 presigned URL needs exactly one ${name}, with AWSAccessKeyId, Expires and Signature`,
      );
    }
    return first;
  };
  const accessKeyId = value('AWSAccessKeyId');
  const expires = value('Expires');
  const signature = value('Signature');
  if (!/^\d{1,12}$/.test(expires)) {
    throw new S3Error('InvalidArgument', `Expires must be whole seconds since 1970, got '${expires}'`);
  }
  const secretAccessKey = knownSecret(keys, accessKeyId);
  if (now > Number(expires) * 1000) {
    throw new S3Error(
      'AccessDenied',
      `Request has expired: the presigned URL was valid until ${new Date(Number(expires) * 1000).toISOString()}`,
    );
  }
  checkSignature(
    SCHEME,
    stringsToSign(SCHEME, request, virtualHostDomains, expires),
    secretAccessKey,
    signature,
  );
  return { accessKeyId, secretAccessKey };
}

/** The query's presigning parameters by name, values percent-decoded (`+` stays a plus, as in SigV4). */
function presignedFields(target: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const queryAt = target.indexOf('?');
  if (queryAt === -1) return fields;
  for (const pair of target.slice(queryAt + 1).split('&')) {
    const at = pair.indexOf('=');
    const name = decodeLoosely(at === -1 ? pair : pair.slice(0, at));
    if (!(PARAMETERS as readonly string[]).includes(name)) continue;
    const value = at === -1 ? '' : decodeLoosely(pair.slice(at + 1));
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}
