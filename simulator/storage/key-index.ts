// A bucket's keys kept in UTF-8 byte order, the order S3 lists them in, so a listing page costs a binary
// search and the page, not a sort of every key. A sorted array: insert and delete find their place by
// binary search (the move after it is one memmove).

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

export class KeyIndex {
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Adds the key unless it is there already. */
  insert(key: string): void {
    const at = this.firstAtOrAfter(key);
    if (this.keys[at] !== key) this.keys.splice(at, 0, key);
  }

  delete(key: string): void {
    const at = this.firstAtOrAfter(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
  }

  /** Up to `limit` keys starting with `prefix` and after `startAfter`, in order. */
  range(prefix: string, startAfter: string, limit: number): string[] {
    let at = this.firstAtOrAfter(prefix);
    if (compareUtf8(startAfter, prefix) >= 0) {
      at = Math.max(at, this.firstAtOrAfter(startAfter));
      if (this.keys[at] === startAfter) at++;
    }
    const out: string[] = [];
    for (; at < this.keys.length && out.length < limit; at++) {
      const key = this.keys[at] as string;
      // Keys under a prefix are contiguous in this order: the first one without it ends the range.
      if (!key.startsWith(prefix)) break;
      out.push(key);
    }
    return out;
  }

  /** The index of the first key not before `key` (the array's length when every key is before it). */
  private firstAtOrAfter(key: string): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareUtf8(this.keys[middle] as string, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
