// An in-process simulator that checks signatures, with the SigV4 signer of its one key pair: what the
// in-process signature tests send their requests through, raw targets and all.

import { SignatureV4 } from '@smithy/signature-v4';
import { createSimulator } from '../simulator.ts';
import { NodeSha256 } from './auth/node-sha256.ts';

export const SIGNED_HOST = '127.0.0.1:9000';

export function signedSimulator(keys: { accessKeyId: string; secretAccessKey: string }) {
  const simulator = createSimulator({ credentials: keys });
  const signer = new SignatureV4({
    credentials: keys,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  /** The headers that sign `method target` (its path and query), with the payload unsigned. */
  const signedHeaders = async (method: string, target: string, headers: Record<string, string> = {}) => {
    const [path = '/', rawQuery = ''] = target.split('?');
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    const request = await signer.sign({
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9000,
      path,
      query,
      headers: { host: SIGNED_HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
    });
    return request.headers;
  };
  /** Sends the request with its raw target exactly as given, as a socket would have received it. */
  const send = (method: string, target: string, headers: Record<string, string>) =>
    simulator.fetch(new Request(`http://${SIGNED_HOST}/`, { method, headers }), { target });
  return { signer, signedHeaders, send };
}

/** The S3 error code of an error answer. */
export async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
}
