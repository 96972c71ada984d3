// The inputs the fuzz targets are built from: pieces of requests (targets, hosts, methods, headers,
// signatures) in the shapes the parsers expect and around them, and mutations of known-good documents.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { headerSignatureSchemes } from '../../simulator/protocol/auth/header-signature.ts';
import { v4Algorithms } from '../../simulator/protocol/auth/v4-signature.ts';
import { vendorHeaderPrefixes, vendorPresignedParameters } from '../../spec/vendors/index.ts';

const SUBRESOURCES = [
  'uploads',
  'uploadId',
  'partNumber',
  'mirror',
  'website',
  'origin',
  'mirrorBackToSource',
  'acl',
  'list-type',
  'prefix',
  'start-after',
  'continuation-token',
  'max-keys',
  'versionId',
  'x-id',
  'X-Amz-Signature',
  'X-Amz-Credential',
  ...vendorPresignedParameters(),
];

/** Text that percent-encoding, dot segments and separators make interesting. */
export const pathPieceArb = fc.oneof(
  fc.constantFrom(
    '',
    '.',
    '..',
    '%2E%2E',
    '%2F',
    '%',
    '%zz',
    '%C0%AF',
    '%FF',
    '~',
    '+',
    ' ',
    '//',
    '_mirrorspec',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }).map((text) => encodeURIComponent(text)),
  fc.stringMatching(/^[a-z0-9.-]{1,70}$/),
);

export const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...SUBRESOURCES), fc.string({ maxLength: 8 })),
      fc.option(pathPieceArb),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([name, value]) => (value === null ? name : `${name}=${value}`)).join('&'));

export const targetArb = fc.oneof(
  fc
    .tuple(fc.array(pathPieceArb, { maxLength: 6 }), fc.option(queryArb))
    .map(([segments, query]) => `/${segments.join('/')}${query === null ? '' : `?${query}`}`),
  fc.constantFrom(
    '/_mirrorspec/health',
    '/_mirrorspec/buckets/b/prepush/pp-1',
    '/_mirrorspec/reset',
    '*',
    '',
  ),
  fc.string({ maxLength: 40 }),
);

export const hostArb = fc.oneof(
  fc.constantFrom(
    'localhost',
    '127.0.0.1:9000',
    'b.localhost',
    'B.LOCALHOST:1',
    '.localhost',
    'localhost.',
    '',
  ),
  fc.tuple(pathPieceArb, fc.constantFrom('.localhost', '')).map(([name, domain]) => `${name}${domain}`),
);

export const methodArb = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'get'),
  fc.stringMatching(/^[A-Za-z]{1,8}$/),
);

/** A header value Headers accepts: no NUL, CR or LF, no surrounding blanks trimmed away. */
export const headerValueArb = fc.oneof(
  fc.string({ maxLength: 40 }).map((text) => text.replace(/[\0\r\n]/g, '')),
  fc.constantFrom('', '20130524T000000Z', 'Fri, 24 May 2013 00:00:00 GMT', 'UNSIGNED-PAYLOAD', '0'),
);

const credentialArb = fc
  .tuple(
    fc.constantFrom('AKID', 'ak', ''),
    fc.constantFrom('20130524', '2013052', 'x'),
    fc.constantFrom('us-east-1', 'cn-north-1', ''),
    fc.constantFrom('s3', 'oss', 'x'),
    fc.constantFrom('aws4_request', 'request', ''),
  )
  .map((parts) => parts.join('/'));

const authorizationArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...v4Algorithms()),
      credentialArb,
      fc.constantFrom('host;x-amz-date', 'host', '', 'Host;;X-Amz-Date'),
      fc.stringMatching(/^[0-9a-f]{0,64}$/),
      fc.constantFrom(', ', ',', ' ', ',,'),
    )
    .map(
      ([algorithm, credential, signed, signature, comma]) =>
        `${algorithm} Credential=${credential}${comma}SignedHeaders=${signed}${comma}Signature=${signature}`,
    ),
  fc
    .tuple(
      fc.constantFrom(...headerSignatureSchemes()),
      fc.string({ maxLength: 10 }),
      fc.string({ maxLength: 30 }),
    )
    .map(([scheme, key, signature]) => `${scheme} ${key}:${signature}`),
  headerValueArb,
);

export const headersArb = fc
  .tuple(
    fc.option(authorizationArb),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'x-amz-date',
          'date',
          'x-amz-content-sha256',
          'x-amz-security-token',
          // Each vendor's date and nonce headers, named from its record's prefixes.
          ...vendorHeaderPrefixes().flatMap((prefix) => [`${prefix}date`, `${prefix}nonce`]),
          'content-md5',
          'content-type',
          'range',
          'x-amz-copy-source',
          'x-amz-meta-a',
          'x-amz-unknown',
        ),
        headerValueArb,
      ),
      { maxLength: 6 },
    ),
  )
  .map(([authorization, pairs]) => {
    const headers = new Headers();
    if (authorization !== null) headers.set('authorization', authorization.replace(/[\0\r\n]/g, ''));
    for (const [name, value] of pairs) headers.append(name, value);
    return headers;
  });

/** The vendors' own fixtures: valid and invalid rule bodies, which mutations start from. */
export function fixturesOf(dialect: string): string[] {
  const folder = join(import.meta.dirname, '../../spec/vendors', dialect, 'fixtures');
  try {
    return readdirSync(folder).map((name) => readFileSync(join(folder, name), 'utf8'));
  } catch {
    return [];
  }
}

/** A text bent by a few edits: cuts, repeats, insertions of markup or noise, swapped pieces. */
export function mutatedArb(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.constantFrom('cut', 'repeat', 'insert', 'replace'),
    fc.nat(),
    fc.nat({ max: 64 }),
    fc.oneof(
      fc.constantFrom(
        '<',
        '>',
        '</',
        '/>',
        '"',
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '&amp;',
        '&#0;',
        '<![CDATA[',
        'null',
        '-1',
        '1e999',
        '\uFEFF',
      ),
      fc.string({ maxLength: 12 }),
    ),
  );
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([seed, edits]) => {
      let text = seed;
      for (const [kind, at, length, piece] of edits) {
        const start = text.length === 0 ? 0 : at % text.length;
        const end = Math.min(text.length, start + length);
        if (kind === 'cut') text = text.slice(0, start) + text.slice(end);
        else if (kind === 'repeat') text = text.slice(0, end) + text.slice(start, end) + text.slice(end);
        else if (kind === 'insert') text = text.slice(0, start) + piece + text.slice(start);
        else text = text.slice(0, start) + piece + text.slice(end);
      }
      return text;
    });
}
