// The real AWS SDK against `npx mirrorspec serve`, started as a user would start it: a miss through the
// SDK relays the origin's object and stores it.

import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect } from 'vitest';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { sha256 } from '../support/mirror-laws.ts';
import { sdkAgainstServe } from '../support/sdk-against-serve.ts';

const sdk = sdkAgainstServe();

describe('@aws-sdk/client-s3 against mirrorspec serve', () => {
  behaviour(
    'origin.ok-relayed-and-stored',
    "the AWS SDK's GET of a missing key under a mirror rule returns the origin's bytes",
    async () => {
      const { endpoint, origin, s3 } = sdk;
      await s3.send(new CreateBucketCommand({ Bucket: 'sdk-mirror' }));
      const put = await fetch(`${endpoint}/_mirrorspec/buckets/sdk-mirror/mirror`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rules: [{ id: 'images', condition: { keyPrefix: 'img/' }, origins: [`${origin.url}/site/`] }],
        }),
      });
      expect(put.status).toBe(200);
      origin.script('/site/img/logo.png', {
        body: { size: 100_000, seed: 42 },
        headers: { 'content-type': 'image/png' },
      });

      const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-mirror', Key: 'img/logo.png' }));
      const bytes = await got.Body?.transformToByteArray();
      expect(sha256(bytes ?? new Uint8Array())).toBe(sha256(originBytes(100_000, 42)));
      expect(got.ContentType).toBe('image/png');
      expect(origin.requestsFor('/site/img/logo.png')).toHaveLength(1);

      const again = await s3.send(new GetObjectCommand({ Bucket: 'sdk-mirror', Key: 'img/logo.png' }));
      expect((await again.Body?.transformToByteArray())?.byteLength).toBe(100_000);
      expect(origin.requestsFor('/site/img/logo.png')).toHaveLength(1);
    },
  );
});
