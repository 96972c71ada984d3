// UploadPartCopy, as the S3 API reference states it [s3-uploadpartcopy]: a part made server-side from a
// stored object, whole or by `x-amz-copy-source-range`, under the `x-amz-copy-source-if-*` conditions,
// spoken through the AWS SDK. The fault test (upload-part-copy-fault.test.ts) shows this law failing.

import fc from 'fast-check';
import { describe } from 'vitest';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { assertThroughSdk } from '../support/sdk-client.ts';
import { type CopySample, judgeUploadPartCopy } from '../support/upload-part-copy-calls.ts';

const fixture = useLawFixture();

/** Each run moves 15 MiB or more: a few runs cover the ranges' shapes. */
const runs = () => Math.min(fc.readConfigureGlobal().numRuns ?? 100, 8);

const sampleArb: fc.Arbitrary<CopySample> = fc.integer({ min: 0, max: 40_000 }).chain((extra) =>
  fc.record({
    extra: fc.constant(extra),
    offset: fc.integer({ min: 0, max: extra }),
    last: fc.option(
      fc
        .tuple(fc.nat(5 * 1024 ** 2 + extra - 1), fc.nat(5 * 1024 ** 2 + extra - 1))
        .map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })),
      { nil: undefined },
    ),
  }),
);

describe('UploadPartCopy', () => {
  behaviour(
    's3.upload-part-copy',
    'a part copied by range holds exactly those source bytes, and refused copies add no part',
    () => assertThroughSdk(fixture, sampleArb, runs(), judgeUploadPartCopy),
  );
});
