// A simulator started with credentials, spoken to the way the vendors' clients speak: Alibaba's own SDK
// (ali-oss, OSS V1 signatures), requests signed as KS3's and OBS's SDKs sign them, and JD Cloud's
// OpenAPI signature. Each is accepted with the right secret and refused with a wrong one.

import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keys } from '../../conformance/client/signed-fetch.ts';
import {
  signRequest,
  signV1,
  signV4,
  type V1Options,
  type VendorRequest,
} from '../../conformance/client/vendor-signing.ts';
import { ruleApiFor, vendorFor, vendorIds } from '../../spec/vendors/index.ts';
import type { HmacSha1Scheme, SignatureScheme, V4Scheme } from '../../spec/vendors/vendor.ts';
import { type RunningSimulator, startSimulator } from '../index.ts';

/** The part of ali-oss 6.x used here (the package ships no types). */
interface AliOss {
  putBucket(name: string): Promise<{ res: { status: number } }>;
  put(name: string, content: Buffer): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ res: { status: number }; content: Buffer }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

const signKs3 = (request: VendorRequest, keys: Keys, options?: V1Options) =>
  signV1(vendorFor('ks3').signature as HmacSha1Scheme, request, keys, options);
const signObs = (request: VendorRequest, keys: Keys, options?: V1Options) =>
  signV1(vendorFor('obs').signature as HmacSha1Scheme, request, keys, options);
const signJdcloud = (request: VendorRequest, keys: Keys) =>
  signV4(ruleApiFor('jdcloud').signature as V4Scheme, request, keys);

const KEYS = { accessKeyId: 'vendor-key', secretAccessKey: 'vendor-secret' };
const WRONG = { ...KEYS, secretAccessKey: 'not-the-secret' };
const AUTH_ERRORS = ['AccessDenied', 'SignatureDoesNotMatch', 'InvalidAccessKeyId'];

let running: RunningSimulator;
beforeAll(async () => {
  // The SigV4 schemes below sign for cn-north-1, the region a SigV4 scope must then name.
  running = await startSimulator({ credentials: KEYS, region: 'cn-north-1' });
});
afterAll(async () => {
  await running.close();
});

/**
 * Names under .localhost are loopback (RFC 6761 §6.3) but not every resolver says so; this agent does,
 * so virtual-hosted requests reach the simulator with their `<bucket>.localhost` Host intact.
 */
const loopback = new Agent({
  lookup: (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  },
});

function aliOss(bucket: string, secret: string, addressing: 'virtual-hosted' | 'path-style'): AliOss {
  const common = { accessKeyId: KEYS.accessKeyId, accessKeySecret: secret, bucket, secure: false };
  return addressing === 'virtual-hosted'
    ? // The default: the bucket becomes the first label of the endpoint's host.
      new OSS({ ...common, endpoint: `http://localhost:${running.port}`, agent: loopback })
    : // sldEnable puts the bucket in the path. With an IP endpoint ali-oss sends Host
      // `<bucket>.oss-cn-hangzhou.aliyuncs.com`, a domain the simulator does not treat as virtual-hosted.
      new OSS({ ...common, endpoint: `http://127.0.0.1:${running.port}`, sldEnable: true });
}

async function ossFailure(call: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await call;
  } catch (error) {
    const { status, code } = error as { status: number; code: string };
    return { status, code };
  }
  throw new Error('the call succeeded');
}

interface Sent {
  status: number;
  body: string;
}

