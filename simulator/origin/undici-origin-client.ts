import { Agent } from 'undici';
import type { OriginClient, OriginRequest, OriginResponse, OriginTimeouts } from './origin-client.ts';

/** Fetches from origins with undici's dispatcher API, which sends the request path exactly as given. */
export class UndiciOriginClient implements OriginClient {
  private readonly agent: Agent;

  constructor(timeouts: OriginTimeouts) {
    this.agent = new Agent({
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyIdleMs,
    });
  }

  async get(request: OriginRequest): Promise<OriginResponse> {
    const response = await this.agent.request({
      origin: request.origin,
      path: request.path,
      method: 'GET',
      headers: request.headers,
      signal: request.signal ?? null,
    });
    // Errors reach the reader through iteration; without a listener, an abort (reset, close) of a body
    // nobody is reading would surface as an unhandled 'error' event.
    response.body.on('error', () => undefined);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: response.statusCode,
      headers,
      body: response.body,
      discard: () => response.body.destroy(),
    };
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
