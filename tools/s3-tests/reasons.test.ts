import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFigures } from './figures.ts';
import type { TestResult } from './junit.ts';
import { explain, namesTest, parseReasons } from './reasons.ts';
import type { RunReport } from './report.ts';

const known = parseReasons(`
- test: test_multipart_use_cksum_helper_*
  cause: old boto3
  reason: no ChecksumType in botocore 1.29.
- test: test_bucket_create_exists
  cause: as S3 answers
  reason: 409 outside us-east-1.
- test: test_gone_from_the_suite
  cause: simulator gap
  reason: renamed upstream.
`);

const results: TestResult[] = [
  { name: 'test_multipart_use_cksum_helper_sha1', outcome: 'failed', reason: 'ParamValidationError' },
  { name: 'test_multipart_use_cksum_helper_crc32', outcome: 'failed', reason: 'ParamValidationError' },
  { name: 'test_bucket_create_exists', outcome: 'passed' },
  { name: 'test_object_new_failure', outcome: 'errored', reason: 'setup: boom' },
];

describe('the known reasons of the simulator failures', () => {
  it('names tests exactly or by a * pattern, parameters aside', () => {
    expect(namesTest('test_a_*', 'test_a_b')).toBe(true);
    expect(namesTest('test_a_*', 'test_b_a')).toBe(false);
    expect(namesTest('test_a', 'test_a[x]')).toBe(true);
    expect(namesTest('test_a', 'test_ab')).toBe(false);
    expect(namesTest('test_a.b', 'test_aXb')).toBe(false);
  });

  it('explains each failure, says which are unexplained and which entries are stale', () => {
    const explained = explain(results, known);
    expect([...explained.reasons.keys()].sort()).toEqual([
      'test_multipart_use_cksum_helper_crc32',
      'test_multipart_use_cksum_helper_sha1',
    ]);
    expect(explained.unexplained).toEqual(['test_object_new_failure']);
    expect(explained.stale.map(({ entry, why }) => [entry.test, why])).toEqual([
      ['test_bucket_create_exists', 'passes'],
      ['test_gone_from_the_suite', 'not in the run'],
    ]);
  });

  it('shows the reasons, the unexplained failures and the stale entries in the figures', () => {
    const report: RunReport = {
      target: 'simulator',
      label: 'mirrorspec serve 0.1.0',
      date: '2026-12-02',
      s3tests: '8f0ae7b',
      notes: [],
      results,
    };
    const figures = renderFigures(report, undefined, known);
    expect(figures).toContain('| old boto3 | no ChecksumType in botocore 1.29. |');
    expect(figures).toMatch(/`test_object_new_failure` .*\*\*unexplained\*\*/);
    expect(figures).toContain('By cause: old boto3 2, **unexplained 1**.');
    expect(figures).toContain('- `test_bucket_create_exists` (passes): 409 outside us-east-1.');
    expect(figures).toContain('- `test_gone_from_the_suite` (not in the run)');
  });

  it('refuses an entry without a known cause or a reason', () => {
    expect(() => parseReasons('- { test: t, cause: bad luck, reason: r }')).toThrow(/cause/);
    expect(() => parseReasons('- { test: t, cause: old boto3 }')).toThrow(/reason/);
    expect(() => parseReasons('test: t')).toThrow(/list/);
  });

  it('reads the kept file: every entry well-formed', () => {
    const text = readFileSync(new URL('./known-reasons.yaml', import.meta.url), 'utf8');
    expect(parseReasons(text).length).toBeGreaterThan(0);
  });
});
