// The node:http processes of `npm run bench`, each alone in its process so that its CPU is its own:
//
//   node-peer.ts bare <port>     the baseline: answers GET /bench/hit-<n> with n bytes held in memory and
//                                the headers a stored object carries, the least any node server can do
//   node-peer.ts mirror <port> <origin port>
//                                the baseline of the miss figures: GET /mirror/<name> answered from memory
//                                when held, else fetched from the origin with undici (as serve's origin
//                                client does), read whole, held and answered; no hash, no store, no checks,
//                                the least a node mirror can do
//   node-peer.ts origin <port>   the origin of the mirror figures, answering GET /mirror/<name>:
//                                  m<bytes>-…              <bytes> at once, from memory
//                                  slow<ms>-<bytes>-…      the same after <ms> milliseconds
//                                  big<bytes>-…            <bytes> streamed in 64 KiB writes, with backpressure
//                                and GET /_count?path=<path>, how many GETs that path has had
//
// Bodies are a fixed pattern, the same bytes for every name, so what is measured is the server's work.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent } from 'undici';

const CHUNK = Buffer.alloc(64 * 1024, 'mirrorspec bench ');
/** Past this a body is streamed, never held. */
const MAX_HELD = 16 * 2 ** 20;
const MAX_DELAY_MS = 10_000;
/** The bare mirror holds at most this many bytes, so a long run of distinct misses stays bounded. */
const MAX_MIRRORED_BYTES = 2 * 2 ** 30;

function bodyOf(bytes: number): Buffer {
  return bytes <= CHUNK.length ? CHUNK.subarray(0, bytes) : Buffer.alloc(bytes, 'mirrorspec bench ');
}

function fixedHeaders(bytes: number) {
  return {
    'content-type': 'application/octet-stream',
    'content-length': String(bytes),
    etag: `"bench-${bytes}"`,
    'last-modified': 'Wed, 02 Dec 2026 00:00:00 GMT',
  };
}

function bare(): (req: IncomingMessage, res: ServerResponse) => void {
  const held = new Map<string, Buffer>();
  return (req, res) => {
    const match = /^\/bench\/hit-(\d+)$/.exec(req.url ?? '');
    const bytes = Number(match?.[1]);
    if (!match || bytes > MAX_HELD) {
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    let body = held.get(req.url as string);
    if (body === undefined) {
      body = Buffer.from(bodyOf(bytes));
      held.set(req.url as string, body);
    }
    res.writeHead(200, fixedHeaders(bytes));
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function origin(): (req: IncomingMessage, res: ServerResponse) => void {
  const counts = new Map<string, number>();
  return (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/_count?')) {
      const path = new URLSearchParams(url.slice('/_count?'.length)).get('path') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end(String(counts.get(path) ?? 0));
      return;
    }
    counts.set(url, (counts.get(url) ?? 0) + 1);
    const held = /^\/mirror\/m(\d+)-/.exec(url);
    const slow = /^\/mirror\/slow(\d+)-(\d+)-/.exec(url);
    const big = /^\/mirror\/big(\d+)-/.exec(url);
    if (held && Number(held[1]) <= MAX_HELD) {
      res.writeHead(200, fixedHeaders(Number(held[1]))).end(bodyOf(Number(held[1])));
    } else if (slow && Number(slow[1]) <= MAX_DELAY_MS && Number(slow[2]) <= MAX_HELD) {
      setTimeout(
        () => res.writeHead(200, fixedHeaders(Number(slow[2]))).end(bodyOf(Number(slow[2]))),
        Number(slow[1]),
      );
    } else if (big) {
      res.writeHead(200, fixedHeaders(Number(big[1])));
      stream(res, Number(big[1]));
    } else {
      res.writeHead(404, { 'content-length': '0' }).end();
    }
  };
}

function mirror(originPort: number): (req: IncomingMessage, res: ServerResponse) => void {
  const agent = new Agent({ keepAliveTimeout: 65_000 });
  const held = new Map<string, { headers: Record<string, string>; body: Buffer }>();
  let heldBytes = 0;
  const answer = (res: ServerResponse, object: { headers: Record<string, string>; body: Buffer }) =>
    res.writeHead(200, object.headers).end(object.body);
  return (req, res) => {
    const url = req.url ?? '/';
    const object = held.get(url);
    if (object !== undefined) return answer(res, object);
    if (!url.startsWith('/mirror/') || heldBytes >= MAX_MIRRORED_BYTES) {
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    agent
      .request({ origin: `http://127.0.0.1:${originPort}`, path: url, method: 'GET' })
      .then(async (fetched) => {
        const body = Buffer.from(await fetched.body.arrayBuffer());
        if (fetched.statusCode !== 200 || body.length > MAX_HELD) throw new Error('not mirrored');
        const stored = { headers: { 'content-length': String(body.length) }, body };
        held.set(url, stored);
        heldBytes += body.length;
        answer(res, stored);
      })
      .catch(() => res.writeHead(502, { 'content-length': '0' }).end());
  };
}

/** Writes `bytes` bytes of the pattern, waiting for the socket whenever it says it is full. */
function stream(res: ServerResponse, bytes: number): void {
  let left = bytes;
  const more = () => {
    while (left > 0) {
      const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', more);
        return;
      }
    }
    res.end();
  };
  res.once('close', () => {
    left = 0;
  });
  more();
}

const [role, portText, originPortText] = process.argv.slice(2);
const port = Number(portText);
const originPort = Number(originPortText);
const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
if (!(role === 'bare' || role === 'origin' || (role === 'mirror' && isPort(originPort))) || !isPort(port)) {
  process.stderr.write('usage: node-peer.ts bare|origin <port> | node-peer.ts mirror <port> <origin port>\n');
  process.exit(2);
}
const roles = { bare, origin, mirror: () => mirror(originPort) };
const server = createServer({ keepAliveTimeout: 65_000 }, roles[role]());
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${port}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
