// The OSS dialect against its fixtures, the documented examples and the body the ali-oss SDK sends; its
// translation laws are in dialect-laws.test.ts.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DialectError } from '../../dialects/dialect.ts';
import {
  dialectFixtures,
  expectAnswerToInvalid,
  itRefusesTheInvalidFixtures,
  notExpressible,
  readBack,
  refusal,
} from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { ossDialect } from './dialect.ts';
import { canonicalWebsite, child, readTree, rulesOf, type Tree, text } from './dialect-trees.ts';

const fixtures = dialectFixtures('oss');

// ---------------------------------------------------------------------------------------------------

describe('OSS fixtures', () => {
  for (const name of fixtures.valid) {
    it(`${name} parses into a spec-valid configuration and reads back the same after render`, () => {
      const body = fixtures.read(name);
      const { first, rendered, second } = readBack(ossDialect, body);
      expect(first.configuration.rules.length).toBeGreaterThan(0);
      expect(second.configuration).toEqual(first.configuration);
      expect(canonicalWebsite(readTree(rendered))).toEqual(canonicalWebsite(readTree(body)));
    });
  }

  itRefusesTheInvalidFixtures(ossDialect, fixtures);
});

describe('OSS PutBucketWebsite to neutral rules', () => {
  it('reads the documented example rule as one mirror rule with its condition, origins and headers', () => {
    const { configuration, extras } = ossDialect.parse(fixtures.read('valid-mirror-example.xml'));
    expect(extras).toEqual({});
    expect(configuration).toEqual({
      rules: [
        {
          id: 'rule-1',
          origins: ['https://origin.example.com/base/', 'https://backup.example.com/base/'],
          condition: {
            keyPrefix: 'img/',
            keySuffix: '.jpg',
            headers: [{ name: 'host', equals: 'cdn.example.com' }],
          },
          passQueryString: true,
          headers: { pass: ['x-trace'], remove: ['cookie'], set: [{ name: 'x-from', value: 'oss' }] },
          failoverOn: ['5XX'],
        },
      ],
    });
  });

  it('orders rules by RuleNumber and names each rule-<RuleNumber>', () => {
    const { configuration } = ossDialect.parse(fixtures.read('valid-multi-origin.xml'));
    expect(configuration.rules.map(({ id }) => id)).toEqual(['rule-2', 'rule-5']);
  });

  it('lists MirrorURL, then MirrorURLSlave, then the alternates by number as the origins', () => {
    const { configuration } = ossDialect.parse(fixtures.read('valid-multi-origin.xml'));
    expect(configuration.rules[0]).toEqual({
      id: 'rule-2',
      condition: { keyPrefix: 'examplefolder/' },
      origins: [
        'https://example.com/',
        'https://standby.example.com/',
        'https://second.example.com/mirror/',
        'https://third.example.com/',
      ],
      keyRewrite: { replacePrefixWith: 'origin-folder/' },
      writeBack: false,
      triggerOnHead: true,
      failoverOn: ['4XX', '5XX'],
    });
    expect(configuration.rules[1]).toMatchObject({
      passQueryString: true,
      followRedirects: false,
      checkMd5: true,
      headers: { passAll: true, remove: ['myheader-key3', 'myheader-key4'] },
    });
  });

  it('reads an External rule as a redirect to Protocol://HostName/ with its HttpRedirectCode', () => {
    const { configuration } = ossDialect.parse(fixtures.read('valid-redirect-external.xml'));
    expect(configuration.rules).toEqual([
      {
        id: 'rule-1',
        mode: 'redirect',
        origins: ['https://www.example.com/'],
        condition: { keyPrefix: 'docs/' },
        keyRewrite: { replaceKeyWith: 'prefix/${key}.suffix' },
        passQueryString: true,
        redirectStatus: 301,
      },
      {
        id: 'rule-2',
        mode: 'redirect',
        origins: ['http://example.com/'],
        condition: { keyPrefix: 'abc/' },
        keyRewrite: { replacePrefixWith: 'def/' },
      },
    ]);
  });

  it('lets MirrorPassQueryString win over PassQueryString on a Mirror rule', () => {
    const rule = (fields: string) =>
      ossDialect.parse(
        `<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL>${fields}</Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`,
      ).configuration.rules[0];
    expect(
      rule('<PassQueryString>true</PassQueryString><MirrorPassQueryString>false</MirrorPassQueryString>'),
    ).not.toHaveProperty('passQueryString');
    expect(rule('<PassQueryString>true</PassQueryString>')?.passQueryString).toBe(true);
    expect(rule('<MirrorPassQueryString>true</MirrorPassQueryString>')?.passQueryString).toBe(true);
  });

  it('strips the prefix when EnableReplacePrefix is true without a ReplaceKeyPrefixWith', () => {
    const { configuration } = ossDialect.parse(
      '<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a/</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL><EnableReplacePrefix>true</EnableReplacePrefix></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>',
    );
    expect(configuration.rules[0]?.keyRewrite).toEqual({ replacePrefixWith: '' });
  });

  it('reads an empty RoutingRules as no rules', () => {
    expect(
      ossDialect.parse('<WebsiteConfiguration><RoutingRules/></WebsiteConfiguration>').configuration,
    ).toEqual({
      rules: [],
    });
  });

  it.each([
    [
      'External without Protocol',
      '<RedirectType>External</RedirectType><HostName>h.test</HostName>',
      'Protocol',
    ],
    [
      'External without HostName',
      '<RedirectType>External</RedirectType><Protocol>https</Protocol>',
      'HostName',
    ],
    [
      'a prefix replacement without EnableReplacePrefix',
      '<RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL><ReplaceKeyPrefixWith>b/</ReplaceKeyPrefixWith>',
      'ReplaceKeyPrefixWith',
    ],
    [
      'Protocol on a Mirror rule',
      '<RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL><Protocol>https</Protocol>',
      'Protocol',
    ],
    [
      'MirrorURL on an External rule',
      '<RedirectType>External</RedirectType><Protocol>https</Protocol><HostName>h.test</HostName><MirrorURL>http://o.test/</MirrorURL>',
      'MirrorURL',
    ],
  ])('refuses %s by name as not implemented', (_, redirect, field) => {
    const error = refusal(
      ossDialect,
      `<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect>${redirect}</Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`,
    );
    expect({ status: error.status, code: error.code }).toEqual({ status: 501, code: 'NotImplemented' });
    expect(error.message).toContain(field);
    expect(error.message).toContain('does not model');
  });

  it('refuses an External rule for answers other than a missing key by name', () => {
    const error = refusal(
      ossDialect,
      '<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a/</KeyPrefixEquals></Condition><Redirect><RedirectType>External</RedirectType><Protocol>https</Protocol><HostName>h.test</HostName></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>',
    );
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('HttpErrorCodeReturnedEquals');
  });

  it('refuses a character reference XML cannot carry as malformed', () => {
    const error = refusal(
      ossDialect,
      '<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a&#1;</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>',
    );
    expect([error.status, error.code]).toEqual([400, 'MalformedXML']);
  });
});

