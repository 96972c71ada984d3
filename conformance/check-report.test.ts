// `mirrorspec check` end to end, as a CI gate uses it: against deliberately broken targets it must exit
// 1 with the failing behaviour's shrunk counterexample and HTTP exchanges in the report, and an
// expectations file must turn that failure into an expected one (exit 0) and flag a stale entry.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator/index.ts';
import type { BehaviourResult } from './check/check-report.ts';
import { runCheck } from './support/run-check.ts';

const root = new URL('..', import.meta.url).pathname;

/** Runs the command with 30 runs per property, enough to catch every broken target here. */
const check = (args: string[]) => runCheck([...args, '--runs', '30']);

function expectCaught(result: BehaviourResult | undefined): BehaviourResult {
  expect(result?.status).toBe('failed');
  expect(result?.counterexample).toMatch(/\S/);
  expect(result?.path).toMatch(/^\d+(:\d+)*$/);
  expect(result?.trace?.client.length).toBeGreaterThan(0);
  return result as BehaviourResult;
}

function expectations(entries: { id: string; reason: string; profile?: string }[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mirrorspec-expect-')), 'expectations.yaml');
  writeFileSync(
    file,
    `expectations:\n${entries
      .map(
        (e) => `  - id: ${e.id}\n    reason: ${e.reason}\n${e.profile ? `    profile: ${e.profile}\n` : ''}`,
      )
      .join('')}`,
  );
  return file;
}

describe('mirrorspec check against an endpoint', () => {
  it('judges a URL target through the neutral API, and leaves out laws that judge their own simulators', async () => {
    const running = await startSimulator({ allowPrivateOrigins: true });
    try {
      const run = await check([
        '--target',
        running.endpoint,
        '--only',
        'hit.no-origin,miss.no-rule,ssrf.literal-refused',
      ]);
      expect(run.status, run.output).toBe(0);
      expect(run.report().profiles).toEqual(['neutral']);
      expect(run.result('hit.no-origin')?.status).toBe('passed');
      expect(run.result('miss.no-rule')?.status).toBe('passed');
      expect(run.result('ssrf.literal-refused')?.status).toBe('not-run');
      expect(run.result('ssrf.literal-refused')?.note).toMatch(/simulators of their own/);
    } finally {
      await running.close();
    }
  });
});

describe('mirrorspec check against broken targets', () => {
  it('catches a target that forwards Authorization, with the origin request in the trace', async () => {
    const run = await check([
      '--target',
      'broken:forwards-authorization',
      '--only',
      'origin.credentials-never-forwarded,hit.no-origin',
    ]);
    expect(run.status, run.output).toBe(1);
    const result = expectCaught(run.result('origin.credentials-never-forwarded'));
    expect(result.trace?.origin.some((request) => request.headers.authorization !== undefined)).toBe(true);
    expect(run.result('hit.no-origin')?.status).toBe('passed');
    expect(run.output).toMatch(/neutral\s+failed\s+origin\.credentials-never-forwarded/);
    for (const file of ['results.json', 'summary.md', 'junit.xml', 'index.html']) {
      expect(readFileSync(join(run.out, file), 'utf8').length).toBeGreaterThan(0);
    }

    // The same run with the failure listed as known, and a stale entry for a behaviour that passes.
    const expected = await check([
      '--target',
      'broken:forwards-authorization',
      '--only',
      'origin.credentials-never-forwarded,hit.no-origin',
      '--expect',
      expectations([
        { id: 'origin.credentials-never-forwarded', reason: 'the gateway passes Authorization on' },
        { id: 'hit.no-origin', reason: 'thought broken', profile: 'neutral' },
      ]),
    ]);
    expect(expected.status, expected.output).toBe(0);
    expect(expected.result('origin.credentials-never-forwarded')?.status).toBe('expected-failure');
    expect(expected.result('origin.credentials-never-forwarded')?.reason).toBe(
      'the gateway passes Authorization on',
    );
    expect(expected.result('hit.no-origin')?.status).toBe('unexpected-pass');
    expect(readFileSync(join(expected.out, 'junit.xml'), 'utf8')).toMatch(/expected failure: the gateway/);
    expect(readFileSync(join(expected.out, 'summary.md'), 'utf8')).toMatch(/## Unexpected passes/);
  });

  it('catches a target that turns 424 MirrorFailed into 502', async () => {
    const run = await check(['--target', 'broken:turns-424-into-502', '--only', 'origin.failure-424']);
    expect(run.status, run.output).toBe(1);
    const result = expectCaught(run.result('origin.failure-424'));
    expect(result.trace?.client.some((exchange) => exchange.status === 502)).toBe(true);
    expect(result.trace?.origin.length).toBeGreaterThan(0);
    expect(result.replay).toMatch(
      /--target broken:turns-424-into-502 .*--only origin\.failure-424 --seed \d+/,
    );
  });

  it('catches a target that serves a byte range from the wrong offset', async () => {
    // A ranged GET of a stored object is a `must`, so the run fails.
    const run = await check(['--target', 'broken:stale-range', '--only', 's3.range-get']);
    expect(run.status, run.output).toBe(1);
    const result = expectCaught(run.result('s3.range-get'));
    expect(result.level).toBe('must');
    expect(result.trace?.client.some((exchange) => exchange.status === 206)).toBe(true);
  });

  it('judges a target with fixed rules only by the laws those rules can show, and still catches a fault', async () => {
    const rules = join(root, 'fixtures/static-rules/every-key.yaml');
    const fixed = await check([
      '--static-rules',
      rules,
      '--profile',
      'neutral',
      '--only',
      'hit.*,miss.*,origin.*,config.replace',
    ]);
    expect(fixed.status, fixed.output).toBe(0);
    expect(fixed.result('hit.no-origin')?.status).toBe('passed');
    expect(fixed.result('origin.failure-424')?.status).toBe('passed');
    expect(fixed.result('config.replace')?.note).toMatch(/rules are fixed/);
    // Rules a law asks for that are not the fixed ones: not applicable, with the difference named.
    expect(fixed.result('origin.failover-policy')?.note).toMatch(/rules are fixed .*origins/);

    const broken = await check([
      '--target',
      'broken:turns-424-into-502',
      '--static-rules',
      rules,
      '--only',
      'origin.failure-424',
    ]);
    expect(broken.status, broken.output).toBe(1);
    expectCaught(broken.result('origin.failure-424'));
  });

  it('judges laws by the fixed settings they take as given, leaves out writes the target lacks, and still catches a fault', async () => {
    const rules = join(root, 'fixtures/static-rules/pass-everything.yaml');
    const only = [
      'origin.query-string',
      'origin.redirect-relay',
      'origin.redirect-follow',
      'origin.not-found',
      'miss.single-flight',
      'stored.delete-refetch',
      'origin.credentials-never-forwarded',
    ];
    const fixed = await check(['--static-rules', rules, '--profile', 'neutral', '--only', only.join(',')]);
    expect(fixed.status, fixed.output).toBe(0);
    // Laws that take passQueryString and the header policy as given run under the values in force.
    for (const id of [
      'origin.query-string',
      'origin.redirect-relay',
      'origin.not-found',
      'miss.single-flight',
      'origin.credentials-never-forwarded',
    ]) {
      expect(fixed.result(id)?.status, id).toBe('passed');
    }
    // A law that fixes a setting runs only where the fixed rule has it.
    expect(fixed.result('origin.redirect-follow')?.note).toMatch(/followRedirects differs/);
    expect(fixed.result('stored.delete-refetch')?.note).toMatch(/s3\.writes false/);

    const broken = await check([
      '--target',
      'broken:forwards-authorization',
      '--static-rules',
      rules,
      '--only',
      'origin.credentials-never-forwarded',
    ]);
    expect(broken.status, broken.output).toBe(1);
    expectCaught(broken.result('origin.credentials-never-forwarded'));
  }, 300_000);

  it('refuses bad usage with exit 2 and says why', async () => {
    expect((await check(['--only', 'no.such-behaviour'])).status).toBe(2);
    expect((await check(['--target', 'ftp://example.com'])).status).toBe(2);
    const staticRules = await check(['--static-rules', 'no-such-rules.yaml']);
    expect(staticRules.status).toBe(2);
    expect(staticRules.output).toMatch(/cannot read the static rules file/);
    const badS3 = join(mkdtempSync(join(tmpdir(), 'mirrorspec-rules-')), 'rules.yaml');
    writeFileSync(badS3, 'bucket: mirror\ns3: { writes: no-thanks }\nrules:\n  - origins: ["{origin}/a"]\n');
    const s3 = await check(['--static-rules', badS3]);
    expect(s3.status).toBe(2);
    expect(s3.output).toMatch(/'s3' must be \{ writes/);
    const unknown = await check(['--expect', expectations([{ id: 'no.such-behaviour', reason: 'x' }])]);
    expect(unknown.status).toBe(2);
    expect(unknown.output).toMatch(/not a behaviour/);
  });
});
