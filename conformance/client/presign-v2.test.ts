// The suite's V2 presigner reproduces the one example AWS publishes for query string authentication.

import { describe, expect, it } from 'vitest';
import { presignedV2Url, presignV2Signature, presignV2StringToSign } from './presign-v2.ts';

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html, "Query string request
// authentication": GET /photos/puppy.jpg of bucket johnsmith, Expires 1175139620.
const EXAMPLE = {
  keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  request: { method: 'GET' as const, path: '/johnsmith/photos/puppy.jpg', expires: 1175139620 },
  stringToSign: 'GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg',
  signature: 'NpgCjnDzrM+WFzoENXmpNDUsSn8=',
};

describe('presignedV2Url', () => {
  it("signs AWS's published query string example to its published signature", () => {
    const text = presignV2StringToSign(EXAMPLE.request);
    expect(text).toBe(EXAMPLE.stringToSign);
    expect(presignV2Signature(EXAMPLE.keys.secretAccessKey, text)).toBe(EXAMPLE.signature);
    expect(presignedV2Url('http://s3.test', EXAMPLE.keys, EXAMPLE.request)).toBe(
      'http://s3.test/johnsmith/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D',
    );
  });
});
