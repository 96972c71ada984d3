// ListObjectVersions on a bucket without versioning [s3-listobjectversions]: each object is its one
// version, `null`, the latest; paged by key-marker, spoken through the AWS SDK. The fault test
// (list-object-versions-fault.test.ts) shows this law failing.

import fc from 'fast-check';
import { describe } from 'vitest';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { judgeListObjectVersions, type VersionsSample } from '../support/list-object-versions-calls.ts';
import { assertThroughSdk } from '../support/sdk-client.ts';

const fixture = useLawFixture();

const runs = () => Math.min(fc.readConfigureGlobal().numRuns ?? 100, 25);

const sampleArb: fc.Arbitrary<VersionsSample> = fc.record({
  keys: fc.array(fc.stringMatching(/^[a-c]{1,2}(\/[a-c]{1,2}){0,2}$/), { minLength: 0, maxLength: 12 }),
  maxKeys: fc.integer({ min: 1, max: 5 }),
  delimiter: fc.boolean(),
});

describe('ListObjectVersions', () => {
  behaviour(
    's3.list-object-versions',
    'an unversioned bucket lists each object once as version null, in key order, across every page',
    () => assertThroughSdk(fixture, sampleArb, runs(), judgeListObjectVersions),
  );
});
