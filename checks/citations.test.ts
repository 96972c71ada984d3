import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCitations, findCitations, loadSources, parseSources, readCitingFiles } from './citations.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A key in brackets, written so that this file itself cites nothing. */
const cite = (key: string) => `[${key}]`;

const sourcesText = [
  'sources:',
  '  oss-put:',
  '    url: https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite',
  '    title: OSS API reference, PutBucketWebsite',
  '  jd-guide:',
  '    url: https://github.com/jdcloudcom/en/blob/HEAD/guide.md',
  '    published: https://docs.jdcloud.com/en/guide',
  '    title: JD Cloud guide',
  '  ks3-seed:',
  '    seed: seeds/000_30e948614a016386.txt',
  '    title: KS3 seed document',
].join('\n');

function problemsIn(files: Record<string, string>) {
  return checkCitations(findCitations(new Map(Object.entries(files))), parseSources(sourcesText));
}

describe('citation keys in the tree', () => {
  const sources = loadSources(root);
  const problems = checkCitations(findCitations(readCitingFiles(root)), sources);

  it('resolve every key in spec/sources.yaml', () => {
    expect(problems.unknown).toEqual([]);
  });

  it('leave no entry of the sources file uncited', () => {
    expect(problems.unused).toEqual([]);
  });

  it('carry, where a URL is written beside a key, the URL of the sources file', () => {
    expect(problems.wrongUrl).toEqual([]);
  });
});

describe('citation check', () => {
  it('reports a key the sources file does not hold, with file and line', () => {
    const problems = problemsIn({
      'simulator/a.ts': `// fine ${cite('oss-put')}\n// misspelt ${cite('oss-putt')}\n`,
      'spec/profiles/x.yaml': `a: 1 # ${cite('jd-guide')}${cite('ks3-seed')}\nb: 2 # ${cite('no-such-source')}\n`,
    });
    expect(problems.unknown).toEqual([
      `simulator/a.ts:2 ${cite('oss-putt')}`,
      `spec/profiles/x.yaml:2 ${cite('no-such-source')}`,
    ]);
  });

  it('reports an entry nothing cites', () => {
    expect(problemsIn({ 'a.ts': `// ${cite('oss-put')}\n` }).unused).toEqual(['jd-guide', 'ks3-seed']);
  });

  it('reads comments, strings and templates of code, never the code itself', () => {
    const code = [
      `/** JSDoc ${cite('oss-put')} */`,
      `const x = values${cite('count-1')}; const re = /^[a-z]-[0-9]${cite('x-yz')}$/;`,
      `const title = 'in a string ${cite('jd-guide')}'; const html = '[data-profile]';`,
      `const message = \`in a template ${cite('ks3-seed')} \${x}\`; // trailing ${cite('oss-put')}`,
    ].join('\n');
    const citations = findCitations(new Map([['a.ts', code]]));
    expect(citations.map((citation) => `${citation.line} ${citation.key}`)).toEqual([
      '1 oss-put',
      '3 jd-guide',
      '4 ks3-seed',
      '4 oss-put',
    ]);
  });

  it('cites nothing with a YAML flow sequence, and reads block scalars and comments', () => {
    const yaml = ['modes: [redirect-async, mirror]', 'note: |', `  as documented ${cite('oss-put')}`].join(
      '\n',
    );
    expect(findCitations(new Map([['p.yaml', yaml]])).map((citation) => citation.key)).toEqual(['oss-put']);
  });

  it('takes character classes for what they are', () => {
    expect(findCitations(new Map([['a.md', 'keys match [a-z0-9] and [0-9a-f] and [x-z]']]))).toEqual([]);
  });

  it('reports an inline URL other than the sources file gives, and accepts the published one', () => {
    const problems = problemsIn({
      'README.md': [
        `${cite('oss-put')}: https://example.invalid/putbucketwebsite`,
        `see ${cite('jd-guide')}(https://docs.jdcloud.com/en/guide) and ${cite('ks3-seed')}`,
      ].join('\n'),
      'b.ts': `// ${cite('jd-guide')} https://github.com/jdcloudcom/en/blob/HEAD/guide.md, the guide\n`,
    });
    expect(problems.wrongUrl).toEqual([
      `README.md:1 ${cite('oss-put')} https://example.invalid/putbucketwebsite (spec/sources.yaml: https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite)`,
    ]);
  });
});

describe('sources file validation', () => {
  it.each([
    [
      'an entry without a title',
      'sources:\n  oss-put:\n    url: https://a.invalid/\n',
      /oss-put: missing field "title"/,
    ],
    [
      'an entry with both a URL and a seed',
      'sources:\n  oss-put:\n    url: https://a.invalid/\n    seed: seeds/000_30e948614a016386.txt\n    title: t\n',
      /oss-put: give exactly one of "url" and "seed"/,
    ],
    [
      'a key without a hyphen',
      'sources:\n  oss:\n    url: https://a.invalid/\n    title: t\n',
      /oss: a key is kebab-case/,
    ],
    [
      'a seed that is no seed file',
      'sources:\n  a-b:\n    seed: seeds/x.txt\n    title: t\n',
      /a-b: "seed" must name a seed file/,
    ],
    [
      'an unknown field',
      'sources:\n  a-b:\n    url: https://a.invalid/\n    title: t\n    page: 3\n',
      /a-b: unknown field "page"/,
    ],
    ['a document without sources', 'keys: []\n', /needs a "sources" mapping/],
  ])('rejects %s, naming it', (_, text, message) => {
    expect(() => parseSources(text)).toThrow(message);
  });
});
