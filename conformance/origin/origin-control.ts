import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseOriginScript } from './parse-origin-script.ts';
import type { ScriptableOrigin } from './scriptable-origin.ts';

/** Paths under this prefix drive the origin instead of being answered by scripts, and are not logged. */
export const ORIGIN_CONTROL_PREFIX = '/_origin/';

/** What the control API can do to an origin: the public surface plus clearing every script at once. */
export type OriginControlTarget = Pick<
  ScriptableOrigin,
  'script' | 'scriptDefault' | 'unscript' | 'requests' | 'requestsFor' | 'clearLog'
> & { clearScripts(): void };

// Scripts are small JSON documents; generated bodies are sent as { size, seed }, never inline.
const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

/**
 * The control API, so a test in another process can drive a standalone origin:
 *   PUT    /_origin/scripts?path=<raw path>   JSON script for that path      -> 204
 *   DELETE /_origin/scripts[?path=<raw path>] forget one path, or every script and the default -> 204
 *   PUT    /_origin/default                   JSON script for unscripted paths -> 204
 *   DELETE /_origin/default                   back to the built-in 404       -> 204
 *   GET    /_origin/requests[?path=<raw path>] the request log as JSON       -> 200
 *   DELETE /_origin/requests                  clear the log                  -> 204
 * `path` is the raw request path, percent-encoded once more to fitKey in the query
 * (encodeURIComponent('/a%20b.txt')). Errors are JSON { error } with a message saying what to fix.
 */
export async function handleOriginControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  target: OriginControlTarget,
): Promise<void> {
  const resource = path.slice(ORIGIN_CONTROL_PREFIX.length);
  const params = new URLSearchParams(query);
  const method = req.method ?? '';
  if (resource === 'scripts' && method === 'PUT') {
    const scriptPath = params.get('path');
    if (scriptPath === null) return fail(res, 400, 'PUT /_origin/scripts needs ?path=<raw request path>');
    if (!scriptPath.startsWith('/') || scriptPath.startsWith(ORIGIN_CONTROL_PREFIX)) {
      return fail(
        res,
        400,
        `path must start with '/' and not with ${ORIGIN_CONTROL_PREFIX}, got ${scriptPath}`,
      );
    }
    const script = await readScript(req, res);
    if (script === undefined) return;
    target.script(scriptPath, script);
    return done(res);
  }
  if (resource === 'scripts' && method === 'DELETE') {
    const scriptPath = params.get('path');
    if (scriptPath === null) target.clearScripts();
    else target.unscript(scriptPath);
    return done(res);
  }
  if (resource === 'default' && method === 'PUT') {
    const script = await readScript(req, res);
    if (script === undefined) return;
    target.scriptDefault(script);
    return done(res);
  }
  if (resource === 'default' && method === 'DELETE') {
    target.scriptDefault(undefined);
    return done(res);
  }
  if (resource === 'requests' && method === 'GET') {
    const scriptPath = params.get('path');
    const log = scriptPath === null ? target.requests() : target.requestsFor(scriptPath);
    return send(res, 200, log);
  }
  if (resource === 'requests' && method === 'DELETE') {
    target.clearLog();
    return done(res);
  }
  const allowed = { scripts: 'PUT, DELETE', default: 'PUT, DELETE', requests: 'GET, DELETE' }[resource];
  if (allowed === undefined) {
    return fail(
      res,
      404,
      `no control resource ${path}; use ${ORIGIN_CONTROL_PREFIX}scripts, default or requests`,
    );
  }
  res.setHeader('allow', allowed);
  return fail(res, 405, `${method} ${path} is not supported; allowed: ${allowed}`);
}

/** Reads and checks a JSON script; answers 400/413 itself and returns undefined when it is unusable. */
async function readScript(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    // Keep draining past the limit: leaving the loop early would destroy the request and with it
    // the socket, so the client would never see the 413.
    if (length <= MAX_CONTROL_BODY_BYTES) chunks.push(chunk);
  }
  if (length > MAX_CONTROL_BODY_BYTES) {
    fail(
      res,
      413,
      `script JSON is over ${MAX_CONTROL_BODY_BYTES} bytes; send large bodies as { size, seed }`,
    );
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    fail(res, 400, `script is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  try {
    return parseOriginScript(json);
  } catch (error) {
    fail(res, 400, (error as Error).message);
    return undefined;
  }
}

function done(res: ServerResponse): void {
  res.writeHead(204).end();
}

function fail(res: ServerResponse, status: number, message: string): void {
  send(res, status, { error: message });
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
