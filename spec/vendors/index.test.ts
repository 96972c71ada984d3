import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProfile, profileIds } from '../profiles.ts';
import {
  dialectFor,
  dialectIds,
  ruleApiFor,
  ruleApiMatches,
  ruleApiPath,
  vendorFor,
  vendorHeaderPrefixes,
  vendorIds,
  vendorPresignedParameters,
} from './index.ts';

const HERE = new URL('./', import.meta.url);
const folders = readdirSync(HERE).filter((name) => statSync(new URL(name, HERE)).isDirectory());

describe('the vendor registry', () => {
  it('lists every vendor folder, and every vendor it lists has a folder with its profile and record', () => {
    expect([...vendorIds].sort()).toEqual(folders.sort());
    for (const id of vendorIds) {
      const files = readdirSync(new URL(`${id}/`, HERE));
      expect(files).toEqual(expect.arrayContaining(['profile.yaml', 'vendor.ts']));
    }
  });

  it("has a profile for each vendor, named by its folder, besides the neutral model's", () => {
    expect(profileIds()).toEqual(['neutral', ...vendorIds].sort());
    for (const id of vendorIds) expect(loadProfile(id).id).toBe(id);
  });

  it('gives each vendor with a rule API a dialect of its own id, fixtures and a README', () => {
    for (const id of dialectIds) {
      expect(dialectFor(id).id).toBe(id);
      const files = readdirSync(new URL(`${id}/`, HERE));
      expect(files).toEqual(
        expect.arrayContaining(['dialect.ts', 'dialect.test.ts', 'fixtures', 'README.md']),
      );
    }
  });

  it('routes each rule API address to its vendor, the running profile first where two share one', () => {
    for (const id of dialectIds) {
      const path = ruleApiPath(ruleApiFor(id).address, 'bk1', 'cn-north-1');
      const [rawPath = '', name] = path.split('?');
      const target =
        name === undefined
          ? { kind: 'path' as const, rawPath }
          : { kind: 'subresource' as const, names: [name] };
      const matches = ruleApiMatches(target, id);
      expect(matches[0]?.id).toBe(id);
      if (name === undefined) expect(matches[0]?.bucket).toBe('bk1');
    }
    expect(ruleApiMatches({ kind: 'subresource', names: ['acl'] }, 'oss')).toEqual([]);
    expect(ruleApiMatches({ kind: 'path', rawPath: '/v1/regions/r/buckets/b/other' }, 'jdcloud')).toEqual([]);
  });

  it("writes header prefixes lower-case and ending in '-', and every security token header under one", () => {
    for (const id of vendorIds) {
      const vendor = vendorFor(id);
      for (const prefix of vendor.headerPrefixes) expect(prefix).toMatch(/^[a-z0-9-]+-$/);
      const token = vendor.securityTokenHeader;
      if (token !== undefined)
        expect(vendor.headerPrefixes.some((prefix) => token.startsWith(prefix))).toBe(true);
    }
    expect(vendorHeaderPrefixes()).toEqual(
      expect.arrayContaining(['x-oss-', 'x-kss-', 'x-obs-', 'x-cos-', 'x-jdcloud-']),
    );
    expect(vendorPresignedParameters()).toEqual(
      expect.arrayContaining(['ossaccesskeyid', 'kssaccesskeyid', 'q-signature']),
    );
  });
});
