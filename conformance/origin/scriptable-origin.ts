import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, BlockList, isIP, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type OriginBody, originBodyLength, originChunks, originMd5, originSlice } from './origin-bytes.ts';
import { handleOriginControl, ORIGIN_CONTROL_PREFIX, type OriginControlTarget } from './origin-control.ts';
import { parseOriginScript } from './parse-origin-script.ts';

export { originBytes, originDigest } from './origin-bytes.ts';

/** How the origin answers one path. Every field is optional; `{}` is a 200 with an empty body. */
export interface OriginScript {
  /** Default 200; 200–999 (1xx are interim responses, not answers). */
  status?: number;
  /** Extra response headers; applied last, so they override the ones the origin computes. */
  headers?: Record<string, string>;
  /** Default empty. `{ size, seed }` is generated chunk by chunk, so any size streams in bounded memory. */
  body?: OriginBody;
  /** No Content-Length, `Transfer-Encoding: chunked`. */
  chunked?: boolean;
  /** A lie: this Content-Length is sent instead of the real one; the real bytes follow, then the connection closes. */
  contentLength?: number;
  /** A Content-MD5 header (base64 of the body's md5), right or deliberately wrong. */
  contentMd5?: 'right' | 'wrong';
  /** Wait this long before sending status and headers. */
  delayBeforeHeadersMs?: number;
  /** Pause this long after half of the body (rounded down). */
  delayMidBodyMs?: number;
  /**
   * Close the connection after this many body bytes while the headers promise the full length.
   * Past the body's end, the body is sent whole and the connection closed after it.
   */
  resetAfterBytes?: number;
  /**
   * ETag and Last-Modified on every answer. `fixed`: one pair for as long as the script stands (a new
   * script gets a new pair). `changing`: a new pair, later in time, for every request the script answers,
   * as from an origin whose object is rewritten between requests, so a store that revalidates or
   * compares validators sees a new version each time. Either way a conditional request that matches the
   * pair it would get (If-None-Match, else If-Modified-Since; RFC 9110 section 13.2.2) is answered 304.
   */
  validators?: 'fixed' | 'changing';
  /**
   * Honour one `Range: bytes=…` on a 200 answer (RFC 9110 section 14): 206 with the slice and
   * Content-Range, or 416 when nothing of it is in the body; `Accept-Ranges: bytes` on every answer.
   * Several ranges, or one that does not parse, get the whole body, as RFC 9110 allows.
   */
  ranges?: boolean;
  /** Shorthand for a redirect: this status (default 302, taking precedence over `status`) with Location. */
  redirect?: { location: string; status?: 301 | 302 | 303 | 307 | 308 };
  /**
   * In-process only: called once per request, after the request is logged and before anything is sent
   * (before `delayBeforeHeadersMs` too); the answer starts when the returned promise resolves, and a
   * rejection resets the connection. Lets a test decide when each origin answer may go, for example
   * from `fc.scheduler()`, instead of guessing with delays. A JSON script sent to the control API
   * cannot carry a function, so a `gate` there is refused.
   */
  gate?: () => Promise<void>;
}

/** One request as the origin received it. */
export interface OriginRequest {
  method: string;
  /** Raw request target up to the first '?', exactly as received (no decoding or dot-segment removal). */
  path: string;
  /** Raw query after the first '?', '' if none. */
  query: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Date.now() on arrival. */
  at: number;
}

export interface ScriptableOrigin {
  /** e.g. 'http://127.0.0.1:41234', no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Script the answer for one raw request path (without query), matched exactly, e.g. '/base/a%20b.txt'. */
  script(path: string, script: OriginScript): void;
  /** The answer for unscripted paths; undefined restores the built-in 404. */
  scriptDefault(script: OriginScript | undefined): void;
  /**
   * Script every path at or under `prefix` (segment-wise: `/a` covers `/a` and `/a/b`, not `/ab`). An exact
   * script wins over a prefix; the longest prefix wins over shorter ones.
   */
  scriptPrefix(prefix: string, script: OriginScript): void;
  unscript(path: string): void;
  /** Every request received, in order, including those answered by the default. */
  requests(): OriginRequest[];
  requestsFor(path: string): OriginRequest[];
  /** Requests at or under `prefix`, segment-wise as in scriptPrefix. */
  requestsUnder(prefix: string): OriginRequest[];
  clearLog(): void;
  /** Clears scripts, the default and the log. */
  reset(): void;
  /** Stops listening and destroys open connections, including ones waiting in a delay. */
  close(): Promise<void>;
}

const NOT_SCRIPTED: OriginScript = {
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'mirrorspec origin: no script for this path\n',
};

