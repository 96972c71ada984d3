// How the memory store takes in the bytes of one write: copied (the writer's caller may reuse its buffer)
// and hashed for the ETag. Two ways, one interface. A small object is copied and hashed on the spot. A
// large one (its size declared up front) is copied into shared slabs that a worker thread hashes while
// the next chunks arrive: MD5 runs at about 500 MiB/s, so on the main thread it alone held a 1 GiB miss
// relayed through serve to a fraction of the origin's rate; off it, the copy is all the write costs there.

import { createHash, type Hash, hash as oneShotHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface Intake {
  /**
   * Takes the chunk in and hashes it (now or soon): a copy, unless `handedOver` says the caller will
   * never write to it again. May wait for the hashing to catch up.
   */
  take(chunk: Uint8Array, handedOver?: boolean): void | Promise<void>;
  /** The chunks taken, as stored; the intake is not used after. */
  chunks(): Uint8Array[];
  /** The hex MD5 of everything taken: at once when hashed inline, else once every chunk is hashed. */
  md5(): string | Promise<string>;
  /** Forgets everything taken; safe to call twice or after md5. */
  drop(): void;
}

/**
 * Keeps each chunk (the caller's own when handed over, else a copy) and hashes it one chunk late: a chunk
 * is hashed when the next one is taken, or at md5(). A mirrored miss hands each chunk to its client once
 * the write has taken it, so the client's first bytes no longer wait on their own MD5 (about 100 µs for
 * a first chunk of 64 KiB); the hash of every chunk is still done by the end of the write, as the commit
 * needs it for the ETag. A write of one chunk, most small objects, is hashed in one call at the end, with
 * no Hash object made for it.
 */
export function inlineIntake(): Intake {
  let taken: Uint8Array[] = [];
  let hashed = 0;
  let hash: Hash | undefined;
  const hashUpTo = (end: number) => {
    hash ??= createHash('md5');
    while (hashed < end) hash.update(taken[hashed++] as Uint8Array);
  };
  return {
    take(chunk, handedOver) {
      // Buffer.from puts small copies in Node's shared 8 KiB slabs, so many small objects do not each
      // cost a backing store of their own; a chunk handed over has one already.
      const kept = handedOver && keptAsGiven(chunk) ? chunk : Buffer.from(chunk);
      if (taken.length > 0) hashUpTo(taken.length);
      taken.push(kept);
    },
    chunks: () => taken,
    md5: () => {
      if (hash === undefined && taken.length <= 1) return oneShotHash('md5', taken[0] ?? EMPTY, 'hex');
      hashUpTo(taken.length);
      return (hash as Hash).digest('hex');
    },
    drop() {
      taken = [];
    },
  };
}

const EMPTY = new Uint8Array(0);

/** Whether a chunk handed over is kept as it is: not when it is a small view pinning a much larger buffer. */
function keptAsGiven(chunk: Uint8Array): boolean {
  return chunk.byteLength * 2 >= chunk.buffer.byteLength;
}

/** The size of a shared slab: each full one goes to the worker in one message. */
const SLAB_BYTES = 1024 * 1024;
/** Slabs per write, reused in turn: the main thread copies into one while the worker hashes others. */
const SLABS = 8;

/**
 * The worker's code: one MD5 per write, over the write's slabs (shared memory, sent once: a message per
 * slab that carried the memory itself cost the main thread far more than the copy into it).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const writes = new Map();
parentPort.on('message', (message) => {
  const { id, op } = message;
  if (op === 'begin') {
    writes.set(id, { hash: createHash('md5'), slabs: message.slabs.map((slab) => new Uint8Array(slab)) });
  } else if (op === 'update') {
    const write = writes.get(id);
    write?.hash.update(write.slabs[message.slot].subarray(0, message.length));
    parentPort.postMessage({ id, freed: message.slot });
  } else if (op === 'digest') {
    const write = writes.get(id);
    writes.delete(id);
    parentPort.postMessage({ id, hex: (write?.hash ?? createHash('md5')).digest('hex') });
  } else if (op === 'drop') {
    writes.delete(id);
  }
});
`;

/** What the worker's answers go to: a slab it is done with, the digest of a write. */
interface Session {
  freed(slot: number): void;
  digested(hex: string): void;
  failed(error: Error): void;
}

/**
 * One worker thread hashing the large writes of one store. Started on first use; it holds the process
 * open only while it has work, and `close` ends it. Should it fail, the writes it was hashing fail
 * (nothing is stored) and later writes hash on the main thread.
 *
 * The bytes kept are the caller's own chunks where it hands them over (an origin's body: fresh buffers
 * nobody writes to again), else copies; what the worker reads is a copy into a few shared slabs reused
 * in turn, memory already touched, so hashing apart costs the main thread a memcpy per chunk.
 */
export class HashWorker {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly sessions = new Map<number, Session>();
  private waits = 0;

  /** An intake hashed by the worker, or an inline one if the worker failed. */
  intake(): Intake {
    const worker = this.started();
    if (worker === undefined) return inlineIntake();
    const id = this.nextId++;
    const intake = new WorkerIntake(id, worker, {
      hold: () => this.hold(),
      release: () => this.release(),
      forget: () => this.sessions.delete(id),
    });
    this.sessions.set(id, intake);
    return intake;
  }

  /** The worker holds the process open only while someone waits on it. */
  private hold(): void {
    if (this.waits++ === 0) this.worker?.ref();
  }

  private release(): void {
    if (--this.waits === 0) this.worker?.unref();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker | undefined {
    if (this.failed) return undefined;
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (message: { id: number; freed?: number; hex?: string }) => {
      const session = this.sessions.get(message.id);
      if (message.hex !== undefined) session?.digested(message.hex);
      else if (message.freed !== undefined) session?.freed(message.freed);
    });
    const fail = (error: Error) => {
      this.failed = true;
      if (this.worker === worker) this.worker = undefined;
      for (const session of this.sessions.values()) session.failed(error);
      this.sessions.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the hashing thread ended')));
    this.worker = worker;
    return worker;
  }
}

/** What a worker intake needs of its HashWorker. */
interface Keeper {
  /** While someone waits on the worker, it holds the process open. */
  hold(): void;
  release(): void;
  /** The write needs no more answers. */
  forget(): void;
}

/** One large write hashed by the worker: its chunks, its slabs, and the answers it waits for. */
class WorkerIntake implements Intake, Session {
  private taken: Uint8Array[] = [];
  private readonly slabs = Array.from(
    { length: SLABS },
    () => new Uint8Array(new SharedArrayBuffer(SLAB_BYTES)),
  );
  private readonly free: number[] = this.slabs.map((_, slot) => slot);
  private waitingForSlab: (() => void) | undefined;
  private slot: number;
  private filled = 0;
  private ended: Error | undefined;
  private digest: { resolve(hex: string): void; reject(error: Error): void } | undefined;
  private forgotten = false;

  constructor(
    private readonly id: number,
    private readonly worker: Worker,
    private readonly keeper: Keeper,
  ) {
    this.slot = this.free.shift() as number;
    worker.postMessage({ id, op: 'begin', slabs: this.slabs.map((slab) => slab.buffer) });
  }

  async take(chunk: Uint8Array, handedOver?: boolean): Promise<void> {
    if (this.ended !== undefined) throw this.ended;
    this.taken.push(handedOver && keptAsGiven(chunk) ? chunk : Buffer.from(chunk));
    for (let offset = 0; offset < chunk.byteLength; ) {
      if (this.slot < 0) await this.nextSlab();
      const length = Math.min(chunk.byteLength - offset, SLAB_BYTES - this.filled);
      (this.slabs[this.slot] as Uint8Array).set(chunk.subarray(offset, offset + length), this.filled);
      this.filled += length;
      offset += length;
      if (this.filled === SLAB_BYTES) this.post();
    }
  }

  chunks(): Uint8Array[] {
    // A write given its ETag (a multipart object) never asks for the MD5: the worker forgets it.
    if (this.digest === undefined && !this.forgotten) {
      this.forget();
      this.worker.postMessage({ id: this.id, op: 'drop' });
    }
    return this.taken;
  }

  md5(): Promise<string> {
    if (this.ended !== undefined) return Promise.reject(this.ended);
    this.post();
    this.keeper.hold();
    const digested = new Promise<string>((resolve, reject) => {
      this.digest = { resolve, reject };
      this.worker.postMessage({ id: this.id, op: 'digest' });
    });
    return digested.finally(() => this.keeper.release());
  }

  drop(): void {
    this.taken = [];
    if (this.forgotten) return;
    this.forget();
    this.worker.postMessage({ id: this.id, op: 'drop' });
  }

  freed(slot: number): void {
    this.free.push(slot);
    this.waitingForSlab?.();
  }

  digested(hex: string): void {
    this.forget();
    this.digest?.resolve(hex);
  }

  failed(error: Error): void {
    this.ended = error;
    this.forgotten = true;
    this.digest?.reject(error);
    this.waitingForSlab?.();
  }

  private forget(): void {
    this.forgotten = true;
    this.keeper.forget();
  }

  /** Sends the current slab's bytes to the worker; the next take starts on a free slab. */
  private post(): void {
    if (this.filled === 0) return;
    this.worker.postMessage({ id: this.id, op: 'update', slot: this.slot, length: this.filled });
    this.filled = 0;
    this.slot = -1;
  }

  private async nextSlab(): Promise<void> {
    this.keeper.hold();
    try {
      while (this.free.length === 0 && this.ended === undefined) {
        await new Promise<void>((resolve) => {
          this.waitingForSlab = resolve;
        });
        this.waitingForSlab = undefined;
      }
    } finally {
      this.keeper.release();
    }
    if (this.ended !== undefined) throw this.ended;
    this.slot = this.free.shift() as number;
  }
}
