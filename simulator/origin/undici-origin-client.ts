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

  private send(request: OriginRequest): Promise<OriginResponse> {
    const url = new URL(request.origin);
    const literal = ipLiteral(url.hostname);
    if (literal !== undefined) {
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const self = this.self?.problem(literal, port);
      if (self) return Promise.reject(new Error(`the origin address ${self}`));
      const reason = this.policy?.(literal);
      if (reason) return Promise.reject(new Error(`the origin address ${reason}; ${ALLOW_HINT}`));
    }
    const exchange = new Exchange(this.headersMs, request.signal);
    this.agent.dispatch(
      { origin: request.origin, path: request.path, method: 'GET', headers: request.headers },
      exchange,
    );
    return exchange.response;
  }

  async close(): Promise<void> {
    await this.agentInstance?.destroy();
  }
}

/**
 * The most of a body read ahead of its reader before the origin's socket is paused. Four 64 KiB reads: at
 * one (undici's Readable default) a reader a chunk behind paused and resumed the socket for every chunk.
 */
const BODY_HIGH_WATER_BYTES = 256 * 1024;

type Settle<T> = { resolve(value: T): void; reject(error: Error): void };

/**
 * One request to an origin, from dispatch to the end of its body: undici's handler for it, and the body's
 * iterator. Chunks go from the parser to the reader through one queue, with no stream between them: the
 * socket is paused while the queue holds `BODY_HIGH_WATER_BYTES`, and resumed as the reader takes them.
 * An abort (the caller's signal, the headers timer, discard) reaches undici through its controller.
 */
class Exchange implements Dispatcher.DispatchHandler, AsyncIterableIterator<Uint8Array> {
  readonly response: Promise<OriginResponse>;
  private head!: Settle<OriginResponse>;
  private controller: Dispatcher.DispatchController | undefined;
  /** Why the exchange was aborted before undici handed over its controller. */
  private abortReason: Error | undefined;
  private started = false;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private discarded = false;
  private reader: Settle<IteratorResult<Uint8Array>> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    headersMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.response = new Promise<OriginResponse>((resolve, reject) => {
      this.head = { resolve, reject };
    });
    // undici checks headersTimeout on a coarse clock (ticks of about half a second), so an origin could
    // answer well after the timeout and still count; this timer holds the origin to it exactly.
    this.timer = setTimeout(
      () => this.abort(new Error(`the origin sent no response headers within ${headersMs} ms`)),
      headersMs,
    );
    // The exchange is the signal's listener itself (handleEvent): no closure is made per request.
    if (signal?.aborted) this.handleEvent();
    else signal?.addEventListener('abort', this, { once: true });
  }

  /** The caller's signal was aborted. */
  handleEvent(): void {
    if (this.signal !== undefined) this.abort(abortError(this.signal));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason !== undefined) controller.abort(this.abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    received: Record<string, string | string[] | undefined>,
  ): void {
    // An informational answer (100 Continue, 103 Early Hints) comes before the real one.
    if (statusCode < 200 || this.failure !== undefined) return;
    clearTimeout(this.timer);
    this.started = true;
    const headers: Record<string, string> = {};
    for (const name in received) {
      const value = received[name];
      // undici names them in lower case already; a repeated one comes as a list.
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.head.resolve({
      status: statusCode,
      headers,
      body: this,
      discard: () => this.discard(),
    });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.discarded) return;
    const reader = this.reader;
    if (reader !== undefined) {
      this.reader = undefined;
      reader.resolve({ done: false, value: chunk });
      return;
    }
    this.queue.push(chunk);
    this.queued += chunk.byteLength;
    if (this.queued > BODY_HIGH_WATER_BYTES) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.release();
    const reader = this.reader;
    this.reader = undefined;
    reader?.resolve({ done: true, value: undefined });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      this.queued -= chunk.byteLength;
      // Resuming may hand over the next chunks at once: taken first, this one is not overtaken.
      if (this.controller?.paused && this.queued < BODY_HIGH_WATER_BYTES) this.controller.resume();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    if (this.controller?.paused) this.controller.resume();
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  /** A reader leaving early (a `for await` that breaks) releases the connection. */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.discard();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** Stops reading and releases the connection; what was queued is dropped. */
  private discard(): void {
    if (this.ended || this.discarded) return;
    this.discarded = true;
    this.queue.length = 0;
    this.queued = 0;
    this.abort(new Error('the origin body was discarded'));
  }

  private abort(reason: Error): void {
    if (this.ended || this.failure !== undefined) return;
    if (this.controller === undefined) this.abortReason = reason;
    else this.controller.abort(reason);
    this.fail(reason);
  }

  /** The first failure wins: before the headers it rejects the response, after them the body's reader. */
  private fail(error: Error): void {
    if (this.ended || this.failure !== undefined) return;
    this.failure = error;
    this.release();
    if (!this.started) {
      this.head.reject(error);
      return;
    }
    const reader = this.reader;
    this.reader = undefined;
    reader?.reject(error);
  }

  private release(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this);
  }
}

/** What an aborted signal says, as an Error (a DOMException AbortError unless it was given a reason). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}
