// AWS Signature Version 2 presigned URLs (query string authentication), made as boto3's
// generate_presigned_url (signature version `s3`) and `s3cmd signurl` make them:
//
//   <endpoint><path>?AWSAccessKeyId=<id>&Expires=<epoch seconds>&Signature=<urlencoded base64 HMAC-SHA1>
//   StringToSign = VERB \n Content-MD5 \n Content-Type \n Expires \n CanonicalizedAmzHeaders /bucket/key
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html ("Query string request
// authentication alternative"). Written from that page alone, apart from the simulator's verifier, so a
// law that uses it judges the verifier rather than agreeing with it.

import { createHmac } from 'node:crypto';
import type { Keys } from './signed-fetch.ts';

interface PresignV2 {
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  /** The path as it will be sent, percent-encoded, path-style: `/bucket/key`. */
  path: string;
  /** Seconds since 1970 after which the URL is refused. */
  expires: number;
  /** Content-Type and Content-MD5 the request will carry, when it carries them. */
  contentType?: string;
  contentMd5?: string;
}

/** The StringToSign of a presigned request without x-amz-* headers or sub-resources. */
export function presignV2StringToSign(request: PresignV2): string {
  return [
    request.method,
    request.contentMd5 ?? '',
    request.contentType ?? '',
    String(request.expires),
    request.path,
  ].join('\n');
}

export function presignV2Signature(secretAccessKey: string, stringToSign: string): string {
  return createHmac('sha1', secretAccessKey).update(stringToSign, 'utf8').digest('base64');
}

/** The presigned URL of `request` on `endpoint` (scheme://host:port). */
export function presignedV2Url(endpoint: string, keys: Keys, request: PresignV2): string {
  const signature = presignV2Signature(keys.secretAccessKey, presignV2StringToSign(request));
  const query = [
    `AWSAccessKeyId=${encodeURIComponent(keys.accessKeyId)}`,
    `Expires=${request.expires}`,
    `Signature=${encodeURIComponent(signature)}`,
  ].join('&');
  return `${endpoint}${request.path}?${query}`;
}
