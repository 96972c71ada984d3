// Pre-push calls over the suite's HTTP client, with responses as values.

import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, type HttpClient, type HttpResult } from './http-client.ts';

export interface PrepushJobView {
  id: string;
  state: 'running' | 'succeeded' | 'cancelled' | 'failed';
  lines: number;
  counts: Record<
    'entries' | 'processed' | 'stored' | 'originNotFound' | 'failed' | 'skipped' | 'invalid' | 'cancelled',
    number
  >;
  resultKey: string;
}

/**
 * How long, and in how many tries, a list waits while the target refuses it for its running cap. The cap
 * counts every job on the target: on one target shared by several test files (a serve process, a
 * container, a gateway cluster) another file's jobs may hold every place for a while, and a law that only
 * wants its list run then waits for one. The wait is bounded, so a target that keeps counting jobs that
 * have ended still fails the law, a minute later.
 */
const PLACE_WAIT_MS = 60_000;
const PLACE_TRIES = 80;

/** Whether the target refused a list for its running cap: the simulator's only 400 InvalidRequest here. */
export function refusedForCap(result: HttpResult): boolean {
  return result.status === 400 && errorCode(result) === 'InvalidRequest';
}

/** The pauses between tries of a refused list: 50 ms doubling to 1 s; false once the wait is used up. */
export function placeWait(): () => Promise<boolean> {
  const deadline = Date.now() + PLACE_WAIT_MS;
  let tries = 0;
  let pause = 50;
  return async () => {
    tries++;
    if (tries >= PLACE_TRIES || Date.now() + pause > deadline) return false;
    await sleep(pause);
    pause = Math.min(pause * 2, 1_000);
    return true;
  };
}

/**
 * Submits a pre-push list, again while the target refuses it for its running cap (within placeWait's
 * bound); `once` sends it once, for the law about that cap.
 */
export async function createPrepush(
  http: HttpClient,
  bucket: string,
  body: string | Uint8Array,
  options: { mode?: string; concurrency?: number; json?: boolean; once?: boolean } = {},
): Promise<HttpResult> {
  const query = new URLSearchParams();
  if (options.mode) query.set('mode', options.mode);
  if (options.concurrency) query.set('concurrency', String(options.concurrency));
  const request = {
    method: 'POST',
    path: `/_mirrorspec/buckets/${bucket}/prepush${query.size > 0 ? `?${query}` : ''}`,
    body,
    headers: { 'content-type': options.json ? 'application/json' : 'text/plain; charset=utf-8' },
  };
  const wait = placeWait();
  for (;;) {
    const created = await http.send(request);
    if (options.once || !refusedForCap(created) || !(await wait())) return created;
  }
}

async function readJob(http: HttpClient, bucket: string, id: string): Promise<PrepushJobView> {
  const result = await http.send({ method: 'GET', path: `/_mirrorspec/buckets/${bucket}/prepush/${id}` });
  if (result.status !== 200) throw new Error(`reading pre-push job ${id} gave ${result.status}`);
  return JSON.parse(Buffer.from(result.body).toString('utf8')) as PrepushJobView;
}

/** Polls until the job leaves `running`, for at most `timeoutMs`. */
export async function waitForJob(http: HttpClient, bucket: string, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await readJob(http, bucket, id);
    if (job.state !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`pre-push job ${id} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function cancelPrepush(http: HttpClient, bucket: string, id: string): Promise<HttpResult> {
  return http.send({ method: 'DELETE', path: `/_mirrorspec/buckets/${bucket}/prepush/${id}` });
}

/** The result file's rows (without the header), as arrays of fields. */
export function parseResultCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  return rows.slice(1);
}
