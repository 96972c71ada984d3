// The soak's HTTP client. Like the suite's client, answers are values, never exceptions; unlike it, bodies
// are hashed as they arrive instead of kept, so thousands of 2 MB answers cost no memory, and every
// request is counted by outcome on the way.

import { createHash } from 'node:crypto';
import { Agent } from 'undici';

/** What one request came to. */
export interface SoakAnswer {
  /** Undefined when no status line arrived (refused, reset before the answer, timed out). */
  status?: number;
  headers: Record<string, string>;
  /** Body bytes received. */
  length: number;
  /** sha256 hex of the body bytes received. */
  sha256: string;
  /** Set when the connection ended before the answer was complete, with or without a status line. */
  cut?: string;
}

export type Outcome = '200' | '204' | '404' | '424' | 'cut' | 'other';

// Far above anything the simulator should take (its origin timeout is 1 s), so a request that hits
// these is a hang worth reporting, not load.
const HEADERS_TIMEOUT_MS = 20_000;
const BODY_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 40_000;

export class SoakHttp {
  private readonly agent = new Agent({
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: BODY_TIMEOUT_MS,
    // Many short requests: keep idle connections a while so the clients do not churn ports.
    keepAliveTimeout: 10_000,
  });
  readonly origin: string;
  readonly outcomes = new Map<Outcome, number>();
  /** Statuses counted as 'other', by status. */
  readonly otherStatuses = new Map<number, number>();
  /** Connection errors, by message (the message of an undici error names its kind). */
  readonly cutReasons = new Map<string, number>();
  sent = 0;

  constructor(endpoint: string) {
    this.origin = new URL(endpoint).origin;
  }

  async send(method: string, path: string, body?: Uint8Array): Promise<SoakAnswer> {
    this.sent++;
    const answer = await this.exchange(method, path, body);
    this.count(answer);
    return answer;
  }

  private async exchange(method: string, path: string, body?: Uint8Array): Promise<SoakAnswer> {
    const hash = createHash('sha256');
    let length = 0;
    let status: number | undefined;
    const headers: Record<string, string> = {};
    try {
      const response = await this.agent.request({
        origin: this.origin,
        path,
        method: method as 'GET',
        body: body ?? null,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.statusCode;
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      for await (const chunk of response.body) {
        hash.update(chunk as Buffer);
        length += (chunk as Buffer).byteLength;
      }
      return { status, headers, length, sha256: hash.digest('hex') };
    } catch (error) {
      const answer: SoakAnswer = { headers, length, sha256: hash.digest('hex'), cut: reason(error) };
      if (status !== undefined) answer.status = status;
      return answer;
    }
  }

  private count(answer: SoakAnswer): void {
    let outcome: Outcome;
    if (answer.cut !== undefined) {
      outcome = 'cut';
      // Messages are fixed strings in undici, but a bound keeps an odd one from growing the table.
      const known = this.cutReasons.has(answer.cut) || this.cutReasons.size < 20;
      bump(this.cutReasons, known ? answer.cut : 'other reasons');
    } else if (answer.status === 200 || answer.status === 204 || answer.status === 404) {
      outcome = String(answer.status) as Outcome;
    } else if (answer.status === 424) {
      outcome = '424';
    } else {
      outcome = 'other';
      bump(this.otherStatuses, answer.status ?? 0);
    }
    bump(this.outcomes, outcome);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Whether the answer is a whole 200: no cut, and as many bytes as a Content-Length promised. */
export function whole200(answer: SoakAnswer): boolean {
  if (answer.status !== 200 || answer.cut !== undefined) return false;
  const promised = answer.headers['content-length'];
  return promised === undefined || Number(promised) === answer.length;
}

export function bump<K>(counts: Map<K, number>, key: K, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
}
