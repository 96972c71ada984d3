// What PutBucketMirror refuses whatever the profile: malformed origins, two key rewrites at once,
// oversized header policies, bad or repeated rule ids, and origins that loop back to the bucket.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { reservedHostArb } from '../arbitraries/hosts.ts';
import { behaviour } from '../support/behaviour.ts';
import { expectConfigVerdict } from '../support/config-verdict.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();
const httpsRefused = () => fixture.target.capabilities.profile.switches.httpsOrigins === 'refused';

/**
 * A host name of exactly `length` characters, in labels of at most 63, under `.invalid` so that nothing
 * can resolve it.
 */
function hostOfLength(length: number): string {
  const suffix = '.invalid';
  const labels: string[] = [];
  let remaining = length - suffix.length;
  for (; remaining > 63; remaining -= 63) labels.push('a'.repeat(62));
  return `${[...labels, 'b'.repeat(remaining)].join('.')}${suffix}`;
}

/** One part of an origin URL, and whether it makes the URL unacceptable on its own. */
type Part = { text: string; bad: boolean };
const part = (text: string, bad = false): Part => ({ text, bad });

const schemeArb = fc.constantFrom(
  part('http://'),
  part('https://'),
  part('HTTP://'),
  part('ftp://', true),
  part('file://', true),
  part('', true),
);
const userinfoArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(part('')) },
  { weight: 1, arbitrary: fc.constantFrom(part('user@', true), part('user:secret@', true)) },
);
const hostArb = fc.oneof(
  { weight: 4, arbitrary: reservedHostArb.map((host) => part(host)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(part(hostOfLength(256)), part(hostOfLength(257), true)),
  },
);
const portArb = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const pathArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(part(''), part('/'), part('/base'), part('/a/b/')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(part(`/${'p'.repeat(1023)}`), part(`/${'p'.repeat(1024)}`, true)),
  },
);
const tailArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(part('')) },
  { weight: 1, arbitrary: fc.constantFrom(part('?q=1', true), part('?', true), part('#frag', true)) },
);

describe('origin URLs', () => {
  behaviour(
    'config.origin-url-form',
    'origins must be absolute http(s) URLs without user, query or fragment, host at most 256 and path at most 1024 characters',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(schemeArb, userinfoArb, hostArb, portArb, pathArb, tailArb), {
            minLength: 1,
            maxLength: 3,
          }),
          async (shapes) => {
            const origins = shapes.map(([scheme, user, host, port, path, tail]) => ({
              url: `${scheme.text}${user.text}${host.text}${port === undefined ? '' : `:${port}`}${path.text}${tail.text}`,
              bad:
                scheme.bad ||
                user.bad ||
                host.bad ||
                path.bad ||
                tail.bad ||
                (httpsRefused() && scheme.text === 'https://'),
            }));
            const accepted = origins.every(({ bad }) => !bad);
            await expectConfigVerdict(
              fixture,
              {
                rules: [
                  rule(
                    'origin-form',
                    origins.map(({ url }) => url),
                  ),
                ],
              },
              accepted,
              { why: JSON.stringify(origins.map(({ url }) => url.slice(0, 80))) },
            );
          },
        ),
      );
    },
  );
});

describe('key rewrites', () => {
  behaviour(
    'config.rewrite-exclusive',
    'a key rewrite replaces the prefix or the whole key, never both and never neither',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            { replacePrefixWith: fc.string({ maxLength: 8 }), replaceKeyWith: fc.string({ maxLength: 12 }) },
            { requiredKeys: [] },
          ),
          fc.boolean(),
          async (keyRewrite, withPrefix) => {
            const accepted = Object.keys(keyRewrite).length === 1;
            const document = {
              rules: [
                rule('rewrite', ['http://rewrite.invalid/'], {
                  keyRewrite,
                  ...(withPrefix ? { condition: { keyPrefix: 'abc/' } } : {}),
                }),
              ],
            };
            await expectConfigVerdict(fixture, document, accepted, { why: JSON.stringify(keyRewrite) });
          },
        ),
      );
    },
  );
});

const goodNameArb = fc.oneof(
  // Never x-amz-*, x-oss-* or x-drs-*: those can never be set (origin.credentials-never-forwarded).
  fc
    .stringMatching(/^x-[a-z0-9-]{1,12}$/)
    .filter((name) => !/^x-(amz|oss|drs)-/.test(name)),
  fc.constantFrom("x-!#$%&'*+.^_`|~", `x-${'n'.repeat(1022)}`),
);
const badNameArb = fc.constantFrom('bad name', 'x:y', '', 'x-é', 'x\ty', `x-${'n'.repeat(1023)}`);
const nameArb = fc.oneof(
  { weight: 9, arbitrary: goodNameArb.map((name) => part(name)) },
  { weight: 1, arbitrary: badNameArb.map((name) => part(name, true)) },
);
const valueArb = fc.oneof(
  { weight: 9, arbitrary: fc.stringMatching(/^[ -~]{0,16}$/).map((value) => part(value)) },
  { weight: 1, arbitrary: fc.constant(part('v'.repeat(1024))) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('a\r\nx-injected: 1', 'a\n', 'a\r', 'a\u0000b', 'v'.repeat(1025))
      .map((value) => part(value, true)),
  },
);
const listArb = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 12 });

