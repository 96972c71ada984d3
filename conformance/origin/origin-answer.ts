// The answer to one scripted request, written exactly as its script says: status and validators,
// one byte range, the headers (lies included), then the body with its pause and its cut, each after
// exactly the promised byte.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { originBodyLength, originChunks, originMd5, originSlice } from './origin-bytes.ts';
import type { OriginScript } from './scriptable-origin.ts';

/** The body's bytes to send, as [start, end) offsets. */
interface Span {
  start: number;
  end: number;
}

/** What the head promised of the body. */
interface Head {
  /** No body follows: a HEAD, a 204 or a 304. */
  bodyless: boolean;
  /** The range asked for, or undefined for the whole body. */
  span: Span | undefined;
  length: number;
}

export async function answer(
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

  const head = sendHead(req, res, script, version);
  if (head === undefined) return;
  if (head.bodyless) {
    res.end();
    // After a lie about the length the connection is out of step, so it must not be reused.
    if (script.contentLength !== undefined) closeConnection(socket);
    return;
  }
  await sendBody(res, script, head, signal, socket);
}

/** Status and headers, sent; undefined when that was the whole answer (a 416). */
function sendHead(
  req: IncomingMessage,
  res: ServerResponse,
  script: OriginScript,
  version: Version | undefined,
): Head | undefined {
  let status = script.redirect ? (script.redirect.status ?? 302) : (script.status ?? 200);
  if (version !== undefined) {
    res.setHeader('etag', version.etag);
    res.setHeader('last-modified', version.lastModified);
    if (status === 200 && notModified(req, version)) status = 304;
  }
  const whole = originBodyLength(script.body);
  let span: Span | undefined;
  if (script.ranges) {
    const asked = rangeAnswer(req, res, status, whole);
    if (asked === 'answered') return undefined;
    if (asked !== undefined) {
      span = asked;
      status = 206;
    }
  }
  // node:http never sends a body for these; neither do we, so HEAD of a 5 GiB body costs nothing.
  const bodyless = req.method === 'HEAD' || status === 204 || status === 304;
  const length = span === undefined ? whole : span.end - span.start;
  setBodyHeaders(res, script, status, length);
  res.writeHead(status);
  return { bodyless, span, length };
}

/**
 * The range a ranged script answers (its Content-Range set), undefined for the whole body, or
 * `answered` when nothing of it is in the body and the 416 has been sent.
 */
function rangeAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  whole: number,
): Span | 'answered' | undefined {
  res.setHeader('accept-ranges', 'bytes');
  const asked = status === 200 ? byteRange(req.headers.range, whole) : undefined;
  if (asked === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${whole}`, 'content-length': 0 });
    res.end();
    return 'answered';
  }
  if (asked !== undefined) res.setHeader('content-range', `bytes ${asked.start}-${asked.end - 1}/${whole}`);
  return asked;
}

/** Framing, Content-MD5 and Location as scripted; the script's own headers last, so they win. */
function setBodyHeaders(res: ServerResponse, script: OriginScript, status: number, length: number): void {
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
}

/** The body, or its range, with the scripted pause halfway and the cut after `resetAfterBytes`. */
async function sendBody(
  res: ServerResponse,
  script: OriginScript,
  { span, length }: Head,
  signal: AbortSignal,
  socket: Socket | null,
): Promise<void> {
  const middle = script.delayMidBodyMs || script.gateMidBody ? Math.floor(length / 2) : undefined;
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
      if (script.gateMidBody) {
        await script.gateMidBody();
        // The store may have given up on this answer, or the origin closed, while the gate was shut.
        if (signal.aborted) return false;
      }
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
  // After a lie about the length the connection is out of step, so it must not be reused.
  if (script.contentLength !== undefined || cut !== undefined) closeConnection(socket);
}

/**
 * Half-closes after everything written so far has left, then destroys. A FIN rather than an RST
 * (socket.resetAndDestroy) because an RST can make the peer's kernel drop bytes it has received but
 * not yet handed over, and tests count exactly how many bytes arrived before the cut.
 */
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
export class ScriptVersions {
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
