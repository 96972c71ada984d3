// COS origins with a path, which COS says with FileInfo: what render writes for each, and what it reads
// back as.

import { describe, expect, it } from 'vitest';
import { notExpressible, originUrlOfKey } from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import { cosDialect } from './dialect.ts';
import { rule, type Tree, treeParser } from './dialect-trees.ts';

describe('origins with a path, which COS says with FileInfo', () => {
  /** The OriginInfo render writes for one rule, and the rule it reads back as. */
  const written = (overrides: Partial<MirrorRuleDocument>) => {
    const neutral = rule(overrides);
    const body = cosDialect.render({ rules: [neutral] });
    const tree = treeParser.parse(body) as { OriginConfiguration: { OriginRule: Tree[] } };
    const info = tree.OriginConfiguration.OriginRule[0]?.OriginInfo as Tree;
    const back = cosDialect.parse(body).configuration.rules[0] as MirrorRuleDocument;
    return { neutral, info, back };
  };
  /** The origin URL of each key is the same under the neutral rule and the one read back, for every origin. */
  const sameUrls = (
    { neutral, back }: { neutral: MirrorRuleDocument; back: MirrorRuleDocument },
    keys: string[],
  ) => {
    for (const key of keys) {
      neutral.origins.forEach((_, index) => {
        expect(originUrlOfKey(back, key, index)).toBe(originUrlOfKey(neutral, key, index));
      });
    }
  };

  it('writes the host as HostName and the path, with its slash, as the Prefix of every key', () => {
    const result = written({ origins: ['http://127.0.0.1:42331/cos'] });
    expect(result.info).toEqual({
      HostInfo: [{ HostName: '127.0.0.1:42331' }],
      FileInfo: { PrefixConfiguration: { Prefix: 'cos/' } },
    });
    expect(result.back).toMatchObject({
      origins: ['http://127.0.0.1:42331'],
      keyRewrite: { replacePrefixWith: 'cos/' },
    });
    sameUrls(result, ['a.png', 'img/a b.png', '../x', '']);
    expect(originUrlOfKey(result.back, 'img/a b.png', 0)).toBe('http://127.0.0.1:42331/cos/img/a%20b.png');
  });

  it("keeps the rule's keyPrefix behind the path, and takes a trailing '/' or none alike", () => {
    const result = written({ origins: ['http://o.example/base/dir/'], condition: { keyPrefix: 'img/' } });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'base/dir/' } });
    expect(result.back.keyRewrite).toEqual({ replacePrefixWith: 'base/dir/img/' });
    sameUrls(result, ['img/a.png', 'img/', 'img/./x']);
  });

  it('writes one Prefix for a HostName and standby origins that share the path', () => {
    const result = written({
      origins: ['https://a.example/static', 'https://b.example:8443/static/', 'https://c.example/static'],
      failoverOn: ['5XX'],
    });
    expect(result.info).toEqual({
      HostInfo: [
        { HostName: 'a.example', StandbyHostName_1: 'b.example:8443', StandbyHostName_2: 'c.example' },
      ],
      FileInfo: { PrefixConfiguration: { Prefix: 'static/' } },
    });
    sameUrls(result, ['a.css', 'js/app.js']);
  });

  it('puts the path in front of what replacePrefixWith adds before the keyPrefix', () => {
    const result = written({
      origins: ['http://o.example/cos'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: 'pics/img/' },
    });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'cos/pics/' } });
    expect(result.back.keyRewrite).toEqual({ replacePrefixWith: 'cos/pics/img/' });
    sameUrls(result, ['img/a.png', 'img/']);
    const same = written({
      origins: ['http://o.example/cos'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: 'img/' },
    });
    expect(same.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'cos/' } });
    sameUrls(same, ['img/a.png']);
  });

  it('drops a keyPrefix that the end of the path spells again, since COS only adds in front', () => {
    // http://o.example/static/img + (img/a.png without img/) is http://o.example/ + static/ + img/a.png.
    const result = written({
      origins: ['http://o.example/static/img'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: '' },
    });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'static/' } });
    sameUrls(result, ['img/a.png', 'img/x/y']);
    const whole = written({
      origins: ['http://o.example/img'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: '' },
    });
    expect(whole.info.FileInfo).toBeUndefined();
    expect(whole.back.keyRewrite).toBeUndefined();
    sameUrls(whole, ['img/a.png']);
  });

  it('puts the path in front of a FixedFilePath, which may then be the path itself', () => {
    const fixed = written({
      origins: ['http://o.example/cos'],
      keyRewrite: { replaceKeyWith: 'index.html' },
    });
    expect(fixed.info.FileInfo).toEqual({ FixedFileConfiguration: { FixedFilePath: 'cos/index.html' } });
    expect(fixed.back.keyRewrite).toEqual({ replaceKeyWith: 'cos/index.html' });
    sameUrls(fixed, ['a.png']);
    const bare = written({ origins: ['http://o.example/cos'], keyRewrite: { replaceKeyWith: '' } });
    expect(bare.info.FileInfo).toEqual({ FixedFileConfiguration: { FixedFilePath: 'cos/' } });
    sameUrls(bare, ['a.png']);
  });

  it('puts the path in front of the Prefix of a replaceKeyWith around ${key}', () => {
    const around = written({
      origins: ['http://o.example/cos'],
      keyRewrite: { replaceKeyWith: 'archive/${key}.orig' },
    });
    expect(around.info.FileInfo).toEqual({
      PrefixConfiguration: { Prefix: 'cos/archive/' },
      SuffixConfiguration: { Suffix: '.orig' },
    });
    expect(around.back.keyRewrite).toEqual({ replaceKeyWith: 'cos/archive/${key}.orig' });
    sameUrls(around, ['a.png', 'x/y']);
    const after = written({
      origins: ['http://o.example/cos'],
      keyRewrite: { replaceKeyWith: '${key}.jpg' },
    });
    expect(after.info.FileInfo).toEqual({
      PrefixConfiguration: { Prefix: 'cos/' },
      SuffixConfiguration: { Suffix: '.jpg' },
    });
    sameUrls(after, ['a']);
    const before = written({
      origins: ['http://o.example/cos'],
      condition: { keyPrefix: 'a/' },
      keyRewrite: { replaceKeyWith: 'm/${key}' },
    });
    expect(before.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'cos/m/' } });
    expect(before.back.keyRewrite).toEqual({ replacePrefixWith: 'cos/m/a/' });
    sameUrls(before, ['a/b']);
  });

  it('decodes escapes in the path, since COS encodes the whole pulled name as a key', () => {
    const result = written({ origins: ['http://o.example/a%20b/%C3%A9t%C3%A9/x.y'] });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'a b/été/x.y/' } });
    sameUrls(result, ['k', 'c d/é']);
    const literal = written({ origins: ['http://o.example/%24%7Bkey%7D'] });
    expect(literal.back.keyRewrite).toEqual({ replacePrefixWith: '${key}/' });
    sameUrls(literal, ['k']);
  });

  it('reads the path as a URL parser does: dot segments resolved, empty segments kept', () => {
    const dots = written({ origins: ['http://o.example/a/../b/./c'] });
    expect(dots.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'b/c/' } });
    sameUrls(dots, ['k']);
    const empty = written({ origins: ['http://o.example/a//b//'] });
    expect(empty.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'a//b//' } });
    sameUrls(empty, ['k', '/k']);
    const root = written({ origins: ['http://o.example//'] });
    expect(root.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: '/' } });
    sameUrls(root, ['k']);
  });

  it('says why an origin path cannot be folded in', () => {
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/x', 'http://b.example/y'] })] })
        .message,
    ).toContain('same path');
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/a%2Fb'] })] }).message,
    ).toContain('%2F');
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/%FF'] })] }).message,
    ).toContain('UTF-8');
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/%00'] })] }).message,
    ).toContain('XML');
  });
});