/** Sends to the simulator on 127.0.0.1 with the URL's host as Host and its target exactly as written. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Sent> {
  const match = /^http:\/\/([^/]+)(\/.*)$/.exec(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: running.port,
        method,
        path: match?.[2] ?? '/',
        headers: { host: match?.[1] ?? '', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

type V1Signer = (request: VendorRequest, keys: typeof KEYS, options?: V1Options) => Record<string, string>;

function sendSigned(
  sign: V1Signer,
  keys: typeof KEYS,
  method: string,
  url: string,
  options: V1Options = {},
  body?: string,
): Promise<Sent> {
  const headers = sign({ method, url, ...(body === undefined ? {} : { body }) }, keys, options);
  return send(url, method, headers, body);
}

function code(sent: Sent): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(sent.body)?.[1];
}

describe('vendor signatures against a simulator with credentials', () => {
  it('lets the ali-oss SDK create a bucket, put and get an object, virtual-hosted on <bucket>.localhost', async () => {
    const client = aliOss('ali-virtual', KEYS.secretAccessKey, 'virtual-hosted');
    expect((await client.putBucket('ali-virtual')).res.status).toBe(200);
    expect((await client.put('dir/a b+c(1).txt', Buffer.from('hello oss'))).res.status).toBe(200);
    const got = await client.get('dir/a b+c(1).txt');
    expect(got.res.status).toBe(200);
    expect(String(got.content)).toBe('hello oss');
  });

  it('lets the ali-oss SDK create a bucket, put and get an object path-style', async () => {
    const client = aliOss('ali-path', KEYS.secretAccessKey, 'path-style');
    expect((await client.putBucket('ali-path')).res.status).toBe(200);
    expect((await client.put('k.txt', Buffer.from('hello path'))).res.status).toBe(200);
    expect(String((await client.get('k.txt')).content)).toBe('hello path');
  });

  it('refuses the ali-oss SDK with a wrong secret, reads and writes alike', async () => {
    for (const addressing of ['virtual-hosted', 'path-style'] as const) {
      const bucket = addressing === 'virtual-hosted' ? 'ali-virtual' : 'ali-path';
      const client = aliOss(bucket, WRONG.secretAccessKey, addressing);
      expect(await ossFailure(client.get('k.txt'))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
      expect(await ossFailure(client.put('k.txt', Buffer.from('x')))).toEqual({
        status: 403,
        code: 'SignatureDoesNotMatch',
      });
    }
  });

  describe.each([
    ['KS3', 'ks3-signed', signKs3],
    ['OBS', 'obs-signed', signObs],
  ] as const)('%s-signed requests', (_, bucket, sign) => {
    const base = () => `http://127.0.0.1:${running.port}`;
    const virtual = () => `http://${bucket}.localhost:${running.port}`;

    it('create a bucket, put an object path-style and get it back virtual-hosted', async () => {
      expect((await sendSigned(sign, KEYS, 'PUT', `${base()}/${bucket}`)).status).toBe(200);
      const put = await sendSigned(
        sign,
        KEYS,
        'PUT',
        `${base()}/${bucket}/dir/a%20b%281%29.txt`,
        {},
        'hello',
      );
      expect(put.status).toBe(200);
      const got = await sendSigned(sign, KEYS, 'GET', `${virtual()}/dir/a%20b%281%29.txt`, {
        virtualHosted: true,
      });
      expect(got).toEqual({ status: 200, body: 'hello' });
    });

    it('are refused with a wrong secret: 403 SignatureDoesNotMatch, nothing written', async () => {
      const put = await sendSigned(sign, WRONG, 'PUT', `${base()}/${bucket}/wrong.txt`, {}, 'x');
      expect([put.status, code(put)]).toEqual([403, 'SignatureDoesNotMatch']);
      const get = await sendSigned(sign, WRONG, 'GET', `${virtual()}/dir/a%20b%281%29.txt`, {
        virtualHosted: true,
      });
      expect([get.status, code(get)]).toEqual([403, 'SignatureDoesNotMatch']);
      const after = await sendSigned(sign, KEYS, 'GET', `${base()}/${bucket}/wrong.txt`);
      expect([after.status, code(after)]).toEqual([404, 'NoSuchKey']);
    });
  });

  it('authenticates a JD Cloud-signed request like any other signed request', async () => {
    const url = `http://127.0.0.1:${running.port}/`;
    const list = await send(url, 'GET', signJdcloud({ method: 'GET', url }, KEYS));
    expect(list.status).toBe(200);
    expect(list.body).toContain('<ListAllMyBucketsResult');
    // A body is authenticated through its x-jdcloud-content-sha256.
    const objectUrl = `http://127.0.0.1:${running.port}/ks3-signed/from-jd.txt`;
    const body = 'hello jd';
    const put = await send(
      objectUrl,
      'PUT',
      signJdcloud({ method: 'PUT', url: objectUrl, body }, KEYS),
      body,
    );
    expect(put.status).toBe(200);
  });

  it("authenticates a JD Cloud-signed call to JD's rule API, whatever the simulator answers it", async () => {
    const url = `http://127.0.0.1:${running.port}/v1/regions/cn-north-1/buckets/jd-bucket/backSource`;
    const answer = await send(url, 'GET', signJdcloud({ method: 'GET', url }, KEYS));
    expect(answer.status).not.toBe(403);
    expect(AUTH_ERRORS).not.toContain(code(answer));
  });

  it('refuses a JD Cloud-signed request with a wrong secret or changed after signing', async () => {
    const url = `http://127.0.0.1:${running.port}/v1/regions/cn-north-1/buckets/jd-bucket/backSource`;
    const wrong = await send(url, 'GET', signJdcloud({ method: 'GET', url }, WRONG));
    expect([wrong.status, code(wrong)]).toEqual([403, 'SignatureDoesNotMatch']);
    const headers = signJdcloud({ method: 'GET', url }, KEYS);
    const replayed = await send(url, 'GET', { ...headers, 'x-jdcloud-nonce': 'another nonce' });
    expect([replayed.status, code(replayed)]).toEqual([403, 'SignatureDoesNotMatch']);
    const elsewhere = await send(url.replace('jd-bucket', 'other-bucket'), 'GET', headers);
    expect([elsewhere.status, code(elsewhere)]).toEqual([403, 'SignatureDoesNotMatch']);
  });
});

/** Every signature scheme a vendor record names: its object API's and its rule API's. */
const SCHEMES: [string, SignatureScheme][] = vendorIds.flatMap((id) => {
  const vendor = vendorFor(id);
  return [
    ...(vendor.signature ? [[`${id} objects`, vendor.signature] as [string, SignatureScheme]] : []),
    ...(vendor.ruleApi?.signature
      ? [[`${id} rules`, vendor.ruleApi.signature] as [string, SignatureScheme]]
      : []),
  ];
});

describe('every vendor signature scheme has a signer in the suite and a verifier in the simulator', () => {
  it.each(
    SCHEMES,
  )('%s: signed with the right secret it is taken, with a wrong one refused', async (_, scheme) => {
    const bucket = `scheme-${scheme.family}`;
    const url = `http://127.0.0.1:${running.port}/${bucket}`;
    const options = { region: 'cn-north-1' };
    const create = await send(url, 'PUT', await signRequest(scheme, { method: 'PUT', url }, KEYS, options));
    expect([200, 409]).toContain(create.status);
    const head = await send(url, 'HEAD', await signRequest(scheme, { method: 'HEAD', url }, KEYS, options));
    expect(head.status).toBe(200);
    const wrong = await send(url, 'HEAD', await signRequest(scheme, { method: 'HEAD', url }, WRONG, options));
    expect(wrong.status).toBe(403);
  });
});
