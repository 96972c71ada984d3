// The HTTP exchanges of one property run, kept so that a failure's report can show what the client sent
// the target and what the target then asked the origin. One buffer per process: the laws of a file run
// one after another, and a property's runs never overlap, so "the current run" is well defined.

import { runConfig } from '../support/run-config.ts';
import type { HttpRequest, HttpResult } from './http-client.ts';

/** One request of the suite to the target, and its answer. */
export interface TracedExchange {
  /** Milliseconds since the run started. */
  at: number;
  durationMs: number;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBodySize: number;
  status: number;
  responseHeaders: Record<string, string>;
  bodySize: number;
  /** The first bytes of the answer as text, control bytes escaped: enough to see an S3 error code. */
  bodyPrefix: string;
  cut?: string;
}

/** One request the origin received while the run was going on. */
interface TracedOriginRequest {
  at: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
}

export interface RunTrace {
  /** Client to target. */
  client: TracedExchange[];
  /** Target to origin, as the suite's origins logged it. */
  origin: TracedOriginRequest[];
  /** Exchanges left out to keep a trace readable (a run can send thousands, e.g. a pre-push). */
  omitted: number;
}

/** What the trace needs of an origin: its request log, read-only. */
interface TracedOrigin {
  requests(): { method: string; path: string; query: string; headers: Record<string, string>; at: number }[];
}

const MAX_EXCHANGES = 200;
const BODY_PREFIX_BYTES = 160;

interface Recording {
  startedAt: number;
  exchanges: TracedExchange[];
  omitted: number;
  /** How many requests each origin had logged when the run started. */
  marks: Map<TracedOrigin, number>;
}

const origins = new Set<TracedOrigin>();
let recording: Recording | undefined;
/** Every endpoint (scheme, host, port) the suite's clients sent a request to since the last reset. */
const contacted = new Set<string>();

export function resetContacted(): void {
  contacted.clear();
}

/** Whether any client sent a request to `endpoint` since the last reset. */
export function wasContacted(endpoint: string): boolean {
  return contacted.has(new URL(endpoint).origin);
}

/** Tracing costs a copy of every origin log per run, so it is on only when a report will read it. */
function tracingEnabled(): boolean {
  return runConfig().traceDir !== undefined;
}

/** Adds an origin whose requests belong in traces (the law fixture's origin). */
export function traceOrigin(origin: TracedOrigin): void {
  origins.add(origin);
}

export function untraceOrigin(origin: TracedOrigin): void {
  origins.delete(origin);
}

/** Starts a new run's trace, dropping the previous one. */
export function beginRunTrace(): void {
  if (!tracingEnabled()) return;
  const marks = new Map<TracedOrigin, number>();
  for (const origin of origins) marks.set(origin, origin.requests().length);
  recording = { startedAt: Date.now(), exchanges: [], omitted: 0, marks };
}

/** Ends the current run's trace and returns it; undefined if none was recording. */
export function endRunTrace(): RunTrace | undefined {
  const trace = currentRunTrace();
  recording = undefined;
  return trace;
}

/** The current run's trace so far, still recording (for a run stopped at its time limit). */
export function currentRunTrace(): RunTrace | undefined {
  const current = recording;
  if (current === undefined) return undefined;
  const origin: TracedOriginRequest[] = [];
  for (const source of origins) {
    const log = source.requests();
    // A law may clear the log mid-run; then everything logged is this run's.
    const mark = current.marks.get(source) ?? 0;
    for (const request of log.length >= mark ? log.slice(mark) : log) {
      origin.push({
        at: request.at - current.startedAt,
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
      });
    }
  }
  origin.sort((a, b) => a.at - b.at);
  return { client: current.exchanges, origin, omitted: current.omitted };
}

/** Called by HttpClient for every exchange with `endpoint`; traced only while a run is being traced. */
export function recordExchange(
  endpoint: string,
  request: HttpRequest,
  result: HttpResult,
  startedAt: number,
): void {
  contacted.add(endpoint);
  const current = recording;
  if (current === undefined) return;
  if (current.exchanges.length >= MAX_EXCHANGES) {
    current.omitted++;
    return;
  }
  const requestBody = request.body;
  current.exchanges.push({
    at: startedAt - current.startedAt,
    durationMs: Date.now() - startedAt,
    method: request.method,
    path: request.path,
    requestHeaders: { ...(request.headers ?? {}) },
    requestBodySize:
      requestBody === undefined
        ? 0
        : typeof requestBody === 'string'
          ? Buffer.byteLength(requestBody)
          : requestBody.byteLength,
    status: result.status,
    responseHeaders: result.headers,
    bodySize: result.body.byteLength,
    bodyPrefix: textPrefix(result.body),
    ...(result.cut !== undefined ? { cut: result.cut } : {}),
  });
}

function textPrefix(body: Uint8Array): string {
  const text = Buffer.from(body.subarray(0, BODY_PREFIX_BYTES)).toString('utf8');
  // Binary bodies stay readable (and the JSON plain) with control characters shown as escapes.
  let shown = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    shown +=
      (code < 0x20 && c !== '\n' && c !== '\t') || code === 0x7f
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : c;
  }
  return body.byteLength > BODY_PREFIX_BYTES ? `${shown}…` : shown;
}
