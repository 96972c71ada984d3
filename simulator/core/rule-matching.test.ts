import { describe, expect, it } from 'vitest';
import type { MirrorRule } from './mirror-config.ts';
import { matchRule } from './rule-matching.ts';

const rule = (id: string, condition?: MirrorRule['condition']): MirrorRule => ({
  id,
  ...(condition ? { condition } : {}),
  mode: 'mirror',
  origins: ['http://o.example/'],
  passQueryString: false,
  followRedirects: true,
  headers: { passAll: false, pass: [], remove: [], set: [] },
  writeBack: true,
  checkMd5: false,
  acl: 'private',
  triggerOnHead: false,
});

describe('rule matching', () => {
  it('uses the first rule whose whole condition holds', () => {
    const rules = [
      rule('jpg', { keyPrefix: 'img/', keySuffix: '.jpg' }),
      rule('img', { keyPrefix: 'img/' }),
      rule('all'),
    ];
    expect(matchRule(rules, 'img/a.jpg')?.id).toBe('jpg');
    expect(matchRule(rules, 'img/a.png')?.id).toBe('img');
    expect(matchRule(rules, 'doc/a.jpg')?.id).toBe('all');
  });

  it('matches no rule when no condition holds, and treats * and ? literally', () => {
    expect(matchRule([rule('star', { keyPrefix: '*' })], 'abc')).toBeUndefined();
    expect(matchRule([rule('star', { keyPrefix: '*' })], '*abc')?.id).toBe('star');
    expect(matchRule([], 'abc')).toBeUndefined();
  });
});
