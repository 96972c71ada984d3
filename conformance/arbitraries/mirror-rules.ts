// Valid neutral mirror configurations, and ways to break one.

import fc from 'fast-check';
import type { Profile } from '../../spec/profiles.ts';
import { reservedHostArb } from './hosts.ts';

const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const originArb = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    reservedHostArb,
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    fc.constantFrom('', '/', '/base', '/a/b/'),
  )
  .map(([scheme, host, port, path]) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}${path}`);
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,10}$/);

const ruleArb = fc.record(
  {
    id: idArb,
    condition: fc.record(
      { keyPrefix: fc.string({ maxLength: 8 }), keySuffix: fc.string({ maxLength: 8 }) },
      { requiredKeys: [] },
    ),
    mode: fc.constantFrom('mirror', 'redirect-async', 'redirect'),
    origins: fc.array(originArb, { minLength: 1, maxLength: 3 }),
    keyRewrite: fc.oneof(
      fc.record({ replacePrefixWith: fc.string({ maxLength: 8 }) }),
      fc.record({ replaceKeyWith: fc.constantFrom('${key}', 'p/${key}.s') }),
    ),
    passQueryString: fc.boolean(),
    followRedirects: fc.boolean(),
    headers: fc.record(
      {
        passAll: fc.boolean(),
        pass: fc.array(headerName, { maxLength: 3 }),
        remove: fc.array(headerName, { maxLength: 3 }),
        set: fc.array(fc.record({ name: headerName, value: fc.stringMatching(/^[ -~]{0,12}$/) }), {
          maxLength: 3,
        }),
      },
      { requiredKeys: [] },
    ),
    writeBack: fc.boolean(),
    checkMd5: fc.boolean(),
    acl: fc.constantFrom('private', 'public-read', 'public-read-write'),
    triggerOnHead: fc.boolean(),
  },
  { requiredKeys: ['id', 'origins'] },
);

export const configurationArb = fc
  .uniqueArray(ruleArb, { minLength: 0, maxLength: 8, selector: (rule) => rule.id })
  .map((rules) => ({ rules }));

/**
 * Configurations a profile accepts: at most its rule limit, http origins only where https is refused
 * (US3, seed 002), and where prefixes must differ or not nest (US3, OBS [obs-api]) each rule's prefix
 * starts with a segment of its own, `r<index>/`.
 */
export function configurationArbFor(profile: Pick<Profile, 'limits' | 'switches'>) {
  const { prefixRules, httpsOrigins } = profile.switches;
  return configurationArb.map(({ rules }) => ({
    rules: rules.slice(0, profile.limits.maxRules).map((rule, index) => ({
      ...rule,
      ...(prefixRules === 'any'
        ? {}
        : { condition: { ...rule.condition, keyPrefix: `r${index}/${rule.condition?.keyPrefix ?? ''}` } }),
      ...(httpsOrigins === 'refused'
        ? { origins: rule.origins.map((origin) => origin.replace(/^https:/, 'http:')) }
        : {}),
    })),
  }));
}

type Document = { rules: Record<string, unknown>[] };

/** One way of making a valid document invalid, with a name for the report. */
interface Breakage {
  name: string;
  body: (valid: Document) => string | Uint8Array;
}

const json = (document: unknown) => JSON.stringify(document);
const firstRule = (valid: Document) => valid.rules[0] ?? { id: 'only', origins: ['http://origin.invalid/'] };
const withFirst = (valid: Document, change: Record<string, unknown>) =>
  json({ rules: [{ ...firstRule(valid), ...change }, ...valid.rules.slice(1)] });

export const breakageArb: fc.Arbitrary<Breakage> = fc.oneof(
  fc.constant<Breakage>({ name: 'unknown top-level field', body: (v) => json({ ...v, extra: true }) }),
  fc.constant<Breakage>({
    name: 'unknown rule field',
    body: (v) => withFirst(v, { mirrorURL: 'http://a.invalid/' }),
  }),
  fc.constant<Breakage>({
    name: 'too many rules',
    body: () =>
      json({
        rules: Array.from({ length: 21 }, (_, i) => ({ id: `r${i}`, origins: ['http://origin.invalid/'] })),
      }),
  }),
  fc
    .constantFrom(
      'ftp://origin.invalid/',
      'origin.invalid',
      'http://user:pw@origin.invalid/',
      'http://origin.invalid/?q=1',
      'http://origin.invalid/#f',
      'http://',
      '',
    )
    .map(
      (origin): Breakage => ({
        name: `bad origin URL '${origin}'`,
        body: (v) => withFirst(v, { origins: [origin] }),
      }),
    ),
  fc.constantFrom('x-a\r\nx-b', 'x-a\n', 'bad name', 'x:y', '').map(
    (name): Breakage => ({
      name: `bad header name ${JSON.stringify(name)}`,
      body: (v) => withFirst(v, { headers: { set: [{ name, value: 'v' }] } }),
    }),
  ),
  fc.constantFrom('v\r\nx-injected: 1', 'v\n', 'v\r', 'a\u0000b').map(
    (value): Breakage => ({
      name: `header value with ${JSON.stringify(value)}`,
      body: (v) => withFirst(v, { headers: { set: [{ name: 'x-a', value }] } }),
    }),
  ),
  fc.constant<Breakage>({
    name: 'a never-forwarded header in set',
    body: (v) => withFirst(v, { headers: { set: [{ name: 'Authorization', value: 'x' }] } }),
  }),
  fc.constant<Breakage>({
    name: 'duplicate rule ids',
    body: (v) => json({ rules: [firstRule(v), firstRule(v)] }),
  }),
  fc.constant<Breakage>({ name: 'bad rule id', body: (v) => withFirst(v, { id: 'has space' }) }),
  fc.constant<Breakage>({ name: 'unknown mode', body: (v) => withFirst(v, { mode: 'proxy' }) }),
  fc.constant<Breakage>({ name: 'no origins', body: (v) => withFirst(v, { origins: [] }) }),
  fc.constant<Breakage>({
    name: 'both rewrites',
    body: (v) => withFirst(v, { keyRewrite: { replacePrefixWith: 'a', replaceKeyWith: 'b' } }),
  }),
  fc.integer({ min: 1, max: 40 }).map(
    (cut): Breakage => ({
      name: `JSON cut after ${cut} characters`,
      body: (v) => json(v).slice(0, Math.min(cut, json(v).length - 1)),
    }),
  ),
  fc.constant<Breakage>({ name: 'not JSON', body: () => '<WebsiteConfiguration/>' }),
  fc.constant<Breakage>({
    name: 'invalid UTF-8',
    body: () => Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  }),
  fc.constant<Breakage>({ name: 'JSON array', body: () => '[]' }),
  fc.constant<Breakage>({
    name: 'body over 128 KiB',
    body: (v) => json({ ...v, pad: 'x'.repeat(130 * 1024) }),
  }),
);
