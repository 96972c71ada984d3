// What the soak counts of the origin: fetches per episode of each kind, and which kinds must take one.

/** Origin requests per episode of one kind. */
export class Tally {
  episodes = 0;
  total = 0;
  max = 0;
  min = Number.POSITIVE_INFINITY;

  add(fetches: number): void {
    this.episodes++;
    this.total += fetches;
    this.max = Math.max(this.max, fetches);
    this.min = Math.min(this.min, fetches);
  }

  mean(): number {
    return this.episodes === 0 ? 0 : this.total / this.episodes;
  }
}

/**
 * Episodes whose key ended stored through the mirror; their fetches must be exactly 1. For a miss
 * overtaken by a DELETE the fetch that was overtaken is not counted: the misses still waiting must
 * fetch again, once between them.
 */
export const STORED_TALLIES = [
  'stored miss',
  'stored concurrent miss',
  'stored again by concurrent misses after a DELETE overtook their fetch',
] as const;
