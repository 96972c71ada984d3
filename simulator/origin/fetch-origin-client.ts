// An origin client on the global fetch, so that whatever intercepts fetch in a test process (nock, msw)
// can play the origin. The default client (undici-origin-client.ts) is the faithful one; this one is for
// tests, and differs from it where fetch leaves no choice:
// - fetch removes dot segments (`/a/../b` is sent as `/b`), so such a target is refused rather than
//   asking the origin for another object; queries may be re-encoded (`'` as `%27`), which origins read alike;
// - fetch adds request headers of its own (accept, accept-language, sec-fetch-mode, user-agent);
// - fetch decodes gzip, deflate and br bodies: this client asks for `accept-encoding: identity` unless the
//   request names an encoding, and when an origin encodes anyway, it describes the decoded body it
//   returns (no content-encoding, content-length or content-md5);
// - fetch does not say when a connection opens: there is no `connectMs`, connecting counts towards
//   `headersMs`;
// - no address checks: names may resolve to loopback or private addresses.

import { splitTarget } from '../core/raw-target.ts';
import {
  DEFAULT_ORIGIN_TIMEOUTS,
  type OriginClient,
  type OriginRequest,
  type OriginResponse,
  type OriginTimeouts,
} from './origin-client.ts';

/** The codings fetch decodes by itself (Node's fetch, after the Fetch standard). */
const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

export class FetchOriginClient implements OriginClient {
  private readonly headersMs: number;
  private readonly bodyIdleMs: number;
  /** Requests in flight or bodies not yet read to the end, aborted by close(). */
  private readonly open = new Set<AbortController>();
  private closed = false;

  /** The simulator's `originTimeouts` option configures its default client only: give them here. */
  constructor(timeouts: Partial<Pick<OriginTimeouts, 'headersMs' | 'bodyIdleMs'>> = {}) {
    this.headersMs = timeouts.headersMs ?? DEFAULT_ORIGIN_TIMEOUTS.headersMs;
    this.bodyIdleMs = timeouts.bodyIdleMs ?? DEFAULT_ORIGIN_TIMEOUTS.bodyIdleMs;
  }

  async get(request: OriginRequest): Promise<OriginResponse> {
    if (this.closed) throw new Error('the origin client is closed');
    const url = fetchUrl(request);
    const headers = new Headers(request.headers);
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'identity');

    const controller = new AbortController();
    this.open.add(controller);
    const release = () => this.open.delete(controller);
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      controller.abort();
    }, this.headersMs);
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    let response: Response;
    try {
      // Redirects are the simulator's to follow (or relay), hop by hop, as with the default client.
      response = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal });
    } catch (error) {
      release();
      if (late && !request.signal?.aborted) {
        throw new Error(`the origin sent no response headers within ${this.headersMs} ms`);
      }
      throw unwrap(error);
    } finally {
      clearTimeout(timer);
    }

    const discard = () => {
      release();
      controller.abort();
    };
    const decoded = decodedByFetch(response.headers.get('content-encoding'));
    const body = response.body;
    if (body === null) release();
    return {
      status: response.status,
      headers: headerRecord(response.headers, decoded),
      body: body === null ? emptyBody() : readBody(body, this.bodyIdleMs, discard, release),
      discard,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.open) controller.abort();
    this.open.clear();
  }
}

/** The URL to hand to fetch; throws when fetch would ask for another path than the one given. */
function fetchUrl(request: OriginRequest): URL {
  const url = new URL(request.origin + request.path);
  const { path } = splitTarget(request.path);
  if (url.pathname !== path) {
    throw new Error(
      `fetch would send the path ${url.pathname} instead of ${path} (it removes dot segments); the default origin client sends it as it is`,
    );
  }
  return url;
}

function decodedByFetch(contentEncoding: string | null): boolean {
  if (contentEncoding === null) return false;
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  // Fetch decodes only when it knows every coding; one it does not know leaves the body as sent.
  return codings.length > 0 && codings.every((coding) => DECODED_CODINGS.has(coding));
}

function headerRecord(headers: Headers, decoded: boolean): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    // These describe the encoded bytes, which fetch does not hand over.
    if (decoded && (name === 'content-encoding' || name === 'content-length' || name === 'content-md5'))
      continue;
    // Headers yields each set-cookie on its own; the default client joins repeated headers with ', '.
    record[name] = record[name] === undefined ? value : `${record[name]}, ${value}`;
  }
  return record;
}

/** A fetch failure names its reason in `cause` (ECONNREFUSED, other side closed): surface that one. */
function unwrap(error: unknown): unknown {
  if (error instanceof TypeError && error.cause instanceof Error) return error.cause;
  return error;
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/**
 * The body chunk by chunk as it arrives; rejects when the connection breaks (a body shorter than its
 * Content-Length included) or when no chunk comes for `idleMs`. Leaving early releases the connection.
 */
async function* readBody(
  stream: ReadableStream<Uint8Array>,
  idleMs: number,
  discard: () => void,
  release: () => void,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let ended = false;
  try {
    for (;;) {
      const result = await readWithin(reader, idleMs, discard);
      if (result.done) {
        ended = true;
        return;
      }
      yield result.value;
    }
  } catch (error) {
    throw unwrap(error);
  } finally {
    if (ended) release();
    else discard();
  }
}

function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleMs: number,
  discard: () => void,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      discard();
      reject(new Error(`the origin sent no body data for ${idleMs} ms`));
    }, idleMs);
    reader.read().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
