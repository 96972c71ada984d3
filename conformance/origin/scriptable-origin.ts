import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, BlockList, isIP, type Socket } from 'node:net';
import { answer, ScriptVersions } from './origin-answer.ts';
import type { OriginBody } from './origin-bytes.ts';
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
  /**
   * In-process only, like `gate`: called once half of the body (rounded down) is sent; the rest follows
   * when the returned promise resolves (and after `delayMidBodyMs`, if that is set too). Lets a test hold
   * a fetch in flight exactly until its racing request is answered, instead of for a fixed pause.
   */
  gateMidBody?: () => Promise<void>;
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
  /**
   * Resolves true once every request received so far at or under `prefix` (segment-wise) has had its
   * answer sent whole or its connection closed, by either side; false if some are still open after
   * `timeoutMs`. Lets a test wait until a late answer has gone out (or been dropped) instead of sleeping
   * past the moment it was scripted for.
   */
  answered(prefix: string, timeoutMs: number): Promise<boolean>;
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

/** What the origin holds between requests: its scripts, the default and the log. */
interface OriginState {
  readonly scripts: Map<string, OriginScript>;
  readonly prefixScripts: Map<string, OriginScript>;
  fallback: OriginScript | undefined;
  log: OriginRequest[];
  readonly versions: ScriptVersions;
  /** The requests whose answer is not yet sent whole and whose connection is still open. */
  readonly unanswered: Set<{ path: string; ended: Promise<void> }>;
}

/** Starts a scriptable origin on a loopback address (default 127.0.0.1, ephemeral port). */
export async function startOrigin(options: { host?: string; port?: number } = {}): Promise<ScriptableOrigin> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  checkListenAddress(host, port);
  const state: OriginState = {
    scripts: new Map(),
    prefixScripts: new Map(),
    fallback: undefined,
    log: [],
    versions: new ScriptVersions(),
    unanswered: new Set(),
  };
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  let url = '';
  let boundPort = 0;

  const origin: ScriptableOrigin & OriginControlTarget = {
    get url() {
      return url;
    },
    get port() {
      return boundPort;
    },
    ...scriptingOf(state),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        // The callback also runs (with an error) when the server is already closed: close is idempotent.
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };

  const server = createServer((req, res) => receive(req, res, state, origin, closing.signal));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Longer than the store's own idle timeout, so a store never reuses a connection the origin is closing.
  server.keepAliveTimeout = 65_000;
  const address = await listen(server, port, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${urlHost}:${address.port}`;
  boundPort = address.port;
  return origin;
}

function checkListenAddress(host: string, port: number): void {
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
}

/** The methods that script the origin and read its log. */
function scriptingOf(
  state: OriginState,
): Omit<ScriptableOrigin & OriginControlTarget, 'url' | 'port' | 'close'> {
  return {
    script(path, script) {
      if (path.startsWith(ORIGIN_CONTROL_PREFIX)) {
        throw new Error(
          `${ORIGIN_CONTROL_PREFIX} is reserved for the control API and cannot be scripted: ${path}`,
        );
      }
      state.scripts.set(path, parseOriginScript(script));
    },
    scriptPrefix(prefix, script) {
      if (prefix.startsWith(ORIGIN_CONTROL_PREFIX)) {
        throw new Error(
          `${ORIGIN_CONTROL_PREFIX} is reserved for the control API and cannot be scripted: ${prefix}`,
        );
      }
      state.prefixScripts.set(prefix, parseOriginScript(script));
    },
    scriptDefault(script) {
      state.fallback = script === undefined ? undefined : parseOriginScript(script);
    },
    unscript(path) {
      state.scripts.delete(path);
      state.prefixScripts.delete(path);
    },
    clearScripts() {
      state.scripts.clear();
      state.prefixScripts.clear();
      state.fallback = undefined;
    },
    requests: () => state.log.map(copyRequest),
    requestsFor: (path) => state.log.filter((request) => request.path === path).map(copyRequest),
    requestsUnder: (prefix) => state.log.filter((request) => isUnder(request.path, prefix)).map(copyRequest),
    answered(prefix, timeoutMs) {
      const ended = [...state.unanswered]
        .filter((open) => isUnder(open.path, prefix))
        .map((open) => open.ended);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        void Promise.all(ended).then(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    clearLog() {
      state.log = [];
    },
    reset() {
      state.scripts.clear();
      state.prefixScripts.clear();
      state.fallback = undefined;
      state.log = [];
    },
  };
}

/** One request: the control API's, or one logged and answered by the script that covers its path. */
function receive(
  req: IncomingMessage,
  res: ServerResponse,
  state: OriginState,
  control: OriginControlTarget,
  closing: AbortSignal,
): void {
  // A client that went away makes writes fail; the answer notices through the abort signal.
  res.on('error', () => {});
  const target = req.url ?? '';
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  const query = mark === -1 ? '' : target.slice(mark + 1);
  if (path.startsWith(ORIGIN_CONTROL_PREFIX)) {
    handleOriginControl(req, res, path, query, control).catch(() => res.destroy());
    return;
  }
  // Logged on arrival, before any delay, so a test can see a request that is still waiting.
  state.log.push({
    method: req.method ?? '',
    path,
    query,
    headers: joinHeaders(req.rawHeaders),
    at: Date.now(),
  });
  // A response closes once it is sent whole, and also when its connection closes first.
  const open = { path, ended: new Promise<void>((resolve) => res.once('close', () => resolve())) };
  state.unanswered.add(open);
  void open.ended.then(() => state.unanswered.delete(open));
  req.resume();
  const script =
    state.scripts.get(path) ??
    longestPrefixScript(state.prefixScripts, path) ??
    state.fallback ??
    NOT_SCRIPTED;
  const version = script.validators ? state.versions.next(script) : undefined;
  answer(req, res, script, closing, version).catch(() => res.destroy());
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

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
