// The shape every configuration-check law shares: a bucket with a configuration every profile accepts,
// then the document under test, accepted (and read back as written) or refused with 400 (and the first
// configuration still in force).

import { expect } from 'vitest';
import { errorCode, errorMessage } from '../client/http-client.ts';
import type { LawFixture } from './law-fixture.ts';
import { requireNeutralApi, rule } from './mirror-laws.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** One rule, one http origin, its own prefix: valid under every profile. */
const BASELINE_CONFIGURATION = {
  rules: [rule('baseline', ['http://baseline.example/'], { condition: { keyPrefix: 'b/' } })],
};

/**
 * Writes the baseline to a new bucket (or `bucket`), then `document`. Accepted, the rules read back by id
 * as written; refused, it is 400 InvalidMirrorConfiguration and the baseline is unchanged. Returns the
 * refusal's message ('' when accepted).
 */
export async function expectConfigVerdict(
  fixture: LawFixture,
  document: unknown,
  accepted: boolean,
  options: { bucket?: string; why?: string } = {},
): Promise<string> {
  requireNeutralApi(fixture);
  const bucket = options.bucket ?? (await fixture.bucket());
  const client = fixture.target.client;
  expect((await client.putMirror(bucket, BASELINE_CONFIGURATION)).status).toBe(200);
  const before = text((await client.getMirror(bucket)).body);
  const result = await client.putMirror(bucket, document);
  const after = text((await client.getMirror(bucket)).body);
  const why = options.why ?? `under the ${fixture.target.capabilities.profile.id} profile`;
  if (accepted) {
    expect(result.status, `accepted ${why}: ${text(result.body)}`).toBe(200);
    const ids = (JSON.parse(after) as { rules: { id: string }[] }).rules.map(({ id }) => id);
    expect(ids).toEqual((document as { rules: { id: string }[] }).rules.map(({ id }) => id));
    return '';
  }
  expect(result.status, `refused ${why}`).toBe(400);
  expect(errorCode(result)).toBe('InvalidMirrorConfiguration');
  expect(after, 'a refused configuration changes nothing').toBe(before);
  return errorMessage(result) ?? '';
}
