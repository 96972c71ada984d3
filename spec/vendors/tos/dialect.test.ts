import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dialectFixtures,
  expectAnswerToInvalid,
  itRefusesTheInvalidFixtures,
  notExpressible,
  readBack,
  refusal,
  withDefaults,
} from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { tosDialect } from './dialect.ts';

const fixtures = dialectFixtures('tos');

/** A document of the given rules, as a body. */
const body = (...rules: unknown[]) => JSON.stringify({ Rules: rules });
const rule = (redirect: object = {}, condition: object = {}) => ({
  ID: 'r',
  Condition: { HttpCode: 404, ...condition },
  Redirect: {
    RedirectType: 'Mirror',
    PublicSource: { SourceEndpoint: { Primary: ['http://origin.test/'] } },
    PassQuery: false,
    FollowRedirect: true,
    ...redirect,
  },
});

describe('the TOS dialect reads the API reference example', () => {
  it('as a mirror rule with its prefix, suffix, headers and the key between two texts [tos-put]', () => {
    const { configuration } = tosDialect.parse(fixtures.read('valid-api-example.json'));
    expect(configuration.rules).toEqual([
      {
        id: '1',
        mode: 'mirror',
        origins: ['http://abc.test/'],
        condition: { keyPrefix: 'object-key-prefix', keySuffix: 'object-key-suffix' },
        passQueryString: true,
        followRedirects: true,
        headers: { passAll: true, pass: ['aaa', 'bbb'], remove: ['xxx', 'yyy'] },
        keyRewrite: { replaceKeyWith: 'addtional-key-prefix${key}addtional-key-suffix' },
      },
    ]);
  });

  it('reads Follower origins after the Primary one and ReplaceKeyPrefix as a prefix rewrite', () => {
    const { configuration } = tosDialect.parse(fixtures.read('valid-primary-and-follower.json'));
    expect(configuration.rules[0]).toMatchObject({
      origins: ['https://origin-a.test/static', 'https://origin-b.test/static'],
      keyRewrite: { replacePrefixWith: 'images/' },
      followRedirects: false,
    });
  });

  it('reads Async rules as redirects, storing the object only with FetchSourceOnRedirect [tos-redirect]', () => {
    const { configuration } = tosDialect.parse(fixtures.read('valid-async-redirects.json'));
    expect(configuration.rules.map((r) => r.mode)).toEqual(['redirect-async', 'redirect']);
  });

  it('refuses a ReplaceKeyPrefix whose prefix is not the rule condition', () => {
    const transform = { Transform: { ReplaceKeyPrefix: { KeyPrefix: 'x/', ReplaceWith: 'y/' } } };
    expect(refusal(tosDialect, body(rule(transform, { KeyPrefix: 'a/' }))).code).toBe('NotImplemented');
  });

  it('refuses a body that is not a JSON object, naming what to send', () => {
    expect(refusal(tosDialect, '[]').message).toMatch(/JSON object/);
    expect(refusal(tosDialect, 'nope').message).toMatch(/Rules/);
  });
});

describe('TOS fixtures', () => {
  it.each(fixtures.valid)('%s parses to a valid configuration and reads back the same rules', (file) => {
    const { first, second } = readBack(tosDialect, fixtures.read(file));
    expect(second.configuration.rules.map(withDefaults)).toEqual(first.configuration.rules.map(withDefaults));
  });

  itRefusesTheInvalidFixtures(tosDialect, fixtures);
});

