// A mirror sits between the public and an origin: it must never fetch from the network it runs in. These
// laws run against targets that keep the simulator's own address protection on (the rest of the suite
// turns it off: its origins are on loopback).

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { errorCode } from '../client/http-client.ts';
import { type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, expectMirrorFailed, expectNotStored, rule } from '../support/mirror-laws.ts';
import { startSimulatorTarget } from '../targets/simulator-target.ts';
import type { Target } from '../targets/target.ts';

const fixture = useLawFixture();
let guarded: Target;
/** Refuses every address but 127.0.0.1, so a second origin on 127.0.0.2 stands for an internal host. */
let onlyFirstLoopback: Target;
let internal: ScriptableOrigin;

beforeAll(async () => {
  [guarded, onlyFirstLoopback, internal] = await Promise.all([
    startSimulatorTarget({ originAddresses: 'default' }),
    startSimulatorTarget({
      originAddresses: (address) =>
        address === '127.0.0.1' ? undefined : `${address} is internal (test policy)`,
    }),
    startOrigin({ host: '127.0.0.2' }),
  ]);
});
afterAll(async () => {
  await Promise.all([guarded?.close(), onlyFirstLoopback?.close(), internal?.close()]);
});

async function bucketOn(target: Target): Promise<string> {
  const name = `guarded-${Math.random().toString(36).slice(2, 10)}`;
  expect((await target.client.createBucket(name)).status).toBe(200);
  return name;
}

const internalAddressArb = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`),
  fc
    .tuple(fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255))
    .map(([a, b, c]) => `172.${a}.${b}.${c}`),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `192.168.${a}.${b}`),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `169.254.${a}.${b}`),
  fc.constantFrom(
    '169.254.169.254',
    '0.0.0.0',
    '[::1]',
    '[::]',
    '[fd00::1]',
    '[fc00:1::2]',
    '[fe80::1]',
    '[::ffff:10.0.0.1]',
    // IPv4 inside IPv6: IPv4-compatible, NAT64 [rfc-6052], SIIT, 6to4; and site-local.
    '[::169.254.169.254]',
    '[64:ff9b::a9fe:a9fe]',
    '[::ffff:0:a9fe:a9fe]',
    '[2002:a9fe:a9fe::1]',
    '[fec0::1]',
  ),
);

describe('no open proxy', () => {
  behaviour(
    'ssrf.literal-refused',
    'a rule naming an internal address is refused with 400 and changes nothing',
    async () => {
      const bucket = await bucketOn(guarded);
      // http, which every profile takes (US3 refuses https origins, seed 002).
      const kept = { rules: [{ id: 'public', origins: ['http://origin.invalid/'] }] };
      expect((await guarded.client.putMirror(bucket, kept)).status).toBe(200);
      const before = Buffer.from((await guarded.client.getMirror(bucket)).body).toString();
      await fc.assert(
        fc.asyncProperty(
          internalAddressArb,
          fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
          async (address, port) => {
            const origin = `http://${address}${port === undefined ? '' : `:${port}`}/`;
            const refused = await guarded.client.putMirror(bucket, {
              rules: [{ id: 'internal', origins: [origin] }],
            });
            expect(refused.status, origin).toBe(400);
            expect(errorCode(refused)).toBe('InvalidMirrorConfiguration');
            expect(Buffer.from((await guarded.client.getMirror(bucket)).body).toString()).toBe(before);
          },
        ),
      );
    },
  );

  behaviour(
    'ssrf.resolved-refused',
    'an origin name that resolves to internal addresses fails with 424, is never connected to, and the 424 does not say what it resolves to',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, async (key) => {
          const bucket = await bucketOn(guarded);
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: 'internal data' });
          // localhost resolves to loopback: the name passes configuration, the address must not pass.
          await configure({ ...fixture, target: guarded }, bucket, [
            rule('named', [`http://localhost:${fixture.origin.port}${path}`]),
          ]);
          const result = await guarded.client.getObject(bucket, key);
          expectMirrorFailed(result);
          // The answer tells nothing of what the name resolves to, so a 424 is no DNS probe.
          expect(Buffer.from(result.body).toString(), 'the 424 body').not.toMatch(
            /127\.0\.0\.1|::1\b|resolves/,
          );
          expect(fixture.origin.requestsUnder(path)).toEqual([]);
          await expectNotStored({ ...fixture, target: guarded }, bucket, key);
        }),
      );
    },
  );

  behaviour(
    'ssrf.redirect-refused',
    'an origin redirect to an internal address fails with 424 and the address sees nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.constantFrom(301, 302, 303, 307, 308), async (key, status) => {
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, {
            redirect: { location: `${internal.url}${path}/secret`, status },
          });
          internal.scriptPrefix(path, { body: 'internal data' });

          // Where the address is allowed, the redirect is followed: the internal origin is reachable...
          const open = await fixture.bucket();
          await configure(fixture, open, [rule('all', [`${fixture.origin.url}${path}`])]);
          expect((await fixture.target.client.getObject(open, key)).status).toBe(200);
          const reached = internal.requestsUnder(path).length;
          expect(reached).toBe(1);

          // ...so refusing it is the protection at work, not an unreachable address.
          const bucket = await bucketOn(onlyFirstLoopback);
          await configure({ ...fixture, target: onlyFirstLoopback }, bucket, [
            rule('all', [`${fixture.origin.url}${path}`]),
          ]);
          expectMirrorFailed(await onlyFirstLoopback.client.getObject(bucket, key));
          expect(internal.requestsUnder(path)).toHaveLength(reached);
          await expectNotStored({ ...fixture, target: onlyFirstLoopback }, bucket, key);
        }),
      );
    },
  );
});
