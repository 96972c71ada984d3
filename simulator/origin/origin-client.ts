// How the simulator reaches an origin. The default speaks HTTP through undici; tests of the simulator's
// own pieces may inject another.

export interface OriginRequest {
  /** scheme://host[:port] */
  origin: string;
  /** Request target sent as it is: already encoded, never normalised. */
  path: string;
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export interface OriginResponse {
  status: number;
  headers: Record<string, string>;
  /** Rejects when the body ends early, is shorter than its Content-Length or goes idle too long. */
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  discard(): void;
}

export interface OriginClient {
  /** Rejects when the origin cannot be reached or sends no headers in time. */
  get(request: OriginRequest): Promise<OriginResponse>;
  close(): Promise<void>;
}

export interface OriginTimeouts {
  /** Time to open a connection. */
  connectMs: number;
  /** Time from the request to the response headers. OSS documents 10 s [oss-guide-zh]. */
  headersMs: number;
  /** Longest pause between two body chunks. */
  bodyIdleMs: number;
}

export const DEFAULT_ORIGIN_TIMEOUTS: OriginTimeouts = {
  connectMs: 10_000,
  headersMs: 10_000,
  bodyIdleMs: 10_000,
};
