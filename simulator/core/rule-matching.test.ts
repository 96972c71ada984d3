import { describe, expect, it } from 'vitest';
import { type MirrorRule, normaliseRule } from '../../spec/rules.ts';
import { matchRule } from './rule-matching.ts';

const rule = (id: string, condition?: MirrorRule['condition']): MirrorRule =>
  normaliseRule({ id, origins: ['http://o.example/'], ...(condition ? { condition } : {}) });

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

  it('holds a header condition only when the request carries the header with exactly that value [oss-put]', () => {
    const rules = [rule('cdn', { headers: [{ name: 'Host', equals: 'cdn.example.com' }] }), rule('all')];
    expect(matchRule(rules, 'k', new Headers({ host: 'cdn.example.com' }))?.id).toBe('cdn');
    expect(matchRule(rules, 'k', new Headers({ host: 'CDN.example.com' }))?.id).toBe('all');
    expect(matchRule(rules, 'k', new Headers())?.id).toBe('all');
    expect(matchRule(rules, 'k')?.id).toBe('all');
  });
});
