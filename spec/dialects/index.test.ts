import { describe, expect, it } from 'vitest';
import { profileIds } from '../profiles.ts';
import { DIALECT_SUBRESOURCES, dialectFor, dialectIds } from './index.ts';

describe('the dialect registry', () => {
  it('routes each subresource to the dialect that says it lives there', () => {
    for (const [name, id] of Object.entries(DIALECT_SUBRESOURCES)) {
      expect(dialectFor(id).address).toEqual({ kind: 'subresource', name });
    }
    expect(dialectFor('jdcloud').address).toEqual({ kind: 'jd-openapi' });
  });

  it('has a profile of the same name for every dialect, which the simulator speaks it in', () => {
    for (const id of dialectIds) expect(profileIds()).toContain(id);
    expect(dialectIds.map((id) => dialectFor(id).id)).toEqual(dialectIds);
  });
});
