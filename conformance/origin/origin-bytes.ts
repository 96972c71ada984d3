import { createHash } from 'node:crypto';

/** What a scripted origin sends as a body: literal text or bytes, or `size` pseudo-random bytes from `seed`. */
export type OriginBody = string | Uint8Array | { size: number; seed: number };

// 64 KiB is large enough to keep per-chunk overhead negligible and small enough that a slow client
// holds back at most a few chunks. A multiple of 4, so every chunk boundary falls on a PRNG draw.
const CHUNK_BYTES = 64 * 1024;

/**
 * The body as a sequence of fresh chunks (each may be handed to a socket and kept by it).
 * Generated bodies are produced lazily, so a 5 GiB body costs one chunk of memory at a time.
 */
export function* originChunks(body: OriginBody | undefined): Generator<Uint8Array> {
  if (body === undefined) return;
  if (typeof body === 'string') {
    yield Buffer.from(body, 'utf8');
    return;
  }
  if (body instanceof Uint8Array) {
    for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
      yield body.subarray(offset, offset + CHUNK_BYTES);
    }
    return;
  }
  yield* generatedChunks(body.size, body.seed);
}

/** The bytes from `start` up to `end` (exclusive), chunk by chunk: a Range answer of any size in bounded memory. */
export function* originSlice(
  body: OriginBody | undefined,
  start: number,
  end: number,
): Generator<Uint8Array> {
  let offset = 0;
  for (const chunk of originChunks(body)) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, chunk.length);
    if (from < to) yield chunk.subarray(from, to);
    offset += chunk.length;
    if (offset >= end) return;
  }
}

/** Body length in bytes, without producing the body. */
export function originBodyLength(body: OriginBody | undefined): number {
  if (body === undefined) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (body instanceof Uint8Array) return body.length;
  return body.size;
}

/** The exact bytes that a `{ size, seed }` body produces; meant for small sizes in tests. */
export function originBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of generatedChunks(size, seed)) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** sha256 hex of the body a script would send; generated bodies are hashed chunk by chunk. */
export function originDigest(body: OriginBody | undefined): string {
  return hashBody(body, 'sha256').toString('hex');
}

// A Content-MD5 of a large generated body costs a full pass over it before the headers can go out;
// scripts are re-run for every request, so remember the few digests a test run asks for.
const generatedMd5 = new Map<string, Buffer>();

/** MD5 of the body, as Content-MD5 wants it before base64. */
export function originMd5(body: OriginBody | undefined): Buffer {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    return hashBody(body, 'md5');
  }
  const key = `${body.size}:${body.seed}`;
  let digest = generatedMd5.get(key);
  if (digest === undefined) {
    digest = hashBody(body, 'md5');
    generatedMd5.set(key, digest);
  }
  return digest;
}

function hashBody(body: OriginBody | undefined, algorithm: 'sha256' | 'md5'): Buffer {
  const hash = createHash(algorithm);
  for (const chunk of originChunks(body)) hash.update(chunk);
  return hash.digest();
}

/**
 * mulberry32 (Tommy Ettinger, public domain): one 32-bit draw per 4 bytes, emitted little-endian
 * byte by byte so the stream does not depend on the host's endianness. The stream is a pure
 * function of the seed, so a shorter body is a prefix of a longer one with the same seed.
 */
function* generatedChunks(size: number, seed: number): Generator<Uint8Array> {
  let state = seed >>> 0;
  for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
    const length = Math.min(CHUNK_BYTES, size - offset);
    const chunk = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      const draw = (t ^ (t >>> 14)) >>> 0;
      chunk[i] = draw & 0xff;
      // The last draw of an odd-sized body is cut short; typed arrays ignore out-of-range writes.
      chunk[i + 1] = (draw >>> 8) & 0xff;
      chunk[i + 2] = (draw >>> 16) & 0xff;
      chunk[i + 3] = draw >>> 24;
    }
    yield chunk;
  }
}