// Rules the TOS API can say: one condition prefix and suffix, one to three origins, the three modes,
// pass and remove headers, text around the key or a prefix swap.
const text = fc.string({ unit: 'grapheme', maxLength: 16 }).filter((value) => !value.includes('${key}'));
const origin = fc.webUrl({ validSchemes: ['http', 'https'] });
const headerName = fc.stringMatching(/^[A-Za-z0-9-]{1,16}$/);
const expressibleRule = (id: string): fc.Arbitrary<MirrorRuleDocument> =>
  fc
    .record(
      {
        mode: fc.constantFrom('mirror', 'redirect-async', 'redirect'),
        origins: fc.array(origin, { minLength: 1, maxLength: 3 }),
        keyPrefix: fc.option(text, { nil: undefined }),
        keySuffix: fc.option(text, { nil: undefined }),
        passQueryString: fc.boolean(),
        followRedirects: fc.boolean(),
        pass: fc.array(headerName, { maxLength: 3 }),
        rewrite: fc.oneof(
          fc.constant(undefined),
          // `${key}` alone is no rewrite: TOS writes no Transform for it.
          fc
            .tuple(text, text)
            .filter(([a, b]) => a !== '' || b !== '')
            .map(([a, b]) => ({ replaceKeyWith: `${a}\${key}${b}` })),
          text.map((to) => ({ replacePrefixWith: to })),
        ),
      },
      { requiredKeys: ['mode', 'origins', 'passQueryString', 'followRedirects', 'pass'] },
    )
    .map(({ keyPrefix, keySuffix, pass, rewrite, ...rest }) => {
      const out: MirrorRuleDocument = { id, ...rest } as MirrorRuleDocument;
      if (keyPrefix !== undefined || keySuffix !== undefined) {
        out.condition = {
          ...(keyPrefix !== undefined ? { keyPrefix } : {}),
          ...(keySuffix !== undefined ? { keySuffix } : {}),
        };
      }
      if (pass.length > 0) out.headers = { pass };
      if (rewrite !== undefined) out.keyRewrite = rewrite;
      return out;
    });
const configurations = fc
  .uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), { minLength: 1, maxLength: 5 })
  .chain((ids) => fc.tuple(...ids.map(expressibleRule)))
  .map((rules) => ({ rules }));

describe('the TOS translation laws', () => {
  it('neutral to native to neutral keeps every rule the vendor can express', () => {
    fc.assert(
      fc.property(configurations, (configuration) => {
        validateAgainstSpec(configuration);
        const back = tosDialect.parse(tosDialect.render(configuration)).configuration;
        expect(back.rules.map(withDefaults)).toEqual(configuration.rules.map(withDefaults));
      }),
    );
  });

  it('native to neutral to native gives the same document again', () => {
    fc.assert(
      fc.property(configurations, (configuration) => {
        const native = tosDialect.render(configuration);
        expect(tosDialect.render(tosDialect.parse(native).configuration)).toBe(native);
      }),
    );
  });

  it('refuses to render what TOS cannot say, naming the neutral field', () => {
    const base: MirrorRuleDocument = { id: 'r', origins: ['http://origin.test/'] };
    const cases: [Partial<MirrorRuleDocument>, string][] = [
      [{ writeBack: false }, 'rules/0/writeBack'],
      [{ triggerOnHead: true }, 'rules/0/triggerOnHead'],
      [{ failoverOn: ['5XX'] }, 'rules/0/failoverOn'],
      [{ acl: 'public-read' }, 'rules/0/acl'],
      [{ checkMd5: true }, 'rules/0/checkMd5'],
      [{ headers: { set: [{ name: 'x-a', value: '1' }] } }, 'rules/0/headers/set'],
      [{ keyRewrite: { replaceKeyWith: 'fixed.jpg' } }, 'rules/0/keyRewrite/replaceKeyWith'],
      [{ mode: 'redirect', redirectStatus: 301 }, 'rules/0/redirectStatus'],
    ];
    for (const [change, field] of cases) {
      expect(notExpressible(tosDialect, { rules: [{ ...base, ...change }] }).field).toBe(field);
    }
  });
});

describe('the TOS answers', () => {
  it('gives neutral check failures as 400 InvalidArgument with their message', () => {
    expectAnswerToInvalid(tosDialect, 400, 'InvalidArgument');
  });

  it('answers errors as JSON with Code, Message and RequestId, and a missing configuration as 404', () => {
    const error = tosDialect.errors.noConfiguration('bk1');
    expect(error.status).toBe(404);
    const { contentType, body: text } = tosDialect.errorBody(error, { requestId: 'req-1', resource: '/bk1' });
    expect(contentType).toBe('application/json');
    expect(JSON.parse(text)).toMatchObject({ Code: error.code, Message: error.message, RequestId: 'req-1' });
  });

  it('answers PUT with 200 and DELETE with 204', () => {
    expect(tosDialect.putAnswer(false, 'r').status).toBe(200);
    expect(tosDialect.deleteAnswer('r').status).toBe(204);
  });
});
