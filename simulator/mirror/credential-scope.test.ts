import { describe, expect, it } from 'vitest';
import { normaliseRule } from '../../spec/rules.ts';
import { headersFor } from '../core/credential-scope.ts';
import type { OriginClient, OriginRequest } from '../origin/origin-client.ts';
import { fetchFromOrigins } from './fetch-from-origins.ts';

const rule = normaliseRule({
  id: 'r',
  origins: ['http://own.test/base/'],
  followRedirects: true,
  headers: { pass: ['cookie', 'x-client'], set: [{ name: 'x-api-key', value: 'secret' }] },
});

/** An origin client where own.test redirects to `location` and every other host answers 200. */
function redirecting(location: string) {
  const seen: OriginRequest[] = [];
  const client: OriginClient = {
    async get(request) {
      seen.push(request);
      const home = request.origin === 'http://own.test' && !request.path.startsWith('/back');
      const headers: Record<string, string> = home ? { location } : { 'content-length': '0' };
      return {
        status: home ? 302 : 200,
        headers,
        body: (async function* () {})(),
        discard: () => undefined,
      };
    },
    close: async () => undefined,
  };
  return { client, seen };
}

const miss = {
  key: 'k',
  rawQuery: '',
  clientHeaders: [
    ['cookie', 'session=1'],
    ['x-client', 'c'],
  ] as [string, string][],
};

describe("a rule's credentials", () => {
  it('go with a redirect to the same origin', async () => {
    const { client, seen } = redirecting('http://own.test/back/k');
    await fetchFromOrigins(rule, miss, { client, maxObjectSize: 10 });
    expect(seen.map((request) => request.headers)).toEqual([
      { cookie: 'session=1', 'x-client': 'c', 'x-api-key': 'secret' },
      { cookie: 'session=1', 'x-client': 'c', 'x-api-key': 'secret' },
    ]);
  });

  it('never follow a redirect to another origin, nor come back after it [fetch-spec]', async () => {
    for (const location of ['http://other.test/k', 'https://own.test/k', 'http://own.test:8080/k']) {
      const { client, seen } = redirecting(location);
      await fetchFromOrigins(rule, miss, { client, maxObjectSize: 10 });
      expect(seen[1]?.headers, location).toEqual({ 'x-client': 'c' });
    }
  });

  it("stay off a pre-push URL on a host that is not one of the rule's origins", () => {
    const set = { 'x-api-key': 'secret' };
    expect(headersFor(rule, 'http://own.test', set)).toEqual(set);
    expect(headersFor(rule, 'http://elsewhere.test', set)).toEqual({});
  });
});
