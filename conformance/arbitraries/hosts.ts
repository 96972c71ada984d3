// Host names and URLs for origins and redirect Locations a law makes up. Every one is a name that can
// never resolve on the internet (`.invalid` and `.test`, reserved by RFC 2606 and RFC 6761) or a
// loopback address, so a target that follows a generated redirect or fetches a generated origin, as a
// broken one may, never makes the suite reach the network (issue 10, point 6).

import fc from 'fast-check';

/** The top-level names RFC 6761 reserves and no resolver may answer with a public address. */
const RESERVED_TLDS = ['invalid', 'test'] as const;

// No `--`: a label like `xn--h` is punycode, and a malformed one makes the URL unparsable.
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,7}(?:-[a-z0-9]{1,7})?$/);

/** `origin.invalid`, `a-1.b.test`: one to three labels under a reserved top-level name. */
export const reservedHostArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom(...RESERVED_TLDS))
  .map(([labels, tld]) => [...labels, tld].join('.'));

const pathSegment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,10}$/);
const queryPart = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), fc.stringMatching(/^[A-Za-z0-9._~-]{0,8}$/))
  .map(([name, value]) => `${name}=${value}`);

/**
 * Absolute http(s) URLs on reserved hosts, with a port, path and query or not: the Locations of
 * redirects a target must relay without following.
 */
export const reservedUrlArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    reservedHostArb,
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    fc.array(pathSegment, { maxLength: 4 }),
    fc.array(queryPart, { maxLength: 3 }),
  )
  .map(
    ([scheme, host, port, segments, query]) =>
      `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${segments.join('/')}${query.length === 0 ? '' : `?${query.join('&')}`}`,
  );