describe('neutral rules to OSS PutBucketWebsite', () => {
  const mirrorRule = (fields: Partial<MirrorRuleDocument> = {}): MirrorRuleDocument => ({
    id: 'r',
    origins: ['https://o.test/base'],
    ...fields,
  });

  it('writes HttpErrorCodeReturnedEquals 404 on every rule and a MirrorURL ending in /', () => {
    const tree = readTree(ossDialect.render({ rules: [mirrorRule({ origins: ['HTTPS://o.test/base'] })] }));
    const [rule] = rulesOf(tree);
    expect(text(child(rule as Tree, 'Condition').HttpErrorCodeReturnedEquals)).toBe('404');
    expect(text(child(rule as Tree, 'Redirect').MirrorURL)).toBe('https://o.test/base/');
  });

  it('numbers rules from their rule-<n> ids when they increase, else by position', () => {
    const numbersOf = (ids: string[]) =>
      rulesOf(readTree(ossDialect.render({ rules: ids.map((id) => mirrorRule({ id })) }))).map((rule) =>
        text(rule.RuleNumber),
      );
    expect(numbersOf(['rule-3', 'rule-7'])).toEqual(['3', '7']);
    expect(numbersOf(['rule-7', 'rule-3'])).toEqual(['1', '2']);
    expect(numbersOf(['images', 'rule-9'])).toEqual(['1', '2']);
  });

  it('keeps a carriage return in a value as a character reference', () => {
    const configuration = { rules: [mirrorRule({ id: 'rule-1', condition: { keyPrefix: 'a\r\nb' } })] };
    const rendered = ossDialect.render(configuration);
    expect(rendered).toContain('a&#13;\nb');
    expect(ossDialect.parse(rendered).configuration.rules[0]?.condition?.keyPrefix).toBe('a\r\nb');
  });

  it.each<[string, Partial<MirrorRuleDocument>, string]>([
    ['a redirect-async rule', { mode: 'redirect-async' }, 'rules/0/mode'],
    ['an ACL other than private', { acl: 'public-read' }, 'rules/0/acl'],
    ['a failover list other than [4XX, 5XX] or [5XX]', { failoverOn: ['4XX'] }, 'rules/0/failoverOn'],
    ['a failover on an exact status', { failoverOn: ['5XX', '404'] }, 'rules/0/failoverOn'],
    [
      'a redirect to two origins',
      { mode: 'redirect', origins: ['https://a.test/', 'https://b.test/'] },
      'rules/0/origins',
    ],
    [
      'a redirect to an origin with a path',
      { mode: 'redirect', origins: ['https://a.test/dir/'] },
      'rules/0/origins/0',
    ],
    ['a header name OSS does not allow', { headers: { pass: ['x_trace'] } }, 'rules/0/headers/pass/0'],
    ['an empty replaceKeyWith', { keyRewrite: { replaceKeyWith: '' } }, 'rules/0/keyRewrite/replaceKeyWith'],
    ['a character XML cannot carry', { condition: { keyPrefix: 'a\u0001' } }, 'rules/0/condition/keyPrefix'],
    ['an origin with a query', { origins: ['https://a.test/?x=1'] }, 'rules/0/origins/0'],
  ])('cannot express %s', (_, fields, field) => {
    const error = notExpressible(ossDialect, { rules: [mirrorRule(fields)] });
    expect(error.dialect).toBe('oss');
    expect(error.field).toBe(field);
  });
});

