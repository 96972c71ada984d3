// A bucket's keys kept in UTF-8 byte order, the order S3 lists them in, so a listing page costs a binary
// search and the page, not a sort of every key. Sorted blocks of at most MAX_BLOCK keys: insert and delete
// find the block and the place in it by binary search, and move at most a block's keys. One sorted array
// moved half the bucket's keys on every insert: 14 µs of each mirrored miss at 20,000 keys, growing with
// the bucket.

/**
 * Compares two strings as their UTF-8 bytes would compare, without encoding them: UTF-16 code units
 * order as code points (and so as UTF-8) except that surrogates (a code point above U+FFFF) sort after
 * every unit from U+E000. Shifting those two ranges past each other fixes that.
 */
function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Keys per block at most; a block past it is split in two. */
const MAX_BLOCK = 512;

export class KeyIndex {
  /** Non-empty, each sorted, every key of one before every key of the next. */
  private readonly blocks: string[][] = [];
  private count = 0;

  /** `maxBlock`: keys per block at most; small in tests, so that splits and empty blocks happen. */
  constructor(private readonly maxBlock = MAX_BLOCK) {}

  get size(): number {
    return this.count;
  }

  /** Adds the key unless it is there already. */
  insert(key: string): void {
    if (this.blocks.length === 0) {
      this.blocks.push([key]);
      this.count++;
      return;
    }
    // The first block whose last key is not before this one, or the last block for a key after all.
    const index = Math.min(this.blockFor(key), this.blocks.length - 1);
    const block = this.blocks[index] as string[];
    const at = firstAtOrAfter(block, key);
    if (block[at] === key) return;
    block.splice(at, 0, key);
    this.count++;
    if (block.length > this.maxBlock) this.blocks.splice(index + 1, 0, block.splice(block.length >>> 1));
  }

  delete(key: string): void {
    const index = this.blockFor(key);
    const block = this.blocks[index];
    if (block === undefined) return;
    const at = firstAtOrAfter(block, key);
    if (block[at] !== key) return;
    block.splice(at, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(index, 1);
  }

  /** Up to `limit` keys starting with `prefix` and after `startAfter`, in order. */
  range(prefix: string, startAfter: string, limit: number): string[] {
    const from = compareUtf8(startAfter, prefix) >= 0 ? startAfter : prefix;
    let index = this.blockFor(from);
    let at = index < this.blocks.length ? firstAtOrAfter(this.blocks[index] as string[], from) : 0;
    const out: string[] = [];
    for (; index < this.blocks.length && out.length < limit; index++, at = 0) {
      const block = this.blocks[index] as string[];
      for (; at < block.length && out.length < limit; at++) {
        const key = block[at] as string;
        if (key === startAfter) continue;
        // Keys under a prefix are contiguous in this order: the first one without it ends the range.
        if (!key.startsWith(prefix)) return out;
        out.push(key);
      }
    }
    return out;
  }

  /** The index of the first block whose last key is not before `key` (the count when there is none). */
  private blockFor(key: string): number {
    let low = 0;
    let high = this.blocks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const block = this.blocks[middle] as string[];
      if (compareUtf8(block[block.length - 1] as string, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The index of the first key not before `key` (the array's length when every key is before it). */
function firstAtOrAfter(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareUtf8(keys[middle] as string, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