// The origin lets anyone who can reach it script responses and read request headers (which may
// carry a store's credentials), so it only ever listens where nothing outside this host can reach.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Starts a scriptable origin on a loopback address (default 127.0.0.1, ephemeral port). */
export async function startOrigin(options: { host?: string; port?: number } = {}): Promise<ScriptableOrigin> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const family = isIP(host);
  if (family === 0 || !LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6')) {
    throw new Error(
      `the scriptable origin only listens on loopback (127.0.0.0/8 or ::1), got host ${JSON.stringify(host)}: ` +
        'anyone who can reach it can script it and read the headers it logs',
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }

  const scripts = new Map<string, OriginScript>();
  const prefixScripts = new Map<string, OriginScript>();
  let fallback: OriginScript | undefined;
  let log: OriginRequest[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const versions = new ScriptVersions();
  let url = '';
  let boundPort = 0;

  const origin: ScriptableOrigin & OriginControlTarget = {
    get url() {
      return url;
    },
    get port() {
      return boundPort;
    },
    script(path, script) {
      if (path.startsWith(ORIGIN_CONTROL_PREFIX)) {
        throw new Error(
          `${ORIGIN_CONTROL_PREFIX} is reserved for the control API and cannot be scripted: ${path}`,
        );
      }
      scripts.set(path, parseOriginScript(script));
    },
    scriptPrefix(prefix, script) {
      if (prefix.startsWith(ORIGIN_CONTROL_PREFIX)) {
        throw new Error(
          `${ORIGIN_CONTROL_PREFIX} is reserved for the control API and cannot be scripted: ${prefix}`,
        );
      }
      prefixScripts.set(prefix, parseOriginScript(script));
    },
    scriptDefault(script) {
      fallback = script === undefined ? undefined : parseOriginScript(script);
    },
    unscript(path) {
      scripts.delete(path);
      prefixScripts.delete(path);
    },
    clearScripts() {
      scripts.clear();
      prefixScripts.clear();
      fallback = undefined;
    },
    requests: () => log.map(copyRequest),
    requestsFor: (path) => log.filter((request) => request.path === path).map(copyRequest),
    requestsUnder: (prefix) => log.filter((request) => isUnder(request.path, prefix)).map(copyRequest),
    clearLog() {
      log = [];
    },
    reset() {
      scripts.clear();
      prefixScripts.clear();
      fallback = undefined;
      log = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        // The callback also runs (with an error) when the server is already closed: close is idempotent.
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };

  const server = createServer((req, res) => {
    // A client that went away makes writes fail; the answer notices through the abort signal.
    res.on('error', () => {});
    const target = req.url ?? '';
    const mark = target.indexOf('?');
    const path = mark === -1 ? target : target.slice(0, mark);
    const query = mark === -1 ? '' : target.slice(mark + 1);
    if (path.startsWith(ORIGIN_CONTROL_PREFIX)) {
      handleOriginControl(req, res, path, query, origin).catch(() => res.destroy());
      return;
    }
    // Logged on arrival, before any delay, so a test can see a request that is still waiting.
    log.push({ method: req.method ?? '', path, query, headers: joinHeaders(req.rawHeaders), at: Date.now() });
    req.resume();
    const script = scripts.get(path) ?? longestPrefixScript(prefixScripts, path) ?? fallback ?? NOT_SCRIPTED;
    const version = script.validators ? versions.next(script) : undefined;
    answer(req, res, script, closing.signal, version).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  // Longer than the store's own idle timeout, so a store never reuses a connection the origin is closing.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${urlHost}:${address.port}`;
  boundPort = address.port;
  return origin;
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  script: OriginScript,
  closing: AbortSignal,
  version?: Version,
): Promise<void> {
  const clientGone = new AbortController();
  res.once('close', () => clientGone.abort());
  const signal = AbortSignal.any([closing, clientGone.signal]);
  const socket = res.socket;

  if (script.gate) {
    await script.gate();
    // The store may have given up on this answer, or the origin closed, while the gate was shut.
    if (signal.aborted) return;
  }
  if (script.delayBeforeHeadersMs && !(await pause(script.delayBeforeHeadersMs, signal))) return;

  let status = script.redirect ? (script.redirect.status ?? 302) : (script.status ?? 200);
  if (version !== undefined) {
    res.setHeader('etag', version.etag);
    res.setHeader('last-modified', version.lastModified);
    if (status === 200 && notModified(req, version)) status = 304;
  }
  const whole = originBodyLength(script.body);
  let span: { start: number; end: number } | undefined;
  if (script.ranges) {
    res.setHeader('accept-ranges', 'bytes');
    const asked = status === 200 ? byteRange(req.headers.range, whole) : undefined;
    if (asked === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${whole}`, 'content-length': 0 });
      res.end();
      return;
    }
    if (asked !== undefined) {
      span = asked;
      status = 206;
      res.setHeader('content-range', `bytes ${asked.start}-${asked.end - 1}/${whole}`);
    }
  }
  // node:http never sends a body for these; neither do we, so HEAD of a 5 GiB body costs nothing.
  const bodyless = req.method === 'HEAD' || status === 204 || status === 304;
  const length = span === undefined ? whole : span.end - span.start;
  if (script.chunked) res.setHeader('transfer-encoding', 'chunked');
  else if (status !== 204 && status !== 304) res.setHeader('content-length', length);
  if (script.contentLength !== undefined) res.setHeader('content-length', script.contentLength);
  if (script.contentMd5 !== undefined) {
    const md5 = originMd5(script.body);
    // Flipping every bit keeps the header well-formed (16 bytes, base64) and certainly wrong.
    const claimed = script.contentMd5 === 'right' ? md5 : Buffer.from(md5.map((byte) => byte ^ 0xff));
    res.setHeader('content-md5', claimed.toString('base64'));
  }
  if (script.redirect) res.setHeader('location', script.redirect.location);
  for (const [name, value] of Object.entries(script.headers ?? {})) res.setHeader(name, value);
  res.writeHead(status);

  // After a lie about the length the connection is out of step, so it must not be reused.
  const lied = script.contentLength !== undefined;
  if (bodyless) {
    res.end();
    if (lied) closeConnection(socket);
    return;
  }

  const middle = script.delayMidBodyMs ? Math.floor(length / 2) : undefined;
  const cut = script.resetAfterBytes;
  let sent = 0;
  let paused = middle === undefined;
  // Runs whenever `sent` moves (and once before any byte); false means stop sending.
  const checkpoint = async (): Promise<boolean> => {
    if (cut !== undefined && sent >= cut) {
      res.flushHeaders();
      closeConnection(socket);
      return false;
    }
    if (!paused && middle !== undefined && sent >= middle) {
      paused = true;
      return pause(script.delayMidBodyMs ?? 0, signal);
    }
    return true;
  };

  if (!(await checkpoint())) return;
  const chunks =
    span === undefined ? originChunks(script.body) : originSlice(script.body, span.start, span.end);
  for (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      // Split chunks at the pause and the cut, so each happens after exactly the promised byte.
      let end = chunk.length;
      if (!paused && middle !== undefined) end = Math.min(end, offset + middle - sent);
      if (cut !== undefined) end = Math.min(end, offset + cut - sent);
      const piece = chunk.subarray(offset, end);
      if (!res.write(piece)) await drained(res, signal);
      if (signal.aborted) return;
      sent += piece.length;
      offset = end;
      if (!(await checkpoint())) return;
    }
  }
  res.end();
  if (lied || cut !== undefined) closeConnection(socket);
}

/**
 * Half-closes after everything written so far has left, then destroys. A FIN rather than an RST
 * (socket.resetAndDestroy) because an RST can make the peer's kernel drop bytes it has received but
 * not yet handed over, and tests count exactly how many bytes arrived before the cut.
 */
/** `path` is `prefix` or lies below it, segment-wise. */
function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

function longestPrefixScript(prefixes: Map<string, OriginScript>, path: string): OriginScript | undefined {
  let best: string | undefined;
  for (const prefix of prefixes.keys()) {
    if (isUnder(path, prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : prefixes.get(best);
}

function closeConnection(socket: Socket | null): void {
  if (socket === null || socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the response can take more, or when it never will (client gone, origin closing). */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

function joinHeaders(raw: string[]): Record<string, string> {
  const joined = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    const earlier = joined.get(name);
    joined.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  // fromEntries defines own properties, so a header named __proto__ stays a header.
  return Object.fromEntries(joined);
}

function copyRequest(request: OriginRequest): OriginRequest {
  return { ...request, headers: { ...request.headers } };
}

/** The validators of one answer. */
interface Version {
  etag: string;
  lastModified: string;
}

// A fixed second in the past, so every Last-Modified is a valid date before now.
const FIRST_VERSION_AT = Date.UTC(2020, 0, 1);

/**
 * Hands out validators: each script its own ETag series, and a Last-Modified one second later for every
 * new version, so later versions are later in time too (Last-Modified has whole seconds only).
 */
class ScriptVersions {
  private readonly states = new WeakMap<OriginScript, { id: number; answered: number; at: number }>();
  private scripts = 0;
  private clock = 0;

  next(script: OriginScript): Version {
    const changing = script.validators === 'changing';
    let state = this.states.get(script);
    if (state === undefined) {
      state = { id: ++this.scripts, answered: 0, at: ++this.clock };
      this.states.set(script, state);
    } else if (changing) state.at = ++this.clock;
    state.answered += 1;
    return {
      etag: changing ? `"s${state.id}-v${state.answered}"` : `"s${state.id}"`,
      lastModified: new Date(FIRST_VERSION_AT + state.at * 1000).toUTCString(),
    };
  }
}

/** RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since. */
function notModified(req: IncomingMessage, version: Version): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const noneMatch = req.headers['if-none-match'];
  if (noneMatch !== undefined) {
    // Weak comparison (section 8.8.3.2): W/ prefixes do not matter.
    const tags = noneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(version.etag);
  }
  const since = req.headers['if-modified-since'];
  if (since === undefined) return false;
  const date = Date.parse(since);
  return !Number.isNaN(date) && Date.parse(version.lastModified) <= date;
}

/**
 * One `bytes=` range of a body of `size` bytes, as [start, end) offsets; `unsatisfiable` when it lies
 * wholly past the end (or the body is empty); undefined when there is no single well-formed range, which
 * means the whole body.
 */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (match === null) return undefined;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size : Math.min(size, Number(last) + 1) };
}
