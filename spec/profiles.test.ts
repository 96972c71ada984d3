import { describe, expect, it } from 'vitest';
import { loadProfile, ProfileError, parseProfile, profileIds } from './profiles.ts';

describe('vendor profiles', () => {
  it('has a profile for the neutral model and every vendor', () => {
    expect(profileIds()).toEqual(
      expect.arrayContaining(['cdnetworks', 'cos', 'jdcloud', 'ks3', 'neutral', 'obs', 'oss', 'us3']),
    );
  });

  it.each(profileIds())('%s loads and names its sources', (id) => {
    const profile = loadProfile(id);
    expect(profile.id).toBe(id);
    if (id !== 'neutral') expect(profile.sources.length).toBeGreaterThan(0);
  });

  it('refuses an unknown profile, field or switch value with a message that names it', () => {
    expect(() => loadProfile('s3')).toThrow(/unknown profile 's3': use one of/);
    const neutral = 'vendor: v\nsources: []\nlimits: {maxRules: 1, maxObjectSize: 1}\n';
    expect(() => parseProfile(`${neutral}switches: {headTriger: never}`, 'x')).toThrow(ProfileError);
    expect(() => parseProfile(`${neutral}extra: 1`, 'x')).toThrow(/unknown field 'extra'/);
    // The id is the vendor's folder name, so a file cannot claim another.
    expect(() => parseProfile(`id: y\n${neutral}`, 'x')).toThrow(/unknown field 'id'/);
  });
});