describe('OSS answers', () => {
  it('answers a bucket without configuration with 404 NoSuchWebsiteConfiguration', () => {
    const error = ossDialect.errors.noConfiguration('photos');
    expect([error.status, error.code]).toEqual([404, 'NoSuchWebsiteConfiguration']);
    expect(error.message).toContain('photos');
  });

  it('answers a configuration the neutral checks refuse with 400 InvalidArgument', () => {
    expectAnswerToInvalid(ossDialect, 400, 'InvalidArgument');
  });

  it('writes errors as the OSS Error body with Code, Message, RequestId and HostId', () => {
    const error = new DialectError(400, 'InvalidArgument', 'MirrorURL <must> end with /');
    const { contentType, body } = ossDialect.errorBody(error, {
      requestId: '5B5AE19C',
      resource: '/photos/?website',
    });
    expect(contentType).toBe('application/xml');
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(readTree(body)).toEqual({
      Error: [
        {
          Code: ['InvalidArgument'],
          Message: ['MirrorURL <must> end with /'],
          RequestId: ['5B5AE19C'],
          HostId: ['/photos/?website'],
        },
      ],
    });
  });

  it('answers PUT with 200 and DELETE with 204', () => {
    expect(ossDialect.putAnswer(false, 'r1')).toEqual({ status: 200 });
    expect(ossDialect.putAnswer(true, 'r1')).toEqual({ status: 200 });
    expect(ossDialect.deleteAnswer('r1')).toEqual({ status: 204 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the ali-oss SDK body', () => {
  // The body exactly as ali-oss 6.x builds it: its own putBucketWebsite, with the request captured.
  const require = createRequire(import.meta.url);
  const { putBucketWebsite } = require('ali-oss/lib/common/bucket/putBucketWebsite.js') as {
    putBucketWebsite: (this: unknown, bucket: string, config: object) => Promise<unknown>;
  };
  async function aliOssBody(config: object): Promise<string> {
    let body = '';
    const client = {
      _bucketRequestParams: () => ({}),
      request: async (params: { content: string }) => {
        body = params.content;
        return { res: {} };
      },
    };
    await putBucketWebsite.call(client, 'examplebucket', config);
    return body;
  }
  // After the routing rules of ali-oss's own test (test/node/bucket.test.js), with the fields this model
  // carries, and an External rule.
  const routingRules = [
    {
      RuleNumber: '1',
      Condition: { KeyPrefixEquals: 'abc/', HttpErrorCodeReturnedEquals: '404' },
      Redirect: {
        RedirectType: 'Mirror',
        PassQueryString: 'true',
        MirrorURL: 'http://www.test.com/',
        MirrorPassQueryString: 'true',
        MirrorFollowRedirect: 'true',
        MirrorCheckMd5: 'true',
        MirrorHeaders: {
          PassAll: 'true',
          Pass: ['myheader-key1', 'myheader-key2'],
          Remove: ['remove1', 'remove2'],
          Set: { Key: 'myheader-key5', Value: 'myheader-value5' },
        },
      },
    },
    {
      RuleNumber: '2',
      Condition: { KeyPrefixEquals: 'a1bc/', HttpErrorCodeReturnedEquals: '404' },
      Redirect: {
        RedirectType: 'External',
        Protocol: 'https',
        HostName: 'www.example.com',
        HttpRedirectCode: '302',
      },
    },
  ];

  it('is taken whole: the IndexDocument ali-oss always writes is kept and read back, the rules are read', async () => {
    const body = await aliOssBody({ routingRules });
    expect(body).toContain('<IndexDocument><Suffix>index.html</Suffix></IndexDocument>');
    const { configuration, extras } = ossDialect.parse(body);
    expect(extras).toEqual({ IndexDocument: { Suffix: 'index.html' } });
    expect(ossDialect.render(configuration, extras).replace(/\s+</g, '<')).toContain(
      '<IndexDocument><Suffix>index.html</Suffix></IndexDocument>',
    );
    expect(() => validateAgainstSpec(configuration)).not.toThrow();
    expect(configuration.rules).toEqual([
      {
        id: 'rule-1',
        origins: ['http://www.test.com/'],
        condition: { keyPrefix: 'abc/' },
        passQueryString: true,
        checkMd5: true,
        headers: {
          passAll: true,
          pass: ['myheader-key1', 'myheader-key2'],
          remove: ['remove1', 'remove2'],
          set: [{ name: 'myheader-key5', value: 'myheader-value5' }],
        },
      },
      {
        id: 'rule-2',
        mode: 'redirect',
        origins: ['https://www.example.com/'],
        condition: { keyPrefix: 'a1bc/' },
      },
    ]);
  });

  it("refuses the unmodelled switches of ali-oss's own test rule by name", async () => {
    const rule = routingRules[0] as { Redirect: object };
    const body = await aliOssBody({
      routingRules: [{ ...rule, Redirect: { ...rule.Redirect, MirrorUsingRole: 'false' } }],
    });
    const error = refusal(ossDialect, body);
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('MirrorUsingRole');
  });
});
