// The suite's HTTP client. Responses are values, never exceptions: a 404 or a 424 is as plain a result as
// a 200, and a connection cut mid-body is reported as `cut` with the bytes that did arrive.

import { Agent } from 'undici';
import { recordExchange } from './http-trace.ts';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Set when the connection ended before the response was complete. */
  cut?: string;
}

export interface HttpRequest {
  method: string;
  /** The request target, sent exactly as given: encoded path and optional query. */
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/** A request sent and not answered yet. */
interface PendingRequest {
  endpoint: string;
  method: string;
  path: string;
  startedAt: number;
}

const pending = new Set<PendingRequest>();

/** Requests still waiting for their answer, so a law stopped by its timeout can say what it waited for. */
export function pendingRequests(): PendingRequest[] {
  return [...pending];
}

export class HttpClient {
  private readonly agent = new Agent({ headersTimeout: 60_000, bodyTimeout: 60_000 });
  readonly origin: string;

  private readonly prepare: ((request: HttpRequest) => HttpRequest | Promise<HttpRequest>) | undefined;

  /**
   * `prepare` turns each request into the one sent (and recorded): a vendor target addresses buckets
   * by host and signs there.
   */
  constructor(
    endpoint: string,
    options: { prepare?: (request: HttpRequest) => HttpRequest | Promise<HttpRequest> } = {},
  ) {
    this.origin = new URL(endpoint).origin;
    this.prepare = options.prepare;
  }

  async send(asked: HttpRequest): Promise<HttpResult> {
    const request = this.prepare ? await this.prepare(asked) : asked;
    const startedAt = Date.now();
    const waiting: PendingRequest = {
      endpoint: this.origin,
      method: request.method,
      path: request.path,
      startedAt,
    };
    pending.add(waiting);
    try {
      const result = await this.exchange(request);
      recordExchange(this.origin, request, result, startedAt);
      return result;
    } catch (error) {
      // No answer at all (refused, reset before the status line): still part of what happened.
      recordExchange(
        this.origin,
        request,
        { status: 0, headers: {}, body: new Uint8Array(), cut: String(error) },
        startedAt,
      );
      throw error;
    } finally {
      pending.delete(waiting);
    }
  }

  private async exchange(request: HttpRequest): Promise<HttpResult> {
    const response = await this.agent.request({
      origin: this.origin,
      path: request.path,
      method: request.method as 'GET',
      headers: request.headers ?? {},
      body: request.body ?? null,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      return { status: response.statusCode, headers, body: Buffer.concat(chunks) };
    } catch (error) {
      return {
        status: response.statusCode,
        headers,
        body: Buffer.concat(chunks),
        cut: (error as Error).message,
      };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The S3 error code of an XML error body, if it has one. */
export function errorCode(result: HttpResult): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(Buffer.from(result.body).toString('utf8'))?.[1];
}

export function errorMessage(result: HttpResult): string | undefined {
  return /<Message>([^<]*)<\/Message>/.exec(Buffer.from(result.body).toString('utf8'))?.[1];
}
