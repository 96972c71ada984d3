// Every conformance test names the catalogue behaviour it checks. An unknown id fails when the file
// loads; catalogue-coverage.test.ts checks the other direction (every id has a test).

import { it } from 'vitest';
import { behaviourIds } from '../../spec/catalogue.ts';
import { beginBehaviourRuns, isAbsent, notApplicableIn } from './not-applicable.ts';
import { noteNotApplicable, traceBehaviour } from './trace-plugin.ts';

const known = behaviourIds();

export function behaviour(
  id: string,
  title: string,
  test: () => Promise<void> | void,
  timeout?: number,
): void {
  if (!known.has(id))
    throw new Error(`conformance test '${title}' names '${id}', which is not in spec/behaviours.yaml`);
  it(
    `[${id}] ${title}`,
    async (context) => {
      beginBehaviourRuns();
      try {
        await traceBehaviour(id, title, test);
      } catch (error) {
        const notApplicable = notApplicableIn(error);
        if (notApplicable === undefined) throw error;
        const absent = isAbsent(notApplicable);
        noteNotApplicable(id, title, notApplicable.message, absent);
        context.skip(`${absent ? 'absent' : 'not applicable'}: ${notApplicable.message}`);
      }
    },
    timeout,
  );
}
