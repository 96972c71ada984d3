// The one write loop of a miss: an origin body read once, whoever reads it (the client through the relay,
// or the store alone). Every chunk is held to the size cap, fed to the MD5 check and written back; the
// object becomes visible only when the body has ended complete, so a short body, a reset, an idle origin
// or a wrong MD5 aborts the write and no partial object is ever stored.

import { createHash } from 'node:crypto';
import type { NewObjectMeta, ObjectMeta } from '../core/object-headers.ts';
import type { OriginResponse } from '../origin/origin-client.ts';
import { type Generation, type ObjectWriter, StoreFull } from '../storage/object-store.ts';

export interface OriginBodyOptions {
  response: OriginResponse;
  /** Absent when nothing is written back: the body is still read, capped and checked. */
  writer: ObjectWriter | undefined;
  meta: NewObjectMeta;
  /** The key's generation when the miss began: a PUT or DELETE since then wins over this write. */
  ifGeneration: Generation;
  maxObjectSize: number;
  /** The rule's MD5 check (OSS MirrorCheckMd5 [oss-put]). */
  checkMd5: boolean;
  /**
   * Called once: with what was stored when the body ended complete (undefined when nothing was stored,
   * because writing back is off or a PUT or DELETE won), or with the error when the body failed.
   */
  onSettled?: (stored: ObjectMeta | undefined, error?: Error) => void;
}

export class OriginBody {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private readonly check: BodyCheck;
  private received = 0;
  private ended = false;
  private settled = false;
  /** The stored object, once the body has ended complete and the write won. */
  stored: ObjectMeta | undefined;
  /** Dropped when the store is full: the body is still relayed and checked, and nothing is stored. */
  private writer: ObjectWriter | undefined;

  constructor(private readonly options: OriginBodyOptions) {
    this.chunks = options.response.body[Symbol.asyncIterator]();
    this.check = bodyCheck(options.checkMd5, options.response.headers);
    this.writer = options.writer;
  }

  /** Whether the body has ended complete (and was verified and committed). */
  get done(): boolean {
    return this.ended;
  }

  /** The body's length as the origin declared it (Content-Length), when it did. */
  get declaredSize(): number | undefined {
    const declared = this.options.response.headers['content-length'];
    return declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
  }

  /** Bytes read so far. */
  get size(): number {
    return this.received;
  }

  /** The next chunk, already checked and written back; null at the end of a complete body. */
  async next(): Promise<Uint8Array | null> {
    const { maxObjectSize } = this.options;
    const result = await this.chunks.next();
    if (result.done) {
      this.check.verify();
      this.ended = true;
      this.stored = await this.writer?.commit(this.options.meta, { ifGeneration: this.options.ifGeneration });
      this.settle(this.stored);
      return null;
    }
    const chunk = result.value;
    this.received += chunk.byteLength;
    if (this.received > maxObjectSize) {
      throw new Error(`the origin sent more than the size cap of ${maxObjectSize} bytes`);
    }
    this.check.update(chunk);
    await this.writeBack(chunk);
    return chunk;
  }

  /** Reads the rest of the body: the stored object, or undefined. Throws, once failed, when the body fails. */
  async readRest(): Promise<ObjectMeta | undefined> {
    try {
      while (!this.ended) await this.next();
    } catch (error) {
      throw this.fail(error);
    }
    return this.stored;
  }

  /** Gives up on the body after `error`: nothing is stored and the origin connection is released. */
  fail(error: unknown): Error {
    const failure = error instanceof Error ? error : new Error(String(error));
    // Aborting a writer drops what it holds; it has nothing to report, so it is not waited on.
    this.writer?.abort().catch(() => undefined);
    this.writer = undefined;
    this.options.response.discard();
    this.settle(undefined, failure);
    return failure;
  }

  /** A full store skips the write-back (the client still gets the object); nothing partial is kept. */
  private async writeBack(chunk: Uint8Array): Promise<void> {
    try {
      // The origin client's chunks are fresh buffers nobody writes to again: a store may keep them.
      await this.writer?.write(chunk, { handedOver: true });
    } catch (error) {
      if (!(error instanceof StoreFull)) throw error;
      await this.writer?.abort();
      this.writer = undefined;
    }
  }

  private settle(stored: ObjectMeta | undefined, error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.options.onSettled?.(stored, error);
  }
}

interface BodyCheck {
  update(chunk: Uint8Array): void;
  /** Throws when the body does not match what the origin announced. */
  verify(): void;
}

const NO_CHECK: BodyCheck = { update() {}, verify() {} };

/**
 * Checks a body against the Content-MD5 its origin announced, when the rule asks for it (OSS
 * MirrorCheckMd5: a mismatch is not stored [oss-put][oss-424]; no Content-MD5 means no check [oss-put]).
 */
function bodyCheck(checkMd5: boolean, headers: Record<string, string>): BodyCheck {
  const announced = headers['content-md5']?.trim();
  if (!checkMd5 || announced === undefined) return NO_CHECK;
  const hash = createHash('md5');
  return {
    update: (chunk) => hash.update(chunk),
    verify: () => {
      const actual = hash.digest('base64');
      if (actual !== announced) {
        throw new Error(`the body's MD5 is ${actual} but the origin's Content-MD5 says ${announced}`);
      }
    },
  };
}
