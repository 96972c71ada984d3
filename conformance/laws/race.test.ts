// Races: a user's PUT or DELETE during a mirror fetch wins, and a fetch keeps the rules it began with.
// The races are made deterministic by an origin that pauses in the middle of its body until the racing
// request is answered (so it happens inside the fetch), or left to fc.scheduler(), which picks the interleaving of
// concurrent misses, a PUT, a DELETE and a rule replacement by gating each origin answer and the start of
// each client call, and then checks what no interleaving may break.

import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { fitKey, keyArb } from '../arbitraries/keys.ts';
import type { HttpResult } from '../client/http-client.ts';
import { originBytes, originDigest } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { type LawFixture, useLawFixture } from '../support/law-fixture.ts';
import {
  configure,
  expectNotStored,
  midBodyHold,
  removeRules,
  requireOwnBuckets,
  rule,
  sha256,
} from '../support/mirror-laws.ts';

const fixture = useLawFixture();
/** Long enough to race inside, short enough to stay under the target's idle-body timeout. */
const PAUSE_MS = 200;
const sizeArb = fc.integer({ min: 2, max: 200_000 });

/** Resolves once the origin has received `count` requests under `path`, or throws after 5 s. */
async function originReached(f: LawFixture, path: string, count = 1): Promise<void> {
  const deadline = Date.now() + 5000;
  while (f.origin.requestsUnder(path).length < count) {
    if (Date.now() > deadline) throw new Error(`the origin saw no request under ${path} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('races with a fetch in flight', () => {
  behaviour(
    'race.put-wins',
    'a PUT that completes during a mirror fetch is never overwritten by it, nor by misses waiting on it',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          sizeArb,
          fc.uint8Array({ maxLength: 1000 }),
          fc.integer({ min: 0, max: 3 }),
          async (key, size, mine, waiters) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            const hold = midBodyHold(PAUSE_MS);
            fixture.origin.scriptPrefix(path, { body: { size, seed: 2 }, gateMidBody: hold.gateMidBody });
            await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
            const get = fixture.target.client.getObject(bucket, key);
            await originReached(fixture, path);
            // Misses that arrive while the first fetch is in flight, before the PUT.
            const waiting = Array.from({ length: waiters }, () =>
              fixture.target.client.getObject(bucket, key),
            );
            await new Promise((resolve) => setTimeout(resolve, 20));
            try {
              expect((await fixture.target.client.putObject(bucket, key, mine)).status).toBe(200);
            } finally {
              hold.release();
            }
            await Promise.all([get, ...waiting]);
            await fixture.target.settle(5000);
            expect(sha256((await fixture.target.client.getObject(bucket, key)).body)).toBe(sha256(mine));
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
          },
        ),
      );
    },
  );

  behaviour('race.delete-wins', 'a DELETE during a mirror fetch wins: the fetch stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, sizeArb, async (key, size) => {
        const bucket = await fixture.bucket();
        const path = fixture.originPath();
        const hold = midBodyHold(PAUSE_MS);
        fixture.origin.scriptPrefix(path, { body: { size, seed: 4 }, gateMidBody: hold.gateMidBody });
        await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
        const get = fixture.target.client.getObject(bucket, key);
        await originReached(fixture, path);
        try {
          expect((await fixture.target.client.deleteObject(bucket, key)).status).toBe(204);
        } finally {
          hold.release();
        }
        await get;
        await fixture.target.settle(5000);
        await expectNotStored(fixture, bucket, key);
      }),
    );
  });

  behaviour(
    'race.rules-snapshot',
    'rules replaced or deleted during a fetch do not change it, and the next miss uses the new rules',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(keyArb, sizeArb, fc.boolean(), async (key, size, deleteRules) => {
          const bucket = await fixture.bucket();
          const before = fixture.originPath();
          const after = fixture.originPath();
          const hold = midBodyHold(PAUSE_MS);
          fixture.origin.scriptPrefix(before, { body: { size, seed: 6 }, gateMidBody: hold.gateMidBody });
          fixture.origin.scriptPrefix(after, { body: 'new rules' });
          await configure(fixture, bucket, [rule('old', [`${fixture.origin.url}${before}`])]);
          const get = fixture.target.client.getObject(bucket, key);
          await originReached(fixture, before);
          try {
            if (deleteRules) await removeRules(fixture, bucket);
            else await configure(fixture, bucket, [rule('new', [`${fixture.origin.url}${after}`])]);
          } finally {
            hold.release();
          }
          const result = await get;
          expect(sha256(result.body)).toBe(sha256(originBytes(size, 6)));
          await fixture.target.settle(5000);
          expect(sha256((await fixture.target.client.getObject(bucket, key)).body)).toBe(
            sha256(originBytes(size, 6)),
          );
          const next = await fixture.target.client.getObject(bucket, fitKey(`next-${key}`));
          if (deleteRules) expect(next.status).toBe(404);
          else expect(Buffer.from(next.body).toString()).toBe('new rules');
          expect(fixture.origin.requestsUnder(before)).toHaveLength(1);
        }),
      );
    },
  );
});

/** One client call of a race, with when it was issued and when its answer was complete. */
interface RaceCall {
  kind: 'get' | 'put' | 'delete' | 'replace';
  label: string;
  send: () => Promise<HttpResult>;
  issuedAt?: number;
  doneAt?: number;
  result?: HttpResult;
}

const raceArb = fc.record({
  gets: fc.integer({ min: 1, max: 4 }),
  put: fc.boolean(),
  delete: fc.boolean(),
  replace: fc.constantFrom('none', 'deleted', 'other-origin'),
  // Origin A may fail: with a status, or with a body cut halfway (which must leave nothing stored).
  aFails: fc.constantFrom('no', 'status-503', 'short-body'),
  // At least 16 bytes, so no origin body can equal another body or a PUT's bytes by chance.
  sizeA: fc.integer({ min: 16, max: 4000 }),
  sizeB: fc.integer({ min: 16, max: 4000 }),
  putBytes: fc.uint8Array({ minLength: 1, maxLength: 2000 }),
});

/** A step's effects are over once nothing has moved for this long (loopback answers take ~1 ms). */
const QUIET_MS = 4;
/** Far below the target's origin timeout (3 s on the suite's simulators), which a gate held too long would run into. */
const MAX_STEP_MS = 50;
const KEY = 'race/object.bin';

/**
 * One mirrored miss before the law, so connection set-up and first-call compilation do not make the
 * first run's steps slower than the quiet window, and its interleaving different from a replay's.
 */
async function warmUp(f: LawFixture): Promise<void> {
  const bucket = await f.bucket();
  const path = f.originPath();
  f.origin.scriptPrefix(path, { body: 'warm' });
  await configure(f, bucket, [rule('warm', [`${f.origin.url}${path}`])]);
  await f.target.client.getObject(bucket, KEY);
  await f.target.client.putObject(bucket, KEY, 'warm');
}

type RacePlan = typeof raceArb extends fc.Arbitrary<infer T> ? T : never;

/** Everything a race left behind, for the checks no interleaving may break. */
interface RaceOutcome {
  plan: RacePlan;
  calls: RaceCall[];
  /** Each origin answer let out, on the race's logical clock. */
  releases: { origin: 'A' | 'B'; at: number }[];
  /** A GET of the key once everything settled, with no rules left to fetch through. */
  final: HttpResult;
  bodyA: { size: number; seed: number };
  requestsA: number;
  requestsB: number;
}

const issued = (call: RaceCall | undefined) => call?.issuedAt ?? Number.POSITIVE_INFINITY;
const done = (call: RaceCall | undefined) => call?.doneAt ?? Number.POSITIVE_INFINITY;

/** The calls and the origin answers that decide which final object is legitimate. */
interface FinalObjectWitnesses {
  put: RaceCall | undefined;
  del: RaceCall | undefined;
  gets: RaceCall[];
  releases: RaceOutcome['releases'];
}

/**
 * The final object after a PUT: only a DELETE that landed after it can remove it, and an origin body
 * over it is legitimate only as a refetch after such a DELETE.
 */
function expectFinalObject(finalName: string, { put, del, gets, releases }: FinalObjectWitnesses): void {
  if (put !== undefined) {
    // Only a DELETE that landed after the PUT can remove it; a write-back never replaces it.
    const deletedLater = del !== undefined && done(del) > issued(put);
    if (!deletedLater) expect(finalName, 'a PUT with no DELETE after it').toBe('PUT');
    if (finalName === 'absent') expect(deletedLater, 'absent after a PUT').toBe(true);
  }
  if (finalName === 'origin A' || finalName === 'origin B') {
    const from = finalName === 'origin A' ? 'A' : 'B';
    if (put !== undefined) {
      // Legitimate only as a refetch: a miss after a DELETE that came after the PUT, whose
      // origin answer was let out after that DELETE was issued.
      expect(del !== undefined && done(del) > issued(put), 'an origin body over a PUT').toBe(true);
      expect(
        gets.some((get) => done(get) > issued(del)),
        'a GET after the DELETE',
      ).toBe(true);
      expect(
        releases.some((release) => release.origin === from && release.at > issued(del)),
        'an origin answer after the DELETE',
      ).toBe(true);
    }
  }
}

function expectRaceInvariants({
  plan,
  calls,
  releases,
  final,
  bodyA,
  requestsA,
  requestsB,
}: RaceOutcome): void {
  const named = new Map<string, string>();
  if (plan.aFails === 'no') named.set(originDigest(bodyA), 'origin A');
  if (plan.replace === 'other-origin') named.set(originDigest({ size: plan.sizeB, seed: 2 }), 'origin B');
  if (plan.put) named.set(sha256(plan.putBytes), 'PUT');
  const nameOf = (result: HttpResult) => named.get(sha256(result.body)) ?? 'a mix or a stranger';
  const only = (kind: RaceCall['kind']) => calls.find((call) => call.kind === kind);
  const put = only('put');
  const del = only('delete');
  const replace = only('replace');
  const gets = calls.filter((call) => call.kind === 'get');

  expect(put?.result?.status ?? 200, 'PUT').toBe(200);
  expect(del?.result?.status ?? 204, 'DELETE').toBe(204);
  expect(replace?.result?.status ?? 200, 'rule replacement (201: OBS, a new policy)').toBeOneOf([
    200, 201, 204,
  ]);

  // Every GET answer is one whole origin body or the PUT's bytes, or a clean failure.
  for (const get of gets) {
    const result = get.result as HttpResult;
    if (result.status === 200 && result.cut === undefined) {
      expect(named.has(sha256(result.body)), `${get.label} got ${nameOf(result)}`).toBe(true);
      // Origin B is only reachable through the new rules.
      if (nameOf(result) === 'origin B') expect(done(get)).toBeGreaterThan(issued(replace));
    } else if (result.cut === undefined) {
      expect(result.status, get.label).toBeOneOf([404, 424]);
    }
    // A fetch keeps the rules it started with: with both origins healthy and rules never
    // deleted, replacing them mid-fetch must not fail anything. A PUT landing during the fetch
    // may still turn it into 424 (OSS: "already exists and can not be overwritten").
    const racedPut = put !== undefined && issued(put) < done(get);
    if (plan.aFails === 'no' && plan.replace !== 'deleted' && !(racedPut && result.status === 424)) {
      expect([result.status, result.cut], `${get.label}: a healthy miss`).toEqual([200, undefined]);
    }
  }

  // The final object is absent, one whole origin body, or the PUT's bytes.
  const finalName = final.status === 404 ? 'absent' : nameOf(final);
  expect(['absent', ...named.values()], 'the final object').toContain(finalName);
  expectFinalObject(finalName, { put, del, gets, releases });

  // Rules snapshot: origin A is asked only by misses that could have matched the old rules,
  // origin B only by misses that could have matched the new ones.
  expect(requestsA, 'origin A requests').toBeLessThanOrEqual(
    gets.filter((get) => issued(get) < done(replace)).length,
  );
  expect(requestsB, 'origin B requests').toBeLessThanOrEqual(
    plan.replace === 'other-origin' ? gets.filter((get) => done(get) > issued(replace)).length : 0,
  );
}

/** The race's requests, not yet sent: the GETs, and the PUT, DELETE and rule change the plan asks for. */
function raceCalls(plan: RacePlan, bucket: string, pathB: string): RaceCall[] {
  const { client } = fixture.target;
  const calls: RaceCall[] = Array.from({ length: plan.gets }, (_, i) => ({
    kind: 'get',
    label: `GET #${i + 1}`,
    send: () => client.getObject(bucket, KEY),
  }));
  if (plan.put) {
    calls.push({
      kind: 'put',
      label: 'PUT',
      send: () => client.putObject(bucket, KEY, plan.putBytes),
    });
  }
  if (plan.delete) {
    calls.push({ kind: 'delete', label: 'DELETE', send: () => client.deleteObject(bucket, KEY) });
  }
  if (plan.replace === 'deleted') {
    calls.push({
      kind: 'replace',
      label: 'delete the rules',
      send: () => fixture.target.rules.delete(bucket),
    });
  } else if (plan.replace === 'other-origin') {
    calls.push({
      kind: 'replace',
      label: 'rules to origin B',
      send: () => fixture.target.rules.put(bucket, [rule('b', [`${fixture.origin.url}${pathB}`])]),
    });
  }
  return calls;
}

