// The law files are where their names say, and judge what they declare: a behaviour's laws live in the
// file its id prefix names, so a new id tells its author which file; and `mirrorspec check` reads each
// file's declaration (laws/law-files.ts) to know which ones can judge an endpoint.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { behaviourIds } from '../spec/catalogue.ts';
import { behaviourIdsIn } from './check/check-status.ts';
import { LAW_FILES } from './laws/law-files.ts';

const laws = new URL('./laws/', import.meta.url).pathname;
const files = readdirSync(laws).filter((name) => name.endsWith('.test.ts'));
const prefixOf = (id: string) => id.slice(0, id.indexOf('.'));

describe('law files', () => {
  it('every law file declares what it judges, and every declaration names a law file', () => {
    expect(Object.keys(LAW_FILES).sort()).toEqual([...files].sort());
  });

  it("every behaviour's laws live in the file its id prefix names: <prefix>.test.ts or <prefix>.<part>.test.ts", () => {
    const prefixes = new Set([...behaviourIds()].map(prefixOf));
    const misplaced = files.flatMap((file) => {
      const named = /^([a-z0-9]+)(?:\.[a-z0-9-]+)?\.test\.ts$/.exec(file)?.[1];
      if (named === undefined || !prefixes.has(named)) return [`${file}: not named after an id prefix`];
      return behaviourIdsIn(join(laws, file))
        .filter((id) => prefixOf(id) !== named)
        .map((id) => `${id} in ${file}`);
    });
    expect(misplaced).toEqual([]);
  });

  it('a file declared to judge any target uses the law fixture, and one that judges only its own simulators never does', () => {
    const wrong = files.filter((file) => {
      const usesFixture = readFileSync(join(laws, file), 'utf8').includes('useLawFixture(');
      return usesFixture === (LAW_FILES[file] === 'own-simulators');
    });
    expect(wrong).toEqual([]);
  });

  it('a file declared to need only S3 checks only s3.* behaviours (the S3 baseline)', () => {
    const wrong = files
      .filter((file) => LAW_FILES[file] === 's3-target')
      .flatMap((file) => behaviourIdsIn(join(laws, file)).filter((id) => prefixOf(id) !== 's3'));
    expect(wrong).toEqual([]);
    expect(Object.values(LAW_FILES)).toContain('s3-target');
  });
});
