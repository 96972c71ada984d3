// Broken targets for the S3 calls every client makes first (broken-targets.ts picks them by kind): each
// puts back a fault S3 servers really have, in front of the simulator's fetch, so the laws that guard
// those calls must catch it.
//
// - old-s3-surface: ListObjects takes its marker as a key only (the common prefix at the marker is listed
//   again), ListObjectsV2 with max-keys=0 claims more pages, GetBucketLocation is 501, an unsupported
//   header on a missing bucket is 501 before NoSuchBucket, and response-* overrides are ignored.
// - sloppy-batch-delete: DeleteObjects keys keep their XML character references undecoded, and a body
//   without a (right) Content-MD5 is taken anyway.
// - weak-write-conditions: conditional writes are checked once, before the body arrives, and only against
//   objects a client wrote (an object a mirror fetch stored counts as absent).

import { createHash } from 'node:crypto';
import type { Simulator } from '../../simulator/index.ts';

type Fetch = Simulator['fetch'];
type Info = Parameters<Fetch>[1];

const targetOf = (request: Request, info: Info) => {
  const url = new URL(request.url);
  return info?.target ?? url.pathname + url.search;
};

/** The same request with another target (path and query), headers and body. */
function resend(request: Request, target: string, init: { headers?: Headers; body?: string | null } = {}) {
  const url = new URL(request.url);
  const body = init.body === undefined ? request.body : init.body;
  return {
    request: new Request(`${url.origin}${target}`, {
      method: request.method,
      headers: init.headers ?? request.headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit),
    info: { target },
  };
}

function xmlError(status: number, code: string, message: string): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return new Response(body, { status, headers: { 'content-type': 'application/xml' } });
}

export function oldS3Surface(simulator: Simulator): Fetch {
  return async (request, info) => {
    const target = targetOf(request, info);
    const [path = '', rawQuery = ''] = target.split('?', 2);
    const query = new URLSearchParams(rawQuery);
    const onBucket = path.split('/').filter(Boolean).length === 1;
    if (request.method === 'GET' && onBucket && query.has('location'))
      return xmlError(501, 'NotImplemented', 'the location subresource is not implemented');
    if (request.method === 'GET' && onBucket && !query.has('list-type') && query.has('marker')) {
      // The marker as a key: drop a trailing delimiter, so the common prefix it named is listed again.
      const delimiter = query.get('delimiter') ?? '';
      const marker = query.get('marker') ?? '';
      if (delimiter !== '' && marker.endsWith(delimiter))
        query.set('marker', marker.slice(0, -delimiter.length));
      const moved = resend(request, `${path}?${query}`);
      return simulator.fetch(moved.request, moved.info);
    }
    const overrides = [...query.keys()].filter((name) => name.startsWith('response-'));
    if (request.method === 'GET' && overrides.length > 0) {
      for (const name of overrides) query.delete(name);
      const plain = resend(request, `${path}${query.size > 0 ? `?${query}` : ''}`);
      return simulator.fetch(plain.request, plain.info);
    }
    const response = await simulator.fetch(request, info);
    if (query.get('list-type') === '2' && query.get('max-keys') === '0' && response.status === 200) {
      const xml = (await response.text()).replace(
        '<IsTruncated>false</IsTruncated>',
        '<IsTruncated>true</IsTruncated><NextContinuationToken>bW9yZQ</NextContinuationToken>',
      );
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(xml, { status: 200, headers });
    }
    const unsupported = [...request.headers.keys()].some((name) =>
      /^x-amz-(tagging|storage-class|mfa|server-side|optional)/.test(name),
    );
    if (response.status === 404 && (unsupported || /[?&](acl|versioning|tagging|versionId)/.test(target)))
      return xmlError(501, 'NotImplemented', 'a header or sub-resource of this request is not implemented');
    return response;
  };
}

export function sloppyBatchDelete(simulator: Simulator): Fetch {
  return async (request, info) => {
    const target = targetOf(request, info);
    if (request.method !== 'POST' || !/\?(.*&)?delete(&|=|$)/.test(target))
      return simulator.fetch(request, info);
    // Each character reference escaped once more, so the store reads it as literal text.
    const body = (await request.text()).replace(/&#/g, '&amp;#');
    const headers = new Headers(request.headers);
    headers.set('content-md5', createHash('md5').update(body, 'utf8').digest('base64'));
    headers.delete('content-length');
    const sloppy = resend(request, target, { headers, body });
    return simulator.fetch(sloppy.request, sloppy.info);
  };
}

/** Keys clients wrote (PUT, CompleteMultipartUpload) by path: the only objects conditions see. */
export function weakWriteConditions(simulator: Simulator): Fetch {
  const written = new Set<string>();
  return async (request, info) => {
    const target = targetOf(request, info);
    const [path = ''] = target.split('?', 1);
    const isWrite =
      (request.method === 'PUT' && !target.includes('?')) ||
      (request.method === 'POST' && target.includes('uploadId='));
    if (!isWrite) return simulator.fetch(request, info);
    const ifMatch = request.headers.get('if-match');
    const ifNoneMatch = request.headers.get('if-none-match');
    const headers = new Headers(request.headers);
    headers.delete('if-match');
    headers.delete('if-none-match');
    if (ifMatch !== null || ifNoneMatch !== null) {
      const head = await simulator.fetch(new Request(new URL(path, request.url), { method: 'HEAD' }), {
        target: path,
      });
      const etag = written.has(path) && head.status === 200 ? head.headers.get('etag') : null;
      if (ifMatch !== null && etag === null) return xmlError(404, 'NoSuchKey', 'the key does not exist');
      if (ifMatch !== null && ifMatch !== etag) return xmlError(412, 'PreconditionFailed', 'If-Match failed');
      if (ifNoneMatch !== null && etag !== null) return xmlError(412, 'PreconditionFailed', 'the key exists');
    }
    const unconditional = resend(request, target, { headers });
    const response = await simulator.fetch(unconditional.request, unconditional.info);
    if (response.status === 200) written.add(path);
    return response;
  };
}
