// A Request for the fetch function that costs what is read of it. Building a real Request (a URL parsed,
// a Headers filled, an AbortSignal, a body stream) costs more than a whole hit does otherwise, and a hit
// reads only the method, the URL and a few headers. So the node adapter hands over an object that is a
// Request (it inherits Request.prototype, so `instanceof Request` holds) whose method, url and headers are
// read straight off node's IncomingMessage, the headers built on first use; anything else (the body, the
// signal, clone(), text(), …) builds the real Request once and answers from it. The idea is
// @hono/node-server's (src/request.ts), which does the same for the same reason.

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

const incoming = Symbol('incoming');
const target = Symbol('target');
const cachedUrl = Symbol('url');
const cachedHeaders = Symbol('headers');
const real = Symbol('request');

interface LazyFields {
  [incoming]: IncomingMessage;
  [target]: string;
  [cachedUrl]?: string;
  [cachedHeaders]?: Headers;
  [real]?: Request;
}

function urlOf(self: LazyFields): string {
  self[cachedUrl] ??= requestUrl(self[incoming].headers.host, self[target]);
  return self[cachedUrl];
}

function headersOf(self: LazyFields): Headers {
  if (self[cachedHeaders] === undefined) {
    const raw = self[incoming].rawHeaders;
    const headers = new Headers();
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
    self[cachedHeaders] = headers;
  }
  return self[cachedHeaders];
}

/** The real Request, built on first need; its headers are the ones already handed out, if any. */
function realOf(self: LazyFields): Request {
  if (self[real] === undefined) {
    const req = self[incoming];
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    self[real] = new Request(urlOf(self), {
      method,
      headers: headersOf(self),
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    } as RequestInit);
  }
  return self[real];
}

const lazyPrototype: object = Object.create(Request.prototype, {
  method: {
    get(this: LazyFields) {
      return this[incoming].method ?? 'GET';
    },
  },
  url: {
    get(this: LazyFields) {
      return urlOf(this);
    },
  },
  headers: {
    get(this: LazyFields) {
      return this[real]?.headers ?? headersOf(this);
    },
  },
});

// Every other member of Request.prototype answers from the real Request: its getters and methods check
// that `this` is a real one, so none may run on the stand-in itself.
for (const key of Reflect.ownKeys(Request.prototype)) {
  if (key === 'constructor' || key === 'method' || key === 'url' || key === 'headers') continue;
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, key) as PropertyDescriptor;
  if (typeof descriptor.value === 'function') {
    const name = key;
    Object.defineProperty(lazyPrototype, key, {
      value(this: LazyFields, ...args: unknown[]) {
        const request = realOf(this) as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>;
        return request[name]?.(...args);
      },
      writable: true,
      configurable: true,
    });
  } else if (descriptor.get) {
    Object.defineProperty(lazyPrototype, key, {
      get(this: LazyFields) {
        return (realOf(this) as unknown as Record<PropertyKey, unknown>)[key];
      },
      configurable: true,
    });
  }
}

/** A Request for what node received: `requestTarget` is the request target exactly as it came. */
export function lazyRequest(req: IncomingMessage, requestTarget: string): Request {
  const fields: LazyFields = Object.create(lazyPrototype);
  fields[incoming] = req;
  fields[target] = requestTarget;
  return fields as unknown as Request;
}

/** The absolute URL of the request: its Host and target, or localhost where the Host makes no URL. */
function requestUrl(host: string | undefined, requestTarget: string): string {
  for (const candidate of [
    `http://${host ?? 'localhost'}${requestTarget}`,
    `http://localhost${requestTarget}`,
  ]) {
    try {
      return new URL(candidate).href;
    } catch {
      // Try the next form.
    }
  }
  return 'http://localhost/';
}
