// What the disk store keeps in memory: for each bucket, its keys in UTF-8 byte order with each object's
// generation, loaded from the files at open; per-key locks for check-and-commit; and a fixed table of
// counters for the tokens of absent keys. Nothing here grows with the bytes stored, only with the keys.

import { createHash } from 'node:crypto';

/**
 * Compares two strings in the order of their UTF-8 bytes (which is code point order) without encoding
 * them: UTF-16 code unit order differs only where a surrogate meets a unit at or above U+E000, so those
 * are shifted before comparing (the fix-up of ICU's u_strCompare in code point order).
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** The keys of one bucket, sorted, each with its object's generation token. */
export class KeyIndex {
  private readonly keys: string[] = [];
  private readonly generations = new Map<string, string>();

  get size(): number {
    return this.keys.length;
  }

  generation(key: string): string | undefined {
    return this.generations.get(key);
  }

  /** Index of the first key greater than `key` (or at least `key`, with `inclusive`). */
  private position(key: string, inclusive: boolean): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareUtf8(this.keys[middle] as string, key);
      if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  set(key: string, generation: string): void {
    if (!this.generations.has(key)) this.keys.splice(this.position(key, true), 0, key);
    this.generations.set(key, generation);
  }

  delete(key: string): boolean {
    if (!this.generations.delete(key)) return false;
    this.keys.splice(this.position(key, true), 1);
    return true;
  }

  /** Up to `limit` keys starting with `prefix`, after `startAfter`, in UTF-8 byte order. */
  list(prefix: string, startAfter: string, limit: number): string[] {
    const from =
      compareUtf8(startAfter, prefix) > 0 ? this.position(startAfter, false) : this.position(prefix, true);
    const out: string[] = [];
    for (let index = from; index < this.keys.length && out.length < limit; index++) {
      const key = this.keys[index] as string;
      if (!key.startsWith(prefix)) break;
      out.push(key);
    }
    return out;
  }
}

/** One chain of work per name: the next task starts when the one before has settled. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    const result = before.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(name, tail);
    // The map holds only names with work queued, so it is bounded by the requests in flight.
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return result;
  }
}

// 4096 counters: 32 KiB, whatever the number of keys ever deleted.
const SLOTS = 4096;

/**
 * Tokens for keys without an object. A delete moves on the counter of the key's slot, so the key's token
 * changes; another key sharing the slot sees its token change too, which only makes a conditional
 * write-back give way when it need not (never the reverse). The tokens name this open of the store, so
 * none is handed out again after a restart.
 */
export class AbsentTokens {
  private readonly counters = new Uint32Array(SLOTS);

  constructor(private readonly openId: string) {}

  private slot(bucket: string, key: string): number {
    return createHash('sha1').update(bucket).update('\0').update(key).digest().readUInt32BE(0) % SLOTS;
  }

  token(bucket: string, key: string): string {
    const slot = this.slot(bucket, key);
    return `${this.openId}.a${slot}.${this.counters[slot]}`;
  }

  bump(bucket: string, key: string): void {
    const slot = this.slot(bucket, key);
    this.counters[slot] = ((this.counters[slot] ?? 0) + 1) >>> 0;
  }
}
