import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { errorCode } from '../client/http-client.ts';
import {
  cancelPrepush,
  createPrepush,
  type PrepushJobView,
  parseResultCsv,
  waitForJob,
} from '../client/prepush-calls.ts';
import { encodeKey } from '../client/s3-client.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, requirePrepushApi, rule, sha256, storedSize } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

/** One template line and what the law expects of it. */
type LineKind =
  | 'ok'
  | 'not-found'
  | 'error'
  | 'url'
  | 'renamed'
  | 'invalid'
  | 'bad-utf8'
  | 'comment'
  | 'blank'
  | 'exists';
const EXPECTED: Record<LineKind, string> = {
  ok: 'stored',
  'not-found': 'origin-404',
  error: 'failed',
  url: 'stored',
  renamed: 'stored',
  invalid: 'invalid',
  'bad-utf8': 'invalid',
  comment: 'ignored',
  blank: 'ignored',
  exists: 'skipped-exists',
};
const lineKindArb = fc.constantFrom<LineKind>(...(Object.keys(EXPECTED) as LineKind[]));

interface Scenario {
  bucket: string;
  base: string;
  lines: { kind: LineKind; text: Uint8Array; key?: string; seed: number }[];
  job: PrepushJobView;
  rows: string[][];
}

/** Builds a template from line kinds, scripts the origin, runs the job to its end and reads its result. */
async function runScenario(kinds: LineKind[], mode?: string): Promise<Scenario> {
  const bucket = await fixture.bucket();
  const base = fixture.originPath();
  await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${base}/site`])]);
  fixture.origin.scriptPrefix(`${base}/site/missing`, { status: 404 });
  fixture.origin.scriptPrefix(`${base}/site/broken`, { status: 503 });
  const lines = await Promise.all(
    kinds.map(async (kind, index) => {
      const seed = index + 1;
      const key = `k${index}/obj-${kind}.bin`;
      fixture.origin.script(`${base}/site/${encodeKey(key)}`, { body: { size: 100 + seed, seed } });
      const text = (value: string) => Buffer.from(value);
      switch (kind) {
        case 'ok':
          return { kind, text: text(key), key, seed };
        case 'not-found':
          return { kind, text: text(`missing/${index}`), seed };
        case 'error':
          return { kind, text: text(`broken/${index}`), seed };
        case 'url': {
          fixture.origin.script(`${base}/direct/${index}.css`, { body: { size: 50 + seed, seed } });
          return {
            kind,
            text: text(`${fixture.origin.url}${base}/direct/${index}.css?v=1`),
            key: `${base.slice(1)}/direct/${index}.css`,
            seed,
            size: 50 + seed,
          };
        }
        case 'renamed':
          return { kind, text: text(`${key},renamed/${index}.bin`), key: `renamed/${index}.bin`, seed };
        case 'invalid':
          return { kind, text: text('a,b,c'), seed };
        case 'bad-utf8':
          return { kind, text: Uint8Array.from([0x6b, 0xff, 0xfe]), seed };
        case 'comment':
          return { kind, text: text('# a comment'), seed };
        case 'blank':
          return { kind, text: text(''), seed };
        case 'exists': {
          const existing = `exists/${index}.bin`;
          fixture.origin.script(`${base}/site/${encodeKey(existing)}`, { body: { size: 10, seed } });
          expect((await fixture.target.client.putObject(bucket, existing, 'user content')).status).toBe(200);
          return { kind, text: text(existing), key: existing, seed };
        }
      }
    }),
  );
  const template = Buffer.concat(lines.flatMap((line) => [line.text, Buffer.from('\n')]));
  const created = await createPrepush(fixture.target.client.http, bucket, template, mode ? { mode } : {});
  expect(created.status, Buffer.from(created.body).toString()).toBe(202);
  const { id } = JSON.parse(Buffer.from(created.body).toString()) as { id: string };
  const job = await waitForJob(fixture.target.client.http, bucket, id);
  const result = await fixture.target.client.getObject(bucket, job.resultKey);
  expect(result.status).toBe(200);
  return { bucket, base, lines, job, rows: parseResultCsv(Buffer.from(result.body).toString('utf8')) };
}

const kindsArb = fc.array(lineKindArb, { minLength: 1, maxLength: 20 });

describe('pre-push', () => {
  behaviour(
    'prepush.stored',
    "every entry whose origin answers 200 ends stored with the origin's bytes",
    async () => {
      requirePrepushApi(fixture);
      await fc.assert(
        fc.asyncProperty(kindsArb, async (kinds) => {
          const scenario = await runScenario(kinds);
          for (const line of scenario.lines) {
            if (line.kind !== 'ok' && line.kind !== 'url' && line.kind !== 'renamed') continue;
            const got = await fixture.target.client.getObject(scenario.bucket, line.key ?? '');
            expect(got.status, line.key).toBe(200);
            const size = line.kind === 'url' ? 50 + line.seed : 100 + line.seed;
            expect(sha256(got.body)).toBe(sha256(originBytes(size, line.seed)));
          }
        }),
      );
    },
  );

  behaviour(
    'prepush.outcomes',
    'every other entry is reported with its outcome and line number, and no failing entry stops the job',
    async () => {
      requirePrepushApi(fixture);
      await fc.assert(
        fc.asyncProperty(kindsArb, async (kinds) => {
          const scenario = await runScenario(kinds);
          expect(scenario.job.state).toBe('succeeded');
          const byLine = new Map(scenario.rows.map((row) => [Number(row[0]), row]));
          scenario.lines.forEach((line, index) => {
            const row = byLine.get(index + 1);
            expect(row?.[3], `line ${index + 1} (${line.kind})`).toBe(EXPECTED[line.kind]);
            if (EXPECTED[line.kind] === 'failed' || EXPECTED[line.kind] === 'invalid') {
              expect(row?.[4]?.length ?? 0, 'a failed or invalid line says why').toBeGreaterThan(0);
            }
          });
          const count = (outcome: string) => scenario.rows.filter((row) => row[3] === outcome).length;
          expect(scenario.job.counts).toMatchObject({
            stored: count('stored'),
            originNotFound: count('origin-404'),
            failed: count('failed'),
            skipped: count('skipped-exists'),
            invalid: count('invalid'),
          });
          expect(scenario.job.counts.processed).toBe(scenario.job.counts.entries);
        }),
      );
    },
  );

  behaviour('prepush.result-file', 'the result file lists every input line exactly once', async () => {
    requirePrepushApi(fixture);
    await fc.assert(
      fc.asyncProperty(kindsArb, async (kinds) => {
        const scenario = await runScenario(kinds);
        const numbers = scenario.rows.map((row) => Number(row[0])).sort((a, b) => a - b);
        expect(numbers).toEqual(kinds.map((_, index) => index + 1));
        expect(scenario.job.lines).toBe(kinds.length);
      }),
    );
  });

  behaviour(
    'prepush.skip-existing',
    'skip-existing never changes an object the bucket already holds',
    async () => {
      requirePrepushApi(fixture);
      await fc.assert(
        fc.asyncProperty(
          kindsArb.map((kinds) => [...kinds, 'exists' as const]),
          async (kinds) => {
            const scenario = await runScenario(kinds);
            for (const line of scenario.lines.filter((l) => l.kind === 'exists')) {
              const got = await fixture.target.client.getObject(scenario.bucket, line.key ?? '');
              expect(Buffer.from(got.body).toString()).toBe('user content');
            }
          },
        ),
      );
    },
  );

  behaviour(
    'prepush.overwrite',
    "overwrite replaces an existing object with the origin's current content",
    async () => {
      requirePrepushApi(fixture);
      await fc.assert(
        fc.asyncProperty(
          kindsArb.map((kinds) => [...kinds, 'exists' as const]),
          async (kinds) => {
            const scenario = await runScenario(kinds, 'overwrite');
            for (const line of scenario.lines.filter((l) => l.kind === 'exists')) {
              const got = await fixture.target.client.getObject(scenario.bucket, line.key ?? '');
              expect(sha256(got.body)).toBe(sha256(originBytes(10, line.seed)));
            }
            expect(scenario.rows.filter((row) => row[3] === 'skipped-exists')).toEqual([]);
          },
        ),
      );
    },
  );

  behaviour(
    'prepush.limit',
    'a list of more than 100,000 entries is refused whole and nothing is fetched',
    async () => {
      requirePrepushApi(fixture);
      const bucket = await fixture.bucket();
      const base = fixture.originPath();
      await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${base}`])]);
      fixture.origin.scriptPrefix(base, { body: 'x' });
      // Comments and blank lines do not count: 100,000 entries are accepted, 100,001 are not.
      const lines = (entries: number) =>
        `# header\n\n${Array.from({ length: entries }, (_, i) => `k/${i}`).join('\n')}\n`;
      const refused = await createPrepush(fixture.target.client.http, bucket, lines(100_001));
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe('TooManyPrepushEntries');
      const json = await createPrepush(
        fixture.target.client.http,
        bucket,
        JSON.stringify({ entries: Array.from({ length: 100_001 }, (_, i) => `k/${i}`) }),
        { json: true },
      );
      expect(errorCode(json)).toBe('TooManyPrepushEntries');
      const listed = await fixture.target.client.http.send({
        method: 'GET',
        path: `/_mirrorspec/buckets/${bucket}/prepush`,
      });
      expect(JSON.parse(Buffer.from(listed.body).toString())).toEqual({ jobs: [] });
      await fixture.target.settle(5000);
      expect(fixture.origin.requestsUnder(base)).toEqual([]);
      const objects = await fixture.target.client.listObjects(bucket);
      expect(Buffer.from(objects.body).toString()).toContain('<KeyCount>0</KeyCount>');

      const accepted = await createPrepush(fixture.target.client.http, bucket, `${'#\n'.repeat(10)}k/only\n`);
      expect(accepted.status).toBe(202);
    },
  );

  behaviour(
    'prepush.cancel',
    'cancelling stops the job cleanly and marks every entry not done as cancelled',
    async () => {
      requirePrepushApi(fixture);
      const bucket = await fixture.bucket();
      const base = fixture.originPath();
      await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${base}`])]);
      // Slow bodies: each entry takes a while, so most are still to come when the job is cancelled.
      fixture.origin.scriptPrefix(base, { body: { size: 20_000, seed: 3 }, delayMidBodyMs: 150 });
      const entries = Array.from({ length: 40 }, (_, i) => `slow/${i}`);
      const created = await createPrepush(fixture.target.client.http, bucket, entries.join('\n'), {
        concurrency: 2,
      });
      const { id } = JSON.parse(Buffer.from(created.body).toString()) as { id: string };
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await cancelPrepush(fixture.target.client.http, bucket, id)).status).toBe(200);
      const job = await waitForJob(fixture.target.client.http, bucket, id);
      expect(job.state).toBe('cancelled');
      expect(job.counts.cancelled).toBeGreaterThan(0);
      const rows = parseResultCsv(
        Buffer.from((await fixture.target.client.getObject(bucket, job.resultKey)).body).toString(),
      );
      expect(rows.map((row) => Number(row[0])).sort((a, b) => a - b)).toEqual(entries.map((_, i) => i + 1));
      for (const row of rows) {
        // A listing, not GET: a GET on a missing key would be a mirror miss and store it (and so would
        // a HEAD, on profiles where HEAD triggers [us3-guide]).
        const size = await storedSize(fixture, bucket, row[2] ?? '');
        if (row[3] === 'stored') expect(size).toBe(20000);
        else expect(size, `${row[2]} is ${row[3]} (${row[4]}): nothing partial`).toBeUndefined();
      }
    },
  );
});
