// Access control in-process: the edges of signature parsing that an SDK never produces.

import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../simulator.ts';
import { NodeSha256 } from './auth/node-sha256.ts';
import { errorCode as code, SIGNED_HOST as HOST, signedSimulator } from './signed-requests.ts';

const KEYS = { accessKeyId: 'unit-key', secretAccessKey: 'unit-secret' };
const { signer, signedHeaders, send } = signedSimulator(KEYS);

/** Signs `method target` in the Authorization header and sends it with the raw target as received. */
async function signed(method: string, target: string, headers: Record<string, string> = {}) {
  return send(method, target, await signedHeaders(method, target, headers));
}

describe('authenticate', () => {
  it('verifies the raw target: keys with dot segments and characters left unencoded', async () => {
    expect((await signed('PUT', '/unit-raw')).status).toBe(200);
    // The client signs the canonical (encoded) form of a path it sent with `(` and `)` unencoded.
    const put = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/unit-raw/a/../b%28c%29',
      query: {},
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const sent = await send('PUT', '/unit-raw/a/../b(c)', put.headers);
    expect(sent.status).toBe(200);
    const listed = await signed('GET', '/unit-raw?list-type=2');
    expect(await listed.text()).toContain('<Key>a/../b(c)</Key>');
  });

  it('verifies a header value sent as UTF-8 bytes (botocore) and one sent as Latin-1 (Node http)', async () => {
    expect((await signed('PUT', '/unit-utf8')).status).toBe(200);
    const text = 'Hello World\u00e9';
    const headers = await signedHeaders('PUT', '/unit-utf8/k', { 'x-amz-meta-meta1': text });
    // A Node server reads each byte as one Latin-1 character: UTF-8 é arrives as two of them.
    const asUtf8 = Buffer.from(text, 'utf8').toString('latin1');
    const botocore = await send('PUT', '/unit-utf8/k', { ...headers, 'x-amz-meta-meta1': asUtf8 });
    expect(botocore.status, await botocore.clone().text()).toBe(200);
    const node = await send('PUT', '/unit-utf8/k', headers);
    expect(node.status, await node.clone().text()).toBe(200);
  });

  it('refuses an Authorization header and a presigned query together', async () => {
    const response = await signed('GET', '/?X-Amz-Signature=00');
    expect(response.status).toBe(400);
    expect(await code(response)).toBe('InvalidArgument');
  });

  it('refuses a header-signed request without x-amz-date or x-amz-content-sha256', async () => {
    const request = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      query: {},
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const { 'x-amz-date': _date, ...withoutDate } = request.headers;
    expect(await code(await send('GET', '/', withoutDate))).toBe('AccessDenied');
    const { 'x-amz-content-sha256': _hash, ...withoutHash } = request.headers;
    expect(await code(await send('GET', '/', withoutHash))).toBe('InvalidRequest');
  });

  it('refuses another algorithm and another service', async () => {
    // `AWS ak:signature` is Signature Version 2, verified since vendor header signatures were accepted.
    expect(await code(await send('GET', '/', { authorization: 'Bearer dW5pdC1rZXk=' }))).toBe(
      'InvalidArgument',
    );
    const other = new SignatureV4({
      credentials: KEYS,
      region: 'us-east-1',
      service: 'sts',
      sha256: NodeSha256,
    });
    const request = await other.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      query: {},
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(await code(await send('GET', '/', request.headers))).toBe('InvalidArgument');
  });

  it('stores x-amz-acl and refuses ACLs it does not implement, creating nothing', async () => {
    expect((await signed('PUT', '/unit-acl', { 'x-amz-acl': 'public-read' })).status).toBe(200);
    expect((await send('HEAD', '/unit-acl/missing', {})).status).toBe(404);
    expect(await code(await signed('PUT', '/unit-rw', { 'x-amz-acl': 'authenticated-read' }))).toBe(
      'NotImplemented',
    );
    expect(await code(await signed('PUT', '/unit-rw', { 'x-amz-acl': 'everyone' }))).toBe('InvalidArgument');
    expect((await signed('HEAD', '/unit-rw')).status).toBe(404);
  });

  it('lets anyone do anything when the simulator has no credentials', async () => {
    const open = createSimulator();
    const put = await open.fetch(new Request('http://127.0.0.1:9000/unit-open', { method: 'PUT' }));
    expect(put.status).toBe(200);
    const list = await open.fetch(new Request('http://127.0.0.1:9000/'));
    expect(await list.text()).toContain('<Name>unit-open</Name>');
    await open.close();
  });
});
