// S3 and mirror-configuration calls over HttpClient, with keys encoded by the suite itself (never by the
// target's code): each path segment percent-encoded, dot segments included.

import { HttpClient, type HttpResult } from './http-client.ts';

export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) => {
      if (segment === '.') return '%2E';
      if (segment === '..') return '%2E%2E';
      return encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
    })
    .join('/');
}

export class S3Client {
  readonly http: HttpClient;

  /** `http`: send through this client instead of one of its own (a target that rewrites requests). */
  constructor(
    readonly endpoint: string,
    options: ConstructorParameters<typeof HttpClient>[1] & { http?: HttpClient } = {},
  ) {
    this.http = options.http ?? new HttpClient(endpoint, options);
  }

  createBucket(bucket: string): Promise<HttpResult> {
    return this.http.send({ method: 'PUT', path: `/${bucket}` });
  }

  deleteBucket(bucket: string): Promise<HttpResult> {
    return this.http.send({ method: 'DELETE', path: `/${bucket}` });
  }

  listObjects(bucket: string, prefix = ''): Promise<HttpResult> {
    return this.http.send({
      method: 'GET',
      path: `/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`,
    });
  }

  putObject(bucket: string, key: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
    return this.http.send({ method: 'PUT', path: `/${bucket}/${encodeKey(key)}`, body, headers });
  }

  getObject(bucket: string, key: string, options: { headers?: Record<string, string>; query?: string } = {}) {
    const query = options.query ? `?${options.query}` : '';
    return this.http.send({
      method: 'GET',
      path: `/${bucket}/${encodeKey(key)}${query}`,
      headers: options.headers ?? {},
    });
  }

  /** CopyObject: `source` is `bucket/key`, encoded here as the suite encodes keys. */
  copyObject(
    bucket: string,
    key: string,
    source: { bucket: string; key: string },
    headers: Record<string, string> = {},
  ) {
    return this.http.send({
      method: 'PUT',
      path: `/${bucket}/${encodeKey(key)}`,
      headers: { 'x-amz-copy-source': `/${source.bucket}/${encodeKey(source.key)}`, ...headers },
    });
  }

  headObject(bucket: string, key: string): Promise<HttpResult> {
    return this.http.send({ method: 'HEAD', path: `/${bucket}/${encodeKey(key)}` });
  }

  deleteObject(bucket: string, key: string): Promise<HttpResult> {
    return this.http.send({ method: 'DELETE', path: `/${bucket}/${encodeKey(key)}` });
  }

  /** Sends a mirror configuration: a document (as JSON) or raw bytes, to test what bad input does. */
  putMirror(bucket: string, document: unknown): Promise<HttpResult> {
    const body =
      typeof document === 'string' || document instanceof Uint8Array ? document : JSON.stringify(document);
    return this.http.send({
      method: 'PUT',
      path: `/_mirrorspec/buckets/${bucket}/mirror`,
      body,
      headers: { 'content-type': 'application/json' },
    });
  }

  getMirror(bucket: string): Promise<HttpResult> {
    return this.http.send({ method: 'GET', path: `/_mirrorspec/buckets/${bucket}/mirror` });
  }

  deleteMirror(bucket: string): Promise<HttpResult> {
    return this.http.send({ method: 'DELETE', path: `/_mirrorspec/buckets/${bucket}/mirror` });
  }

  /** The spec's settle call: waits for background work; false if `timeoutMs` passed first. */
  async settle(timeoutMs: number): Promise<boolean> {
    const result = await this.http.send({
      method: 'POST',
      path: `/_mirrorspec/settle?timeoutMs=${timeoutMs}`,
    });
    return (JSON.parse(Buffer.from(result.body).toString('utf8')) as { settled: boolean }).settled;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
