import { describe, expect, it } from 'vitest';
import { configProblems, normaliseConfig, normaliseRule } from './rules.ts';

const neverSet = (name: string) => name.toLowerCase() === 'authorization';

describe('rule normalisation', () => {
  it('fills in every default of the spec, and keeps a condition, a rewrite and failoverOn as written', () => {
    expect(normaliseRule({ id: 'r', origins: ['http://o.test/'] })).toEqual({
      id: 'r',
      mode: 'mirror',
      origins: ['http://o.test/'],
      passQueryString: false,
      followRedirects: true,
      headers: { passAll: false, pass: [], remove: [], set: [] },
      writeBack: true,
      checkMd5: false,
      acl: 'private',
      triggerOnHead: false,
      redirectStatus: 302,
    });
    const written = {
      id: 'r',
      origins: ['http://o.test/'],
      condition: { keyPrefix: 'img/', headers: [{ name: 'x-a', equals: '1' }] },
      keyRewrite: { replacePrefixWith: 'pics/' },
      failoverOn: ['5XX'],
    };
    expect(normaliseRule(written)).toMatchObject(written);
  });

  it('shares no array or object with the document it was made from', () => {
    const document = { rules: [{ id: 'r', origins: ['http://o.test/'], headers: { pass: ['x-a'] } }] };
    const normal = normaliseConfig(document);
    document.rules[0]?.origins.push('http://changed.test/');
    document.rules[0]?.headers.pass.push('x-b');
    expect(normal.rules[0]?.origins).toEqual(['http://o.test/']);
    expect(normal.rules[0]?.headers.pass).toEqual(['x-a']);
  });
});

describe('the checks a schema cannot state', () => {
  it('finds nothing wrong in a configuration within every limit', () => {
    const document = { rules: [{ id: 'a', origins: ['http://o.test/'] }] };
    expect(configProblems(document, { maxRules: 1, neverSet })).toEqual([]);
  });

  it('refuses a header the caller never forwards, and an origin the caller refuses, with its reason', () => {
    const document = {
      rules: [
        {
          id: 'a',
          origins: ['http://o.test/', 'http://internal.test/'],
          headers: { set: [{ name: 'Authorization', value: 'x' }] },
        },
      ],
    };
    const problems = configProblems(document, {
      maxRules: 1,
      neverSet,
      originProblem: (origin) => (origin.includes('internal') ? 'an internal origin' : undefined),
    });
    expect(problems).toEqual([
      { path: 'rules/0/origins/1', message: 'an internal origin' },
      {
        path: 'rules/0/headers/set/0/name',
        message: "'Authorization' can never be sent to an origin, so it cannot be set",
      },
    ]);
  });

  it('asks the caller about an origin only once its URL is well formed', () => {
    const asked: string[] = [];
    const document = { rules: [{ id: 'a', origins: ['not a url', 'http://o.test/'] }] };
    const problems = configProblems(document, {
      maxRules: 1,
      neverSet,
      originProblem: (origin) => {
        asked.push(origin);
        return undefined;
      },
    });
    expect(asked).toEqual(['http://o.test/']);
    expect(problems.map(({ path }) => path)).toEqual(['rules/0/origins/0']);
  });
});
