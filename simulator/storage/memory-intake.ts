// How the memory store takes in the bytes of one write: copied (the writer's caller may reuse its buffer)
// and hashed for the ETag. Two ways, one interface. A small object is copied and hashed on the spot. A
// large one (its size declared up front) is copied into shared slabs that a worker thread hashes while
// the next chunks arrive: MD5 runs at about 500 MiB/s, so on the main thread it alone held a 1 GiB miss
// relayed through serve to a fraction of the origin's rate; off it, the copy is all the write costs there.

import { createHash } from 'node:crypto';
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

/** Copies and hashes each chunk as it comes. */
export function inlineIntake(): Intake {
  let taken: Uint8Array[] = [];
  const hash = createHash('md5');
  return {
    take(chunk) {
      // Buffer.from puts small copies in Node's shared 8 KiB slabs, so many small objects do not each
      // cost a backing store of their own.
      const copy = Buffer.from(chunk);
      taken.push(copy);
      hash.update(copy);
    },
    chunks: () => taken,
    md5: () => hash.digest('hex'),
    drop() {
      taken = [];
    },
  };
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
    let taken: Uint8Array[] = [];
    const slabs = Array.from({ length: SLABS }, () => new Uint8Array(new SharedArrayBuffer(SLAB_BYTES)));
    const free: number[] = slabs.map((_, slot) => slot);
    let waitingForSlab: (() => void) | undefined;
    let slot = free.shift() as number;
    let filled = 0;
    let ended: Error | undefined;
    let digest: { resolve(hex: string): void; reject(error: Error): void } | undefined;
    const session: Session = {
      freed: (slab) => {
        free.push(slab);
        waitingForSlab?.();
      },
      digested: (hex) => {
        this.forget(id);
        digest?.resolve(hex);
      },
      failed: (error) => {
        ended = error;
        digest?.reject(error);
        waitingForSlab?.();
      },
    };
    this.sessions.set(id, session);
    worker.postMessage({ id, op: 'begin', slabs: slabs.map((slab) => slab.buffer) });
    const post = () => {
      if (filled === 0) return;
      worker.postMessage({ id, op: 'update', slot, length: filled });
      filled = 0;
      slot = -1;
    };
    const nextSlab = async () => {
      this.hold();
      try {
        while (free.length === 0 && ended === undefined) {
          await new Promise<void>((resolve) => {
            waitingForSlab = resolve;
          });
          waitingForSlab = undefined;
        }
      } finally {
        this.release();
      }
      if (ended !== undefined) throw ended;
      slot = free.shift() as number;
    };
    return {
      take: async (chunk, handedOver) => {
        if (ended !== undefined) throw ended;
        // Kept as given when handed over and not a small view pinning a much larger buffer.
        taken.push(
          handedOver && chunk.byteLength * 2 >= chunk.buffer.byteLength ? chunk : Buffer.from(chunk),
        );
        for (let offset = 0; offset < chunk.byteLength; ) {
          if (slot < 0) await nextSlab();
          const length = Math.min(chunk.byteLength - offset, SLAB_BYTES - filled);
          (slabs[slot] as Uint8Array).set(chunk.subarray(offset, offset + length), filled);
          filled += length;
          offset += length;
          if (filled === SLAB_BYTES) post();
        }
      },
      chunks: () => taken,
      md5: () => {
        if (ended !== undefined) return Promise.reject(ended);
        post();
        this.hold();
        const digested = new Promise<string>((resolve, reject) => {
          digest = { resolve, reject };
          worker.postMessage({ id, op: 'digest' });
        });
        return digested.finally(() => this.release());
      },
      drop: () => {
        taken = [];
        if (!this.sessions.has(id)) return;
        this.forget(id);
        worker.postMessage({ id, op: 'drop' });
      },
    };
  }

  private forget(id: number): void {
    this.sessions.delete(id);
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