describe('scheduled races', () => {
  behaviour(
    'race.scheduled',
    'under any interleaving of misses, a PUT, a DELETE and a rule replacement, answers and the final object are whole and the PUT wins',
    async () => {
      requireOwnBuckets(fixture);
      await warmUp(fixture);
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), raceArb, async (s, plan) => {
          const { client } = fixture.target;
          const bucket = await fixture.bucket();
          const pathA = fixture.originPath();
          const pathB = fixture.originPath();
          // A logical clock: the order of issues, completions and origin releases, whatever the timing.
          let tick = 0;
          const releases: { origin: 'A' | 'B'; at: number }[] = [];
          const gate = (origin: 'A' | 'B') => async () => {
            await s.schedule(Promise.resolve(), `origin ${origin} answers`);
            releases.push({ origin, at: ++tick });
          };
          const bodyA = { size: plan.sizeA, seed: 1 };
          fixture.origin.scriptPrefix(pathA, {
            gate: gate('A'),
            ...(plan.aFails === 'status-503' ? { status: 503 } : { body: bodyA }),
            ...(plan.aFails === 'short-body' ? { resetAfterBytes: Math.floor(plan.sizeA / 2) } : {}),
          });
          fixture.origin.scriptPrefix(pathB, { body: { size: plan.sizeB, seed: 2 }, gate: gate('B') });
          await configure(fixture, bucket, [rule('a', [`${fixture.origin.url}${pathA}`])]);

          const calls = raceCalls(plan, bucket, pathB);
          const running = calls.map((call) =>
            s.schedule(Promise.resolve(), call.label).then(async () => {
              call.issuedAt = ++tick;
              call.result = await call.send();
              call.doneAt = ++tick;
            }),
          );
          // What the store does after each released step (a request arriving, an origin answer reaching
          // the clients) happens before the scheduler picks the next one, so that a seed replays the
          // same choices among the same pending steps.
          const progress = () =>
            `${tick} ${s.count()} ${fixture.origin.requestsUnder(pathA).length} ${fixture.origin.requestsUnder(pathB).length}`;
          const untilQuiet = async (step: () => Promise<void>) => {
            await step();
            let seen = progress();
            for (let quiet = 0, waited = 0; quiet < QUIET_MS && waited < MAX_STEP_MS; waited++) {
              await sleep(1);
              const now = progress();
              quiet = now === seen ? quiet + 1 : 0;
              seen = now;
            }
          };
          await s.waitFor(Promise.all(running), untilQuiet);
          await s.waitIdle(untilQuiet);
          expect(await fixture.target.settle(5000)).toBe(true);
          // Read the final object without rules, so the read itself cannot fetch.
          await removeRules(fixture, bucket);
          const final = await client.getObject(bucket, KEY);

          expectRaceInvariants({
            plan,
            calls,
            releases,
            final,
            bodyA,
            requestsA: fixture.origin.requestsUnder(pathA).length,
            requestsB: fixture.origin.requestsUnder(pathB).length,
          });
        }),
      );
    },
  );
});
