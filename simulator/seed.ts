// Puts buckets, mirror rules and objects into a simulator before a test, through the simulator's own
// fetch: the same checks apply as over HTTP, and a refused step throws with the simulator's message.

import { createRequire } from 'node:module';
import type { SignatureV4 as SignatureV4Class } from '@smithy/signature-v4';
import type { MirrorRuleDocument } from '../spec/model.ts';
import { NodeSha256 } from './protocol/auth/node-sha256.ts';
import type { Credentials } from './protocol/authenticate.ts';
import type { Simulator } from './simulator.ts';

export interface SeedBucket {
  /** The bucket's mirror configuration, as neutral rule documents (`PUT /_mirrorspec/buckets/{bucket}/mirror`). */
  rules?: MirrorRuleDocument[];
  /** Objects stored in the bucket before any test reads it, by key. */
  objects?: Record<string, string | Uint8Array>;
}

export interface Seed {
  /** Buckets to create, by name; creating one that exists is refused (reset the simulator first). */
  buckets: Record<string, SeedBucket>;
  /**
   * The address the simulator is known by (`running.endpoint`, or the msw endpoint), so that a rule whose
   * origin is the simulator itself is refused as it would be over HTTP. Default http://mirrorspec.invalid.
   */
  endpoint?: string;
  /** The simulator's credentials, when it was created with some: every step is then signed (SigV4). */
  credentials?: Credentials;
}

/** Creates each bucket, then writes its rules and its objects, in the order given. */
export async function seedSimulator(simulator: Simulator, seed: Seed): Promise<void> {
  const base = new URL(seed.endpoint ?? 'http://mirrorspec.invalid');
  const put = async (target: string, step: string, body?: string | Uint8Array) => {
    const headers = seed.credentials ? await signedPutHeaders(seed.credentials, base, target) : {};
    // A copy: BodyInit takes only bytes backed by an ArrayBuffer, not any Uint8Array.
    const payload = body === undefined || typeof body === 'string' ? (body ?? null) : new Uint8Array(body);
    const request = new Request(new URL(target, base), { method: 'PUT', headers, body: payload });
    const response = await simulator.fetch(request, { target });
    if (!response.ok) {
      throw new Error(
        `seeding ${step} was refused (${response.status}): ${errorMessage(await response.text())}`,
      );
    }
    await response.body?.cancel();
  };
  for (const [bucket, { rules, objects }] of Object.entries(seed.buckets)) {
    const name = encodeURIComponent(bucket);
    await put(`/${name}`, `the bucket '${bucket}'`);
    if (rules !== undefined) {
      const configuration = JSON.stringify({ rules });
      await put(`/_mirrorspec/buckets/${name}/mirror`, `the rules of '${bucket}'`, configuration);
    }
    for (const [key, body] of Object.entries(objects ?? {})) {
      const path = key.split('/').map(encodeURIComponent).join('/');
      await put(`/${name}/${path}`, `the object '${key}' of '${bucket}'`, body);
    }
  }
}

/** The Message of the simulator's error document (which escapes as `&#NN;`), else the body as it is. */
function errorMessage(body: string): string {
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1];
  return (
    message?.replace(/&#(\d+);/g, (_reference, code: string) => String.fromCharCode(Number(code))) ?? body
  );
}

async function signedPutHeaders(
  credentials: Credentials,
  base: URL,
  target: string,
): Promise<Record<string, string>> {
  // Loaded when a seed is signed, not with the package's entry (startup-bench.ts).
  const { SignatureV4 } = createRequire(import.meta.url)('@smithy/signature-v4') as {
    SignatureV4: typeof SignatureV4Class;
  };
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: 'PUT',
    protocol: base.protocol,
    hostname: base.host,
    path: target,
    query: {},
    headers: { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return signed.headers;
}
