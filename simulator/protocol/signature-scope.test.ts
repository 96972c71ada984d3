// What a SigV4 signature authorises, end to end in-process: a header added after signing, or a signature
// for one operation sent as another, is refused and changes nothing.

import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../simulator.ts';
import { NodeSha256 } from './auth/node-sha256.ts';

const KEYS = { accessKeyId: 'scope-key', secretAccessKey: 'scope-secret' };
const HOST = '127.0.0.1:9000';
const simulator = createSimulator({ credentials: KEYS });
const signer = new SignatureV4({
  credentials: KEYS,
  region: 'us-east-1',
  service: 's3',
  sha256: NodeSha256,
  uriEscapePath: false,
});

async function signedHeaders(method: string, path: string, headers: Record<string, string> = {}) {
  const request = await signer.sign({
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9000,
    path,
    headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
  });
  return request.headers;
}

function send(method: string, target: string, headers: Record<string, string>) {
  return simulator.fetch(new Request(`http://${HOST}/`, { method, headers }), { target });
}

async function code(response: Response): Promise<string | undefined> {
  return /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
}

describe('a SigV4 signature', () => {
  it('does not cover an x-amz-* header added after signing: the request is refused and makes nothing', async () => {
    const headers = await signedHeaders('PUT', '/scoped-acl');
    const response = await send('PUT', '/scoped-acl', { ...headers, 'x-amz-acl': 'public-read' });
    expect(response.status).toBe(403);
    expect(await code(response)).toBe('AccessDenied');
    const listed = await send('GET', '/', await signedHeaders('GET', '/'));
    expect(await listed.text()).not.toContain('scoped-acl');
  });

  it('accepts the same request with the header signed', async () => {
    const headers = await signedHeaders('PUT', '/scoped-signed', { 'x-amz-acl': 'public-read' });
    expect((await send('PUT', '/scoped-signed', headers)).status).toBe(200);
  });
});
