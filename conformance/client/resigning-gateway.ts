// A deliberately unsafe gateway, for proving the access-control laws can fail: it checks no signature and
// signs every request it forwards anew, with one key pair, in one region, over the body it actually got.
// So it takes any payload hash, any region, an expired or mis-signed presigned URL, and lets every user
// act as the first. A law of auth.* that passes against it proves nothing.

import { type RunningServer, serveFetch } from '../../simulator/index.ts';
import { type Keys, sigV4Headers } from './signed-fetch.ts';

/** Query parameters of the SigV4 and V2 presigned URLs: dropped, the request is signed in its headers. */
const PRESIGNING =
  /^(x-amz-(algorithm|credential|date|expires|signedheaders|signature|content-sha256)|awsaccesskeyid|expires|signature)$/i;
/** Headers of the client's own signature, replaced by the gateway's. */
const SIGNING_HEADERS = new Set([
  'authorization',
  'x-amz-date',
  'x-amz-content-sha256',
  'host',
  'content-length',
]);

export interface Gateway {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts the gateway on loopback in front of `endpoint`, signing as `keys` in `region`. */
export async function startResigningGateway(endpoint: string, keys: Keys, region: string): Promise<Gateway> {
  const server: RunningServer = await serveFetch(
    async (request, info) => {
      const target = info.target ?? new URL(request.url).pathname;
      const [path = '/', rawQuery] = target.split('?', 2);
      const query = (rawQuery ?? '')
        .split('&')
        .filter((pair) => pair !== '' && !PRESIGNING.test(decodeURIComponent(pair.split('=', 1)[0] ?? '')));
      const url = `${endpoint}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) if (!SIGNING_HEADERS.has(name)) headers[name] = value;
      const body =
        request.method === 'GET' || request.method === 'HEAD'
          ? undefined
          : new Uint8Array(await request.arrayBuffer());
      const signed = await sigV4Headers(
        { method: request.method, url, headers, ...(body ? { body } : {}) },
        keys,
        region,
      );
      return fetch(url, { method: request.method, headers: signed, ...(body ? { body } : {}) });
    },
    { host: '127.0.0.1', port: 0 },
  );
  return { endpoint: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

/**
 * `law`, run against the gateway, must fail as a property fails, with a counterexample, and for the
 * reason `cause` describes (the message of the assertion that broke, which fast-check keeps as its cause).
 */
export async function expectLawFailure(law: Promise<void>, cause: RegExp): Promise<void> {
  let failure: unknown;
  try {
    await law;
  } catch (error) {
    failure = error;
  }
  if (!(failure instanceof Error)) throw new Error('the law passed against a gateway that breaks it');
  const reason = failure.cause instanceof Error ? failure.cause.message : failure.message;
  if (!/Counterexample: /.test(failure.message) || !cause.test(reason)) {
    throw new Error(
      `the law failed, but not with a counterexample for ${cause}: ${failure.message}\n${reason}`,
    );
  }
}
