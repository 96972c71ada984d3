// Every conformance test names the catalogue behaviour it checks. An unknown id fails when the file
// loads; catalogue-coverage.test.ts checks the other direction (every id has a test).

import { it } from 'vitest';
import { behaviourIds } from '../../spec/catalogue.ts';
import { traceBehaviour } from './trace-plugin.ts';

const known = behaviourIds();

export function behaviour(
  id: string,
  title: string,
  test: () => Promise<void> | void,
  timeout?: number,
): void {
  if (!known.has(id))
    throw new Error(`conformance test '${title}' names '${id}', which is not in spec/behaviours.yaml`);
  it(`[${id}] ${title}`, () => traceBehaviour(id, title, test), timeout);
}
