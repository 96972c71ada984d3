import fc from 'fast-check';

/** An origin object: its size (0 to a few chunks) and the seed of its bytes. */
export const bodyArb = fc.record({
  size: fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 4096 }) },
    { weight: 2, arbitrary: fc.integer({ min: 4097, max: 300_000 }) },
  ),
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
});

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);

/** The headers an origin sends that a mirror must relay and store, each present or not. */
export const storedHeadersArb = fc.record(
  {
    'content-type': fc.constantFrom(
      'image/png',
      'text/plain; charset=utf-8',
      'application/json',
      'video/mp4',
    ),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
    'content-disposition': token.map((name) => `attachment; filename="${name}.bin"`),
    'cache-control': fc.constantFrom('no-cache', 'max-age=60', 'public, max-age=31536000, immutable'),
    expires: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true })
      .map((d) => d.toUTCString()),
  },
  { requiredKeys: [] },
);

/** Ways an origin fetch fails that must end in 424 (or a cut connection) and store nothing. */
export type Failure =
  | { kind: 'status'; status: number }
  | { kind: 'refused' }
  | { kind: 'timeout' }
  | { kind: 'short-body'; size: number; missing: number }
  | { kind: 'reset'; size: number; after: number };

export const failureArb: fc.Arbitrary<Failure> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.integer({ min: 400, max: 599 }), fc.constantFrom(201, 202, 203, 204, 205, 300, 304))
      .filter((status) => status !== 404)
      .map((status) => ({ kind: 'status' as const, status })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'refused' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'timeout' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ size: fc.integer({ min: 0, max: 200_000 }), missing: fc.integer({ min: 1, max: 10_000 }) })
      .map((shape) => ({ kind: 'short-body' as const, ...shape })),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 2, max: 200_000 })
      .chain((size) => fc.record({ size: fc.constant(size), after: fc.integer({ min: 0, max: size - 1 }) }))
      .map((shape) => ({ kind: 'reset' as const, ...shape })),
  },
);
