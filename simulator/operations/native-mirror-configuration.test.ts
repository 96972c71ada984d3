// Each vendor's own rule API on the simulator in that vendor's profile, driven by the documents in
// spec/vendors/<vendor>/fixtures/: valid ones are taken and read back (natively and as neutral rules),
// invalid ones get the vendor's status and code and change nothing.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DialectId } from '../../spec/vendors/index.ts';
import { dialectFor, dialectIds, ruleApiFor, ruleApiPath } from '../../spec/vendors/index.ts';
import { createSimulator, type Simulator } from '../simulator.ts';

const VENDORS = new URL('../../spec/vendors/', import.meta.url);
const BUCKET = 'native-rules';

function fixtures(dialect: DialectId) {
  const folder = new URL(`${dialect}/fixtures/`, VENDORS);
  const names = readdirSync(folder);
  const read = (name: string) => readFileSync(new URL(name, folder), 'utf8');
  const expected = JSON.parse(read('invalid.json')) as Record<string, { status: number; code: string }>;
  return {
    valid: names.filter((name) => name.startsWith('valid-')).map((name) => ({ name, body: read(name) })),
    invalid: Object.entries(expected).map(([name, answer]) => ({ name, body: read(name), ...answer })),
  };
}

/** The vendor's rule API on the bucket, from its record (a region any path template takes). */
function nativePath(id: DialectId): string {
  return ruleApiPath(ruleApiFor(id).address, BUCKET, 'cn-north-1');
}

async function call(simulator: Simulator, method: string, target: string, body?: string) {
  const init: RequestInit = body === undefined ? { method } : { method, body };
  const response = await simulator.fetch(new Request(`http://127.0.0.1${target}`, init), { target });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

/**
 * The vendor's error code: `<Code>` of an S3-style XML error, the `Code` of its JSON form, or the
 * status word of an OpenAPI one.
 */
function errorCodeOf(text: string): string | undefined {
  const xml = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  if (xml !== undefined) return xml;
  try {
    const json = JSON.parse(text) as {
      error?: { status?: string; code?: unknown };
      code?: unknown;
      Code?: unknown;
    };
    const word = json.error?.status ?? json.error?.code ?? json.code ?? json.Code;
    return typeof word === 'string' ? word : undefined;
  } catch {
    return undefined;
  }
}

async function started(dialect: DialectId): Promise<Simulator> {
  const simulator = createSimulator({ profile: dialect });
  expect((await call(simulator, 'PUT', `/${BUCKET}`)).status).toBe(200);
  return simulator;
}

describe.each(dialectIds)('the %s rule API', (id) => {
  const dialect = dialectFor(id);
  const path = nativePath(id);
  const neutral = `/_mirrorspec/buckets/${BUCKET}/mirror`;
  const { valid, invalid } = fixtures(id);

  it.each(valid)('takes $name, reads it back natively, and the neutral API reads the same rules', async ({
    body,
  }) => {
    const simulator = await started(id);
    const put = await call(simulator, 'PUT', path, body);
    expect(put.status, put.text).toBe(dialect.putAnswer(false, 'x').status);
    const rules = await call(simulator, 'GET', neutral);
    expect(rules.status).toBe(200);
    const read = await call(simulator, 'GET', path);
    expect(read.status, read.text).toBe(200);
    expect(read.type).toContain(dialect.contentType.split(';')[0]);
    // What a GET answers can be put back (JD Cloud's rules sit in its answer's `result`), and changes nothing.
    const again = dialect.getAnswer ? JSON.stringify(JSON.parse(read.text).result) : read.text;
    expect((await call(simulator, 'PUT', path, again)).status).toBeLessThan(300);
    expect((await call(simulator, 'GET', neutral)).text).toBe(rules.text);
    await simulator.close();
  });

  it.each(invalid)('refuses $name with $status $code and keeps the rules in force', async (fixture) => {
    const simulator = await started(id);
    const first = valid[0];
    if (first === undefined) throw new Error(`spec/vendors/${id}/fixtures has no valid document`);
    expect((await call(simulator, 'PUT', path, first.body)).status).toBeLessThan(300);
    const before = await call(simulator, 'GET', neutral);
    const refused = await call(simulator, 'PUT', path, fixture.body);
    expect(refused.status, refused.text).toBe(fixture.status);
    expect(errorCodeOf(refused.text), refused.text).toBe(fixture.code);
    expect((await call(simulator, 'GET', neutral)).text).toBe(before.text);
    await simulator.close();
  });

  it('answers a GET without rules, and a DELETE removes them', async () => {
    const simulator = await started(id);
    const none = dialect.errors.noConfiguration(BUCKET);
    const missing = await call(simulator, 'GET', path);
    expect(missing.status).toBe(none.status);
    expect(errorCodeOf(missing.text)).toBe(none.code);
    const first = valid[0];
    if (first === undefined) throw new Error(`spec/vendors/${id}/fixtures has no valid document`);
    expect((await call(simulator, 'PUT', path, first.body)).status).toBeLessThan(300);
    expect((await call(simulator, 'DELETE', path)).status).toBe(dialect.deleteAnswer('x').status);
    expect((await call(simulator, 'GET', path)).status).toBe(none.status);
    expect((await call(simulator, 'GET', neutral)).status).toBe(404);
    await simulator.close();
  });

  it('is not spoken by a simulator in another profile', async () => {
    const simulator = createSimulator({ profile: id === 'oss' ? 'cos' : 'oss' });
    await call(simulator, 'PUT', `/${BUCKET}`);
    const answer = await call(simulator, 'PUT', path, valid[0]?.body ?? '');
    expect(answer.status).toBe(501);
    expect(answer.text).toMatch(new RegExp(`--profile ${id}`));
    await simulator.close();
  });
});

describe('rules written through the neutral API', () => {
  it('read back through a vendor API that cannot say them are 501 NotImplemented, naming the field', async () => {
    const simulator = await started('ks3');
    const rules = {
      rules: [{ id: 'jpg', origins: ['http://o.example/'], condition: { keySuffix: '.jpg' } }],
    };
    const put = await call(simulator, 'PUT', `/_mirrorspec/buckets/${BUCKET}/mirror`, JSON.stringify(rules));
    expect(put.status, put.text).toBe(200);
    const read = await call(simulator, 'GET', `/${BUCKET}?mirror`);
    expect(read.status).toBe(501);
    expect(errorCodeOf(read.text)).toBe('NotImplemented');
    expect(read.text).toMatch(/keySuffix/);
    await simulator.close();
  });
});
