// Who signed a browser POST upload's policy [s3-post-object]: Signature Version 4 (x-amz-algorithm,
// x-amz-credential, x-amz-date, x-amz-signature: the hex HMAC-SHA256 of the base64 policy under the
// day's signing key) or Version 2 (AWSAccessKeyId, signature: the base64 HMAC-SHA1 of the base64
// policy). The signature covers the policy only; the policy's conditions cover the rest of the form.

import { createHmac } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.ts';
import { type Credentials, parseBasicTime, sameSignature } from './signature-text.ts';
import { SIGV4_ALGORITHM } from './sigv4.ts';

interface Secrets {
  secretFor(accessKeyId: string): string | undefined;
}

function missing(field: string): S3Error {
  return new S3Error(
    'InvalidArgument',
    `Bucket POST must contain a field named '${field}'. If it is specified, please check the order of the fields.`,
  );
}

function secretOf(keys: Secrets, accessKeyId: string): string {
  const secret = keys.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  return secret;
}

const mismatch = () =>
  new S3Error(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

/**
 * The key pair that signed `policy`, or undefined when the form carries no signature at all. `fields`
 * are by lower-case name. Throws for a signature that is incomplete, by an unknown key or wrong.
 */
export function verifyPostSignature(
  fields: ReadonlyMap<string, string>,
  policy: string,
  keys: Secrets,
  region: string,
): Credentials | undefined {
  if (fields.has('x-amz-signature') || fields.has('x-amz-algorithm') || fields.has('x-amz-credential')) {
    return verifyV4(fields, policy, keys, region);
  }
  if (!fields.has('awsaccesskeyid') && !fields.has('signature')) return undefined;
  const accessKeyId = fields.get('awsaccesskeyid');
  if (accessKeyId === undefined) throw missing('AWSAccessKeyId');
  const signature = fields.get('signature');
  if (signature === undefined) throw missing('Signature');
  const secretAccessKey = secretOf(keys, accessKeyId);
  const expected = createHmac('sha1', secretAccessKey).update(policy, 'utf8').digest('base64');
  if (!sameSignature(expected, signature.trim())) throw mismatch();
  return { accessKeyId, secretAccessKey };
}

function verifyV4(
  fields: ReadonlyMap<string, string>,
  policy: string,
  keys: Secrets,
  region: string,
): Credentials {
  const algorithm = fields.get('x-amz-algorithm');
  if (algorithm === undefined) throw missing('x-amz-algorithm');
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new S3Error('InvalidArgument', `x-amz-algorithm must be ${SIGV4_ALGORITHM}, not '${algorithm}'`);
  }
  const credential = fields.get('x-amz-credential');
  if (credential === undefined) throw missing('x-amz-credential');
  const amzDate = fields.get('x-amz-date');
  if (amzDate === undefined) throw missing('x-amz-date');
  const signature = fields.get('x-amz-signature');
  if (signature === undefined) throw missing('x-amz-signature');
  const [accessKeyId, day, scopeRegion, service, terminator] = credential.split('/');
  if (!accessKeyId || !/^\d{8}$/.test(day ?? '') || service !== 's3' || terminator !== 'aws4_request') {
    throw new S3Error(
      'InvalidArgument',
      `the x-amz-credential '${credential}' is not <access key id>/<yyyymmdd>/<region>/s3/aws4_request`,
    );
  }
  if (scopeRegion !== region) {
    throw new S3Error(
      'AuthorizationQueryParametersError',
      `Error parsing the X-Amz-Credential parameter; the region '${scopeRegion}' is wrong; expecting '${region}'`,
    );
  }
  if (parseBasicTime(amzDate) === undefined || !amzDate.startsWith(day ?? '')) {
    throw new S3Error(
      'InvalidArgument',
      `x-amz-date '${amzDate}' is not the basic time of the credential's day`,
    );
  }
  const secretAccessKey = secretOf(keys, accessKeyId);
  const hmac = (key: string | Buffer, text: string) =>
    createHmac('sha256', key).update(text, 'utf8').digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, day ?? ''), region), 's3'),
    'aws4_request',
  );
  const expected = createHmac('sha256', signingKey).update(policy, 'utf8').digest('hex');
  if (!sameSignature(expected, signature.trim().toLowerCase())) throw mismatch();
  return { accessKeyId, secretAccessKey };
}