describe('header policies', () => {
  behaviour(
    'config.header-limits',
    'at most 10 pass, remove and set entries, names that are HTTP tokens of at most 1024 bytes, set values without CR, LF or NUL',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          listArb(nameArb),
          listArb(nameArb),
          listArb(fc.tuple(nameArb, valueArb)),
          async (pass, remove, set) => {
            const parts = [...pass, ...remove, ...set.flat()];
            const accepted =
              pass.length <= 10 && remove.length <= 10 && set.length <= 10 && parts.every(({ bad }) => !bad);
            const headers = {
              pass: pass.map(({ text }) => text),
              remove: remove.map(({ text }) => text),
              set: set.map(([name, value]) => ({ name: name.text, value: value.text })),
            };
            const why = `${pass.length}/${remove.length}/${set.length} entries, bad: ${JSON.stringify(
              parts.filter(({ bad }) => bad).map(({ text }) => text.slice(0, 20)),
            )}`;
            await expectConfigVerdict(
              fixture,
              { rules: [rule('headers', ['http://headers.invalid/'], { headers })] },
              accepted,
              { why },
            );
          },
        ),
      );
    },
  );
});

const idArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/).map((id) => part(id)) },
  { weight: 1, arbitrary: fc.constant(part('i'.repeat(256))) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('', 'has space', 'dot.id', 'é', 'a/b', 'i'.repeat(257), 'tab\t', 'new\nline')
      .map((id) => part(id, true)),
  },
);

describe('rule ids', () => {
  behaviour(
    'config.id-format',
    'a rule id is 1 to 256 letters, digits, _ and -, and no two rules share one',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(idArb, { minLength: 1, maxLength: 4 }),
          fc.option(fc.nat(), { nil: undefined }),
          async (ids, repeat) => {
            // Sometimes one rule takes an earlier rule's id.
            const chosen = ids.map((id, i) =>
              repeat !== undefined && i > 0 && repeat % 2 === 0 ? (ids[repeat % i] ?? id) : id,
            );
            const texts = chosen.map(({ text }) => text);
            const accepted = chosen.every(({ bad }) => !bad) && new Set(texts).size === texts.length;
            // A prefix of its own per rule, so no profile's prefix switch has a say.
            const rules = texts.map((id, i) =>
              rule(id, ['http://ids.invalid/'], { condition: { keyPrefix: `p${i}/` } }),
            );
            await expectConfigVerdict(fixture, { rules }, accepted, { why: JSON.stringify(texts) });
          },
        ),
      );
    },
  );
});

describe('loops', () => {
  behaviour(
    'config.self-origin',
    'a bucket cannot be its own origin at this endpoint, nor lead back to itself through other buckets; a one-way chain is fine',
    async () => {
      const endpoint = new URL(fixture.target.endpoint);
      // How a bucket is named virtual-hosted at this endpoint: under its host name, or under localhost
      // when the endpoint is a loopback address (RFC 6761 reserves localhost for loopback).
      const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\])$/.test(endpoint.hostname);
      const domain = loopback ? 'localhost' : endpoint.hostname;
      const at = (bucket: string, style: 'path' | 'virtual', path: string) =>
        style === 'path'
          ? `${endpoint.origin}/${bucket}${path}`
          : `${endpoint.protocol}//${bucket}.${domain}${endpoint.port ? `:${endpoint.port}` : ''}${path}`;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }),
          fc.constantFrom<'path' | 'virtual'>('path', 'virtual'),
          fc.constantFrom('', '/', '/img/'),
          fc.boolean(),
          async (ring, style, path, alongside) => {
            const buckets: string[] = [];
            for (let i = 0; i < ring; i++) buckets.push(await fixture.bucket());
            // Each bucket's origin is the next one: a one-way chain, accepted.
            for (let i = 0; i + 1 < ring; i++) {
              const origins = [at(buckets[i + 1] ?? '', style, path)];
              await expectConfigVerdict(fixture, { rules: [rule('next', origins)] }, true, {
                bucket: buckets[i] ?? '',
                why: 'a one-way chain',
              });
            }
            // Closing the ring, the last bucket's origin is the first: refused, also among other origins.
            const closing = at(buckets[0] ?? '', style, path);
            const origins = alongside ? ['http://elsewhere.invalid/', closing] : [closing];
            const message = await expectConfigVerdict(fixture, { rules: [rule('back', origins)] }, false, {
              bucket: buckets[ring - 1] ?? '',
              why: ring === 1 ? 'the bucket itself' : `a ring of ${ring} buckets`,
            });
            expect(message).toContain(buckets[0]);
          },
        ),
      );
    },
  );
});
