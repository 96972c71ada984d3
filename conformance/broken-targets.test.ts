// The suite judges itself: run against deliberately unsafe targets, the laws that guard each broken
// promise must fail, with a shrunk counterexample. A suite that passed these would prove nothing.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** Runs some laws in a child vitest against `target`; returns its exit status and output. */
function runLaws(target: string, files: string[], pattern: string) {
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'conformance', ...files, '-t', pattern], {
    cwd: root,
    env: {
      ...process.env,
      MIRRORSPEC_TARGET: target,
      MIRRORSPEC_RUNS: '100',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('the suite catches unsafe targets', () => {
  it('a target that forwards Authorization to the origin fails the credential law with a counterexample', () => {
    const { status, output } = runLaws(
      'broken:forwards-authorization',
      ['conformance/laws/origin.request.test.ts'],
      'never',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[origin\.credentials-never-forwarded\]/);
    expect(output).toMatch(/× \[origin\.headers-never-forwarded\]/);
    expect(output).toMatch(/Counterexample: .*authorization/);
    expect(output).toMatch(/seed: \d+, path: "[\d:]+"/);
  });

  it('a target that stores truncated bodies fails the write-back laws with a counterexample', () => {
    const { status, output } = runLaws(
      'broken:stores-truncated',
      ['conformance/laws/origin.response.test.ts', 'conformance/laws/writeback.test.ts'],
      'failure-424|writeback.atomic',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[origin\.failure-424\]/);
    expect(output).toMatch(/× \[writeback\.atomic\]/);
    expect(output).toMatch(/Counterexample: /);
  });

  it('a target that sends + raw to the origin fails the hostile-key origin URL law, with a key holding +', () => {
    const { status, output } = runLaws(
      'broken:sends-plus-raw',
      ['conformance/laws/origin.request.test.ts'],
      'origin\\.url',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[origin\.url-hostile-keys\]/);
    expect(output).toMatch(/Counterexample: \[".*\+.*"/);
    // Ordinary keys have nothing to encode: that law is not the one to blame.
    expect(output).toMatch(/✓ \[origin\.url\]/);
  });

  it('a store that cannot hold dot segments fails the hostile-key laws and no law of ordinary keys', () => {
    const { status, output } = runLaws(
      'broken:normalises-keys',
      [
        'conformance/laws/s3.test.ts',
        'conformance/laws/origin.request.test.ts',
        'conformance/laws/stored.test.ts',
      ],
      'hostile-keys|origin\\.url\\]|served-from-bucket|put-get-roundtrip',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[s3\.hostile-keys\]/);
    expect(output).toMatch(/× \[origin\.url-hostile-keys\]/);
    for (const id of ['origin\\.url', 'stored\\.served-from-bucket', 's3\\.put-get-roundtrip']) {
      expect(output).toMatch(new RegExp(`✓ \\[${id}\\]`));
    }
  });

  it('a store that revalidates and updates a stored object when the origin changes fails stored.no-refresh', () => {
    const { status, output } = runLaws(
      'broken:refreshes-on-change',
      ['conformance/laws/stored.test.ts', 'conformance/laws/hit.test.ts'],
      'no-refresh|hit\\.no-origin',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[stored\.no-refresh\]/);
    expect(output).toMatch(/Counterexample: \["a",/);
    // Caught at the GET after the change, or at the last GET when the refresh crossed a second of Last-Modified.
    expect(output).toMatch(/the GET after the change|the last GET: Last-Modified/);
    expect(output).toMatch(/✓ \[hit\.no-origin\]/);
  });

  it('a store that forwards Range to an origin honouring it, keeping the slice, fails range.on-miss', () => {
    const { status, output } = runLaws(
      'broken:forwards-range',
      ['conformance/laws/range.test.ts'],
      'range\\.on-miss',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[range\.on-miss\]/);
    expect(output).toMatch(/Counterexample: \["a",\[.*"header":"bytes=/);
  });

  it('a store that holds only Content-Length answers to the size cap fails the chunked size-cap law one byte over', () => {
    const { status, output } = runLaws(
      'broken:ignores-cap-on-chunked',
      ['conformance/laws/origin.response.test.ts'],
      'size-cap',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[origin\.size-cap-chunked\]/);
    expect(output).toMatch(/Counterexample: \["a",1\]/);
    expect(output).toMatch(/✓ \[origin\.size-cap\]/);
  });

  it('a target with the S3 listings of old fails both listing laws', () => {
    const { status, output } = runLaws(
      'broken:old-s3-surface',
      ['conformance/laws/s3.listing-v1.test.ts', 'conformance/laws/s3.listing-v2.test.ts'],
      'list-objects',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[s3\.list-objects-v1\]/);
    expect(output).toMatch(/× \[s3\.list-objects-v2-details\]/);
    // Caught on a walk with a delimiter, where the marker names a common prefix.
    expect(output).toMatch(/Counterexample: \[\[.*"\/"/);
  });

  it('a target with the first calls of old fails the location, missing-bucket and override laws', () => {
    const { status, output } = runLaws(
      'broken:old-s3-surface',
      ['conformance/laws/s3.first-calls.test.ts'],
      's3\\.',
    );
    expect(status).not.toBe(0);
    for (const id of ['bucket-location', 'missing-bucket-first', 'response-overrides']) {
      expect(output).toMatch(new RegExp(`× \\[s3\\.${id}\\]`));
    }
  });

  it('a target whose batch delete skips character references and integrity checks fails both DeleteObjects laws', () => {
    const { status, output } = runLaws(
      'broken:sloppy-batch-delete',
      ['conformance/laws/s3.delete-objects.test.ts'],
      'delete-objects',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[s3\.delete-objects\]/);
    expect(output).toMatch(/× \[s3\.delete-objects-checked\]/);
    // Shrunk to a key with a character that travels as a reference.
    expect(output).toMatch(/Counterexample: \[.*(&|<|\\"|')/);
  });

  it('a target that checks write conditions only before the body, and not on mirrored objects, fails those two laws', () => {
    const { status, output } = runLaws(
      'broken:weak-write-conditions',
      ['conformance/laws/s3.conditional-write.test.ts', 'conformance/laws/stored.conditional-write.test.ts'],
      'conditional-write',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[s3\.conditional-write-conflict\]/);
    expect(output).toMatch(/× \[stored\.conditional-write\]/);
    expect(output).toMatch(/✓ \[s3\.conditional-write\]/);
  });
});
