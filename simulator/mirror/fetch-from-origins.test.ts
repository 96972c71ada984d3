// What the profile's fetch switches make of origin answers, with a scripted origin client (no network).

import { describe, expect, it } from 'vitest';
import { type MirrorRule, normaliseRule } from '../../spec/rules.ts';
import type { OriginClient, OriginRequest, OriginResponse } from '../origin/origin-client.ts';
import { type FetchPolicy, fetchFromOrigins } from './fetch-from-origins.ts';

type Answer = { status: number; headers?: Record<string, string> } | 'unreachable';

/** An origin client answering each origin base (`http://oN.test`) as scripted, and logging what it asked. */
function scripted(answers: Record<string, Answer>) {
  const asked: string[] = [];
  const discarded: string[] = [];
  const client: OriginClient = {
    async get(request: OriginRequest): Promise<OriginResponse> {
      asked.push(request.origin);
      const answer = answers[request.origin];
      if (answer === undefined || answer === 'unreachable') throw new Error('connect ECONNREFUSED');
      return {
        status: answer.status,
        headers: answer.headers ?? {},
        body: (async function* () {
          yield new Uint8Array([1, 2, 3]);
        })(),
        discard: () => discarded.push(request.origin),
      };
    },
    close: async () => undefined,
  };
  return { client, asked, discarded };
}

const rule = (origins: string[], extra: Partial<MirrorRule> = {}): MirrorRule => ({
  ...normaliseRule({ id: 'r', origins }),
  ...extra,
});

const neutral: FetchPolicy = { failover: 'any-failure', followOff: 'relay', chunkedOrigin: 'relay' };
const ok = { status: 200, headers: { 'content-length': '3' } };
const miss = { key: 'k', rawQuery: '', clientHeaders: [] };

async function run(
  answers: Record<string, Answer>,
  policy: Partial<FetchPolicy>,
  extra: Partial<MirrorRule> = {},
) {
  const origin = scripted(answers);
  const outcome = await fetchFromOrigins(rule(Object.keys(answers), extra), miss, {
    client: origin.client,
    maxObjectSize: 100,
    policy: { ...neutral, ...policy },
  });
  return { outcome, asked: origin.asked, discarded: origin.discarded };
}

describe('failover between origins', () => {
  it('moves on after any failure or 404 under any-failure [ks3-async-en]', async () => {
    const { outcome, asked } = await run(
      { 'http://o1.test': { status: 403 }, 'http://o2.test': { status: 404 }, 'http://o3.test': ok },
      {},
    );
    expect(outcome.kind).toBe('found');
    expect(asked).toEqual(['http://o1.test', 'http://o2.test', 'http://o3.test']);
  });

  it('moves on only after a 5xx or an unreachable origin under 5xx-or-timeout [oss-php2][cos-put]', async () => {
    const on = await run(
      { 'http://o1.test': { status: 503 }, 'http://o2.test': 'unreachable', 'http://o3.test': ok },
      { failover: '5xx-or-timeout' },
    );
    expect(on.outcome.kind).toBe('found');
    expect(on.asked).toHaveLength(3);

    const forbidden = await run(
      { 'http://o1.test': { status: 403 }, 'http://o2.test': ok },
      { failover: '5xx-or-timeout' },
    );
    expect(forbidden.outcome.kind).toBe('failed');
    expect(forbidden.asked).toEqual(['http://o1.test']);

    const notFound = await run(
      { 'http://o1.test': { status: 500 }, 'http://o2.test': { status: 404 }, 'http://o3.test': ok },
      { failover: '5xx-or-timeout' },
    );
    expect(notFound.outcome.kind).toBe('not-found');
    expect(notFound.asked).toEqual(['http://o1.test', 'http://o2.test']);
  });

  it("follows a rule's failoverOn list over the profile's policy [obs-zhishi][cos-put]", async () => {
    const listed = await run(
      { 'http://o1.test': { status: 403 }, 'http://o2.test': { status: 404 }, 'http://o3.test': ok },
      { failover: '5xx-or-timeout' },
      { failoverOn: ['4XX', '404'] },
    );
    expect(listed.outcome.kind).toBe('found');
    expect(listed.asked).toHaveLength(3);

    // A class leaves 404 out: the object is missing there, the origin did not fail.
    const classOnly = await run(
      { 'http://o1.test': { status: 404 }, 'http://o2.test': ok },
      {},
      { failoverOn: ['4XX'] },
    );
    expect(classOnly.outcome.kind).toBe('not-found');
    expect(classOnly.asked).toEqual(['http://o1.test']);

    const unlisted = await run(
      { 'http://o1.test': { status: 500 }, 'http://o2.test': ok },
      {},
      { failoverOn: ['503'] },
    );
    expect(unlisted.outcome.kind).toBe('failed');
    expect(unlisted.asked).toEqual(['http://o1.test']);

    // An origin that gives no answer at all always moves on.
    const down = await run(
      { 'http://o1.test': 'unreachable', 'http://o2.test': ok },
      {},
      { failoverOn: ['503'] },
    );
    expect(down.outcome.kind).toBe('found');
  });
});

describe('redirects not followed', () => {
  const redirect = { status: 302, headers: { location: 'http://elsewhere.test/k' } };

  it('relays the 3xx under relay [oss-put]', async () => {
    const { outcome } = await run({ 'http://o1.test': redirect }, {}, { followRedirects: false });
    expect(outcome).toEqual({ kind: 'relay-redirect', status: 302, location: 'http://elsewhere.test/k' });
  });

  it('fails under fail [ks3-py-sample]', async () => {
    const { outcome, asked } = await run(
      { 'http://o1.test': redirect },
      { followOff: 'fail' },
      { followRedirects: false },
    );
    expect(outcome.kind).toBe('failed');
    expect(asked).toEqual(['http://o1.test']);
  });
});

describe('chunked origin answers', () => {
  it('are found under relay, and fail without reading the body under fail [obs-java]', async () => {
    expect((await run({ 'http://o1.test': { status: 200 } }, {})).outcome.kind).toBe('found');
    const failed = await run({ 'http://o1.test': { status: 200 } }, { chunkedOrigin: 'fail' });
    expect(failed.outcome.kind).toBe('failed');
    expect(failed.discarded).toEqual(['http://o1.test']);
    expect((await run({ 'http://o1.test': ok }, { chunkedOrigin: 'fail' })).outcome.kind).toBe('found');
  });
});
