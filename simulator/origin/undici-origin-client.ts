import { type LookupAddress, lookup } from 'node:dns';
import { createRequire } from 'node:module';
import type { Agent, buildConnector, Dispatcher } from 'undici';
import { ipLiteral } from '../core/address-policy.ts';
import type { OriginClient, OriginRequest, OriginResponse, OriginTimeouts } from './origin-client.ts';
import type { SelfEndpoints } from './self-endpoints.ts';

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** Why an origin address is refused, or undefined when it may be connected to. */
type AddressPolicy = (address: string) => string | undefined;

function undici(): typeof import('undici') {
  return createRequire(import.meta.url)('undici') as typeof import('undici');
}

const ALLOW_HINT = 'start the simulator with --allow-private-origins (allowPrivateOrigins: true) to allow it';

/**
 * What a client hears of an origin that could not be reached while addresses are guarded. One sentence
 * for a refused address, a name that does not resolve, a refused or timed-out connection and a silent
 * origin, so a 424 never tells what a name resolves to or whether an internal host is up (proposed: an
 * open mirror would otherwise be a DNS and port probe into the network it runs in).
 */
export const UNREACHABLE =
  'the origin could not be reached: its name does not resolve, its address is refused (loopback, ' +
  'private or internal addresses are, unless the simulator is started with --allow-private-origins), ' +
  'it refused the connection, or it sent no response headers in time';

/**
 * Fetches from origins with undici's dispatcher API, which sends the request path exactly as given.
 * Unless private origins are allowed, every address is checked where the connection is made: an IP
 * literal before connecting, a name in the socket's own DNS lookup, so the address checked is the one
 * connected to (no DNS rebinding between check and use), for redirects as for configured origins.
 */
export class UndiciOriginClient implements OriginClient {
  // undici is loaded on the first origin fetch, not at start: loading it is a large part of what
  // `mirrorspec serve` would otherwise spend before it answers (tools/bench/startup-bench.ts).
  private readonly agentOptions: Agent.Options;
  private agentInstance: Agent | undefined;
  private readonly policy: AddressPolicy | undefined;
  private readonly self: SelfEndpoints | undefined;
  private readonly headersMs: number;
  private readonly connectors = new Map<number, buildConnector.connector>();

  /**
   * Without an address policy every address is allowed. With `self`, the addresses the simulator listens
   * on are refused whatever the policy, checked against every address a name resolves to.
   */
  constructor(
    private readonly timeouts: OriginTimeouts,
    options: { addressPolicy?: AddressPolicy; self?: SelfEndpoints } = {},
  ) {
    this.policy = options.addressPolicy;
    this.self = options.self;
    this.headersMs = timeouts.headersMs;
    const guarded = this.policy !== undefined || this.self !== undefined;
    this.agentOptions = {
      // The port is part of what is checked (the simulator's own port on loopback, not the origin's),
      // and a lookup does not see it: one connector per port, each with its own lookup.
      connect: guarded
        ? (connectOptions, callback) => this.connectorFor(connectOptions)(connectOptions, callback)
        : { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyIdleMs,
    };
  }

  private connectorFor(options: buildConnector.Options): buildConnector.connector {
    const port = Number(options.port || (options.protocol === 'https:' ? 443 : 80));
    let connector = this.connectors.get(port);
    if (connector === undefined) {
      connector = undici().buildConnector({ timeout: this.timeouts.connectMs, lookup: this.lookupFor(port) });
      this.connectors.set(port, connector);
    }
    return connector;
  }

  private lookupFor(port: number) {
    return (hostname: string, lookupOptions: object, callback: LookupCallback) => {
      lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        // A name with this simulator among its addresses names the simulator: refused whole.
        const own = addresses.find((entry) => this.self?.includes(entry.address, port));
        if (own)
          return callback(new Error(`${hostname} resolves to ${this.self?.problem(own.address, port)}`), []);
        const allowed = addresses.filter((entry) => this.policy?.(entry.address) === undefined);
        if (allowed.length === 0) {
          const reason = this.policy?.(addresses[0]?.address ?? '') ?? 'no address';
          return callback(new Error(`${hostname} resolves to ${reason}; ${ALLOW_HINT}`), []);
        }
        if ((lookupOptions as { all?: boolean }).all) return callback(null, allowed);
        const first = allowed[0] as LookupAddress;
        callback(null, first.address, first.family);
      });
    };
  }

  private get agent(): Agent {
    this.agentInstance ??= new (undici().Agent)(this.agentOptions);
    return this.agentInstance;
  }

  async get(request: OriginRequest): Promise<OriginResponse> {
    if (!this.policy) return this.send(request);
    try {
      return await this.send(request);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new Error(UNREACHABLE);
    }
  }

  private async send(request: OriginRequest): Promise<OriginResponse> {
    const url = new URL(request.origin);
    const literal = ipLiteral(url.hostname);
    if (literal !== undefined) {
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const self = this.self?.problem(literal, port);
      if (self) throw new Error(`the origin address ${self}`);
      const reason = this.policy?.(literal);
      if (reason) throw new Error(`the origin address ${reason}; ${ALLOW_HINT}`);
    }
    // undici checks headersTimeout on a coarse clock (ticks of about half a second), so an origin could
    // answer well after the timeout and still count; this timer holds the origin to it exactly.
    const late = new AbortController();
    const timer = setTimeout(() => late.abort(), this.headersMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin: request.origin,
        path: request.path,
        method: 'GET',
        headers: request.headers,
        signal: request.signal ? AbortSignal.any([request.signal, late.signal]) : late.signal,
      });
    } catch (error) {
      if (late.signal.aborted && !request.signal?.aborted) {
        throw new Error(`the origin sent no response headers within ${this.headersMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
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
    await this.agentInstance?.destroy();
  }
}
