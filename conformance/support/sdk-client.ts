// The AWS SDK's S3 client as the SDK laws and their fault tests speak to a target: path-style, the
// SDKs' region for a custom endpoint, and the run's keys where the target checks signatures.

import { S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import type { LawFixture } from './law-fixture.ts';
import { requireOwnBuckets } from './mirror-laws.ts';
import { runConfig } from './run-config.ts';

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An SDK client for `endpoint`, signing with `keys` (any keys where none are checked). */
export function sdkClient(endpoint: string, keys?: Keys): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: keys ?? { accessKeyId: 'mirrorspec', secretAccessKey: 'mirrorspec' },
  });
}

/** An SDK client for the target a law judges, with the run's keys when it was given some. */
function sdkClientForRun(endpoint: string): S3Client {
  const { accessKeyId, secretAccessKey } = runConfig();
  return sdkClient(endpoint, accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined);
}

/**
 * An SDK law's body: `judge` over samples of `arb`, each in a bucket of its own on the law's target,
 * through one SDK client with the run's keys.
 */
export async function assertThroughSdk<T>(
  fixture: LawFixture,
  arb: fc.Arbitrary<T>,
  numRuns: number,
  judge: (s3: S3Client, bucket: string, sample: T) => Promise<void>,
): Promise<void> {
  requireOwnBuckets(fixture);
  const s3 = sdkClientForRun(fixture.target.endpoint);
  try {
    await fc.assert(
      fc.asyncProperty(arb, async (sample) => judge(s3, await fixture.bucket(), sample)),
      { numRuns },
    );
  } finally {
    s3.destroy();
  }
}
