// The order vitest starts the tree's test files in (`npm test`).
// vitest's own sequencer starts the files that took longest last time, but only from a cache of an
// earlier run in the same tree; a fresh clone (CI, a newcomer's first `npm test`) has none, and then the
// largest files go first. Size says nothing about time here: the files that wait longest (on origin
// timeouts, on child checks) are small, so they started last and ran on alone while the other workers
// had nothing left to do. These files start first, in the order given, and the rest follow in vitest's
// own order; no file is left out or run twice.

import { BaseSequencer, type TestSequencerConstructor } from 'vitest/node';

type Specification = Parameters<BaseSequencer['sort']>[0][number];

/** A sequencer that starts the files whose paths end with one of `first` (in that order) before the rest. */
export function slowFilesFirst(first: readonly string[]): TestSequencerConstructor {
  const rank = (file: Specification) => {
    const at = first.findIndex((name) => file.moduleId.endsWith(`/${name}`));
    return at === -1 ? first.length : at;
  };
  return class SlowFilesFirst extends BaseSequencer {
    override async sort(files: Specification[]): Promise<Specification[]> {
      // Array sort is stable: files of the same rank keep vitest's order.
      return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
    }
  };
}
