// `mirrorspec check` end to end, as a CI gate uses it: against deliberately broken targets it must exit
// 1 with the failing behaviour's shrunk counterexample and HTTP exchanges in the report, and an
// expectations file must turn that failure into an expected one (exit 0) and flag a stale entry.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator/index.ts';
import { type BehaviourResult, profileRun } from './check/check-report.ts';
import { assertionOf, failedStep, groupFailures } from './check/failure-findings.ts';
import { runCheck } from './support/run-check.ts';
import type { TraceRecord } from './support/trace-plugin.ts';

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
      // Laws of each kind: two the fixed rule can show, one it cannot (every key has a rule), one that
      // asks for other rules and one that writes rules (every origin law took minutes on a busy machine).
      'hit.no-origin,miss.no-rule,origin.failure-424,origin.failover-policy,config.replace',
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
  }, 300_000);

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

  it('reproduces a planted timing failure by running its replay line, with the same labelled counterexample', async () => {
    const run = await check(['--target', 'broken:stalls-long-keys', '--only', 'origin.slow-isolated']);
    expect(run.status, run.output).toBe(1);
    const result = expectCaught(run.result('origin.slow-isolated'));
    // The law's own names for its values, not a bare tuple.
    expect(result.counterexample).toMatch(/^key: ".*", others: \d+$/);
    expect(result.step).toMatch(/^the GET of the object \(GET \/\S+ → 200\)/);
    const replay = result.replay ?? '';
    expect(replay).toMatch(/^npx mirrorspec check --target broken:stalls-long-keys /);
    // The replay line as a user pastes it (runCheck adds only --out).
    const again = await runCheck(replay.replace(/^npx mirrorspec check /, '').split(' '));
    expect(again.status, again.output).toBe(1);
    const replayed = expectCaught(again.result('origin.slow-isolated'));
    expect(replayed.counterexample).toBe(result.counterexample);
    expect(replayed.path).toBe(result.path);
    expect(replayed.replay).toBe(replay);
  }, 400_000);

  it('refuses a busy --origin-port at once with MS_ORIGIN_PORT_BUSY, naming the port', async () => {
    const busy = createServer();
    await new Promise<void>((listening) => busy.listen(0, '127.0.0.1', listening));
    const { port } = busy.address() as AddressInfo;
    try {
      const started = Date.now();
      const run = await runCheck(['--origin-port', String(port), '--only', 'hit.no-origin']);
      expect(run.status).toBe(1);
      expect(run.output).toContain(
        `MS_ORIGIN_PORT_BUSY: --origin-port ${port}: another process already listens`,
      );
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      busy.close();
    }
  });

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

describe('what a report says of a failure', () => {
  const catalogue = [
    { id: 'prepush.stored', level: 'must' as const, statement: 'Stored.', sources: [] },
  ] as unknown as Parameters<typeof profileRun>[0]['catalogue'];
  const title = "every entry whose origin answers 200 ends stored with the origin's bytes";
  const input = (records: TraceRecord[], failureMessages: string[]) =>
    profileRun({
      profile: 'neutral',
      target: 'simulator',
      catalogue,
      selected: new Set(['prepush.stored']),
      files: [
        {
          name: join(root, 'conformance/laws/prepush.test.ts'),
          status: 'failed',
          assertionResults: [
            { title: `[prepush.stored] ${title}`, status: 'failed', duration: 120_004, failureMessages },
          ],
        },
      ],
      records,
      expectations: [],
      seed: 7,
      runs: 20,
      durationMs: 1,
      targetOnly: false,
      ownSimulatorOnly: new Set(),
      absent: new Map(),
      replayOptions: '--target simulator --origin-port 17521',
    }).behaviours['prepush.stored'];

  it('reports a law stopped at its time limit as a timeout naming the request it waited for, not STACK_TRACE_ERROR', () => {
    const result = input(
      [
        {
          kind: 'timed-out',
          id: 'prepush.stored',
          title,
          afterMs: 120_001,
          waiting: [{ method: 'POST', path: '/_mirrorspec/buckets/b/prepush', forMs: 119_500 }],
          lastAnswered: { method: 'PUT', path: '/_mirrorspec/buckets/b/mirror', status: 200 },
        },
        // What the abandoned property reports once the file's clients are closed under it.
        {
          kind: 'property-failure',
          id: 'prepush.stored',
          title,
          seed: 7,
          path: '6:0',
          counterexample: '[["ok"]]',
          values: ['["ok"]'],
          runs: 7,
          shrinks: 1,
          error: 'The client is closed',
        },
      ],
      [
        'Error: STACK_TRACE_ERROR\n    at task (file:///node_modules/@vitest/runner/dist/chunk-artifact.js:1784:27)',
      ],
    );
    expect(result?.status).toBe('failed');
    expect(result?.failure).toBe(
      'timed out: the test was stopped after 120.0 s, waiting for starting the pre-push (POST /_mirrorspec/buckets/b/prepush, waiting 119.5 s)',
    );
    expect(result?.counterexample).toBeUndefined();
    expect(result?.replay).toBe(
      'npx mirrorspec check --target simulator --origin-port 17521 --profile neutral --only prepush.stored --seed 7 --runs 20',
    );
  });

  it("labels a counterexample's values with the law's own parameter names", () => {
    const result = input(
      [
        {
          kind: 'property-failure',
          id: 'prepush.stored',
          title,
          seed: 7,
          path: '0:1',
          counterexample: '[["ok","url"]]',
          values: ['["ok","url"]'],
          runs: 1,
          shrinks: 1,
          error: 'r2/direct/4.css: expected 404 to be 200 // Object.is equality',
        },
      ],
      ['Error: Property failed after 1 tests'],
    );
    expect(result?.counterexample).toBe('kinds: ["ok","url"]');
    expect(assertionOf(result?.failure)).toBe(
      'r2/direct/4.css: expected 404 to be 200 // Object.is equality',
    );
  });

  it('groups failures of one cause across behaviours, and keeps other causes apart', () => {
    const exchange = (method: string, path: string, status: number) => ({
      at: 0,
      durationMs: 1,
      method,
      path,
      requestHeaders: {},
      requestBodySize: 0,
      status,
      responseHeaders: {},
      bodySize: 0,
      bodyPrefix: '',
    });
    const trace = (method: string, path: string, status: number) => ({
      client: [exchange('GET', '/b/k', 200), exchange(method, path, status)],
      origin: [],
      omitted: 0,
    });
    const groups = groupFailures([
      {
        id: 'hit.stored',
        profile: 'neutral',
        result: { failure: 'expected 404 to be 200', trace: trace('HEAD', '/b1/a', 404) },
      },
      {
        id: 'origin.url',
        profile: 'oss',
        result: { failure: 'expected 404 to be 200', trace: trace('HEAD', '/b2/.', 404) },
      },
      {
        id: 'writeback.atomic',
        profile: 'neutral',
        result: {
          failure: "expected '<KeyCount>1' to contain '<KeyCount>0'",
          trace: trace('GET', '/b3?list-type=2', 200),
        },
      },
    ]);
    expect(groups.map((g) => g.members.map((m) => m.id))).toEqual([
      ['hit.stored', 'origin.url'],
      ['writeback.atomic'],
    ]);
    expect(groups[0]?.cause).toBe('the HEAD of the object → 404 | expected 404 to be 200');
    expect(failedStep(trace('GET', '/b3?list-type=2', 200))).toBe(
      'the listing (GET /b3?list-type=2 → 200), after the GET of the object (GET /b/k → 200)',
    );
  });
});
