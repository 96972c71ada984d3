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
import { cosDialect } from './dialect.ts';
import { canonicalNative, roundTrip, rule, treeParser } from './dialect-trees.ts';

const fixtures = dialectFixtures('cos');

// ---- fixtures -------------------------------------------------------------------------------------------

describe('fixtures', () => {
  it.each(fixtures.valid)('%s reads, passes the spec and reads back', (name) => {
    const body = fixtures.read(name);
    const { first, rendered, second } = readBack(cosDialect, body);
    expect(second).toEqual(first);
    expect(canonicalNative(rendered)).toEqual(canonicalNative(body));
  });

  itRefusesTheInvalidFixtures(cosDialect, fixtures);
});

// ---- documented examples --------------------------------------------------------------------------------

describe('the documented examples of PUT Bucket origin', () => {
  it('the common Mirror example reads as a mirror rule passing the query string and one header', () => {
    expect(cosDialect.parse(fixtures.read('valid-mirror.xml'))).toEqual({
      configuration: {
        rules: [
          {
            id: 'priority-1',
            mode: 'mirror',
            origins: ['http://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com'],
            passQueryString: true,
            followRedirects: true,
            headers: {
              passAll: false,
              set: [{ name: 'x-cos', value: 'exampleHeader' }],
              pass: ['exampleHeaderKey'],
            },
          },
        ],
      },
      extras: {},
    });
  });

  it('the common Mirror example as published, with HttpRedirectCode 302, is a parameter error', () => {
    const error = refusal(cosDialect, fixtures.read('invalid-mirror-redirect-code.xml'));
    expect([error.status, error.code]).toEqual([400, 'InvalidArgument']);
    expect(error.message).toContain('HttpRedirectCode');
  });

  it('the weighted Mirror example as published is refused by name: load sharing by Weight is not modelled', () => {
    const error = refusal(cosDialect, fixtures.read('invalid-weighted-origins.xml'));
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toMatch(/HostInfo.*Weight/);
  });

  it('one weighted HostInfo reads as its HostName then its standby origins in order, with 4xx failover', () => {
    const { configuration, extras } = cosDialect.parse(fixtures.read('valid-mirror-standby.xml'));
    expect(configuration.rules[0]).toMatchObject({
      origins: [
        'https://bucketname1-appid.cos.region.myqcloud.com',
        'https://bucketname2-appid.cos.region.myqcloud.com',
        'https://bucketname3-appid.cos.region.myqcloud.com',
      ],
      condition: { keyPrefix: 'images/' },
      headers: { passAll: true, remove: ['x-cos-example-header'] },
      failoverOn: ['5XX', '404', '403'],
    });
    expect(extras).toEqual({ rules: { 'priority-1': { weight: 8 } } });
  });

  it('the Proxy example, its closing tag corrected, reads as a redirect-async rule over http', () => {
    expect(refusal(cosDialect, fixtures.read('invalid-proxy-closing-tag.xml')).code).toBe('MalformedXML');
    const { configuration, extras } = cosDialect.parse(fixtures.read('valid-proxy.xml'));
    expect(configuration.rules[0]).toMatchObject({
      mode: 'redirect-async',
      origins: ['http://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com'],
      redirectStatus: 302,
      headers: { passAll: true, set: [{ name: 'x-cos-ContentType', value: 'csv' }], pass: ['Content-Type'] },
    });
    expect(extras).toEqual({ rules: { 'priority-1': { protocol: 'FOLLOW' } } });
  });

  it('the Redirect example reads as a redirect rule answering 301 when it fires on a miss', () => {
    expect(cosDialect.parse(fixtures.read('valid-redirect.xml')).configuration.rules[0]).toMatchObject({
      mode: 'redirect',
      redirectStatus: 301,
      passQueryString: true,
    });
    const error = refusal(cosDialect, fixtures.read('invalid-redirect-on-403.xml'));
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('HTTPStatusCode');
  });
});

// ---- mapping --------------------------------------------------------------------------------------------

describe('mapping between COS and the neutral model', () => {
  it("writes FollowQueryString out, since COS's default (true) is not the model's (false)", () => {
    const body = cosDialect.render({ rules: [rule()] }, {});
    expect(body).toContain('<FollowQueryString>false</FollowQueryString>');
    expect(roundTrip({ rules: [rule()] }).configuration.rules[0]?.passQueryString).toBe(false);
  });

  it('reaches FOLLOW origins over http and writes FOLLOW back; a neutral http origin is written as HTTP', () => {
    const native = cosDialect.parse(fixtures.read('valid-proxy.xml'));
    expect(cosDialect.render(native.configuration, native.extras)).toContain('<Protocol>FOLLOW</Protocol>');
    expect(cosDialect.render(native.configuration, {})).toContain('<Protocol>HTTP</Protocol>');
    expect(cosDialect.render({ rules: [rule({ origins: ['https://o.example/'] })] })).toContain(
      '<Protocol>HTTPS</Protocol>',
    );
  });

  it('applies rules by rising RulePriority and names them priority-<N>', () => {
    const { configuration } = cosDialect.parse(fixtures.read('valid-file-info.xml'));
    expect(configuration.rules.map(({ id }) => id)).toEqual(['priority-10', 'priority-20']);
  });

  it('numbers rules from priority-<N> ids when they rise, else by position', () => {
    const priorities = (rules: MirrorRuleDocument[]) =>
      [...cosDialect.render({ rules }).matchAll(/<RulePriority>(\d+)</g)].map((match) => match[1]);
    expect(priorities([rule({ id: 'priority-5' }), rule({ id: 'priority-9' })])).toEqual(['5', '9']);
    expect(priorities([rule({ id: 'priority-9' }), rule({ id: 'priority-5' })])).toEqual(['1', '2']);
    expect(priorities([rule({ id: 'images' }), rule({ id: 'priority-7' })])).toEqual(['1', '2']);
  });

  it("reads an added prefix as replacing the rule's keyPrefix, and an added suffix as a replaceKeyWith", () => {
    const [photos, fallback] = cosDialect.parse(fixtures.read('valid-file-info.xml')).configuration.rules;
    expect(photos?.keyRewrite).toEqual({ replaceKeyWith: 'archive/${key}.orig' });
    expect(fallback?.keyRewrite).toEqual({ replaceKeyWith: 'fallback/index.html' });
    const prefixed = rule({
      condition: { keyPrefix: 'abc/' },
      keyRewrite: { replacePrefixWith: 'old/abc/' },
    });
    expect(cosDialect.render({ rules: [prefixed] })).toContain('<Prefix>old/</Prefix>');
    expect(roundTrip({ rules: [prefixed] }).configuration.rules[0]?.keyRewrite).toEqual({
      replacePrefixWith: 'old/abc/',
    });
  });

  it('writes a replaceKeyWith ending in ${key} as an added prefix, which reads back as replacePrefixWith', () => {
    const keyed = rule({ condition: { keyPrefix: 'a/' }, keyRewrite: { replaceKeyWith: 'mirror/${key}' } });
    expect(roundTrip({ rules: [keyed] }).configuration.rules[0]?.keyRewrite).toEqual({
      replacePrefixWith: 'mirror/a/',
    });
  });

  it("keeps the Go SDK's ForbidFollowHttpHeaders spelling, and refuses both spellings at once", () => {
    const native = cosDialect.parse(fixtures.read('valid-file-info.xml'));
    const body = cosDialect.render(native.configuration, native.extras);
    expect(body).toContain('<ForbidFollowHttpHeaders>');
    expect(body).not.toContain('<ForbidFollowHeaders>');
    const both = fixtures
      .read('valid-file-info.xml')
      .replace(
        '<ForbidFollowHttpHeaders>',
        '<ForbidFollowHeaders><Header><Key>a</Key></Header></ForbidFollowHeaders><ForbidFollowHttpHeaders>',
      );
    expect(refusal(cosDialect, both).code).toBe('InvalidArgument');
  });

  it('keeps TransparentErrorCode false, which is what the model does, and writes it back', () => {
    const native = cosDialect.parse(fixtures.read('valid-file-info.xml'));
    expect(native.extras).toMatchObject({ rules: { 'priority-10': { transparentErrorCode: false } } });
    expect(cosDialect.render(native.configuration, native.extras)).toContain(
      '<TransparentErrorCode>false</TransparentErrorCode>',
    );
  });

  it('escapes XML text so that &, < and > survive a round trip', () => {
    const tricky = rule({ condition: { keyPrefix: 'a&b<c>/', keySuffix: ' "x" ' } });
    expect(roundTrip({ rules: [tricky] }).configuration.rules[0]?.condition).toEqual(tricky.condition);
  });

  it("does not write a mirror rule's redirectStatus, which the model ignores and COS refuses", () => {
    const body = cosDialect.render({ rules: [rule({ redirectStatus: 301 })] });
    expect(body).not.toContain('HttpRedirectCode');
  });

  it('refuses by name a NewHttpHeaders entry without a Value, which adds nothing at COS', () => {
    const body = fixtures.read('valid-mirror.xml').replace('<Value>exampleHeader</Value>', '<Value></Value>');
    const error = refusal(cosDialect, body);
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('NewHttpHeaders/Header[1]/Value');
  });

  it('refuses by name a literal ${key} in a fixed file path', () => {
    const body = fixtures.read('valid-file-info.xml').replace('fallback/index.html', 'fallback/${key}');
    expect(refusal(cosDialect, body).message).toContain('FixedFilePath');
  });

  it('refuses text beside elements and a second root as malformed XML', () => {
    expect(
      refusal(cosDialect, fixtures.read('valid-mirror.xml').replace('<OriginRule>', '<OriginRule>stray'))
        .code,
    ).toBe('MalformedXML');
    expect(refusal(cosDialect, `${fixtures.read('valid-redirect.xml')}<OriginConfiguration/>`).code).toBe(
      'MalformedXML',
    );
  });
});

describe('neutral rules COS cannot express', () => {
  it.each([
    ['condition/headers', rule({ condition: { headers: [{ name: 'host', equals: 'a.example' }] } })],
    ['writeBack', rule({ writeBack: false })],
    ['checkMd5', rule({ checkMd5: true })],
    ['acl', rule({ acl: 'public-read' })],
    ['triggerOnHead', rule({ triggerOnHead: true })],
    ['failoverOn', rule({ failoverOn: ['4XX', '5XX'] })],
    ['failoverOn', rule({ failoverOn: ['404'] })],
    ['origins', rule({ origins: ['http://a.example', 'https://b.example'] })],
    ['origins/1', rule({ origins: ['http://a.example/static/', 'http://b.example/assets'] })],
    ['origins/1', rule({ origins: ['http://a.example/static', 'http://b.example'] })],
    ['origins/0', rule({ origins: ['http://a.example/a%2Fb'] })],
    ['origins/0', rule({ origins: ['http://a.example/%c3%a9t%c3%a9'] })],
    ['origins/0', rule({ origins: ['http://a.example/a!b'] })],
    ['origins/0', rule({ origins: ['http://a.example/%41'] })],
    ['origins/0', rule({ origins: ['http://a.example/%FF'] })],
    ['origins/0', rule({ origins: ['http://a.example/bell%07'] })],
    ['origins/0', rule({ origins: ['http://a.example:99999/static'] })],
    [
      'origins/0',
      rule({ origins: ['http://a.example/%24%7Bkey%7D'], keyRewrite: { replaceKeyWith: 'index.html' } }),
    ],
    [
      'origins/0',
      rule({ origins: ['http://a.example/%24%7Bkey%7D'], keyRewrite: { replaceKeyWith: '${key}.jpg' } }),
    ],
    [
      'origins/0',
      rule({
        origins: [`http://a.example/${'p'.repeat(1000)}`],
        keyRewrite: { replaceKeyWith: 'x'.repeat(30) },
      }),
    ],
    [
      'keyRewrite/replacePrefixWith',
      rule({
        origins: ['http://a.example/static'],
        condition: { keyPrefix: 'img/' },
        keyRewrite: { replacePrefixWith: 'pics/' },
      }),
    ],
    [
      'keyRewrite/replacePrefixWith',
      rule({ condition: { keyPrefix: 'abc/' }, keyRewrite: { replacePrefixWith: 'def/' } }),
    ],
    ['keyRewrite/replaceKeyWith', rule({ keyRewrite: { replaceKeyWith: '${key}/${key}' } })],
    ['headers/set/0/value', rule({ headers: { set: [{ name: 'X-Empty', value: '' }] } })],
    ['condition/keyPrefix', rule({ condition: { keyPrefix: 'bell\u0007' } })],
  ])('rules/0/%s', (field, inexpressible) => {
    const error = notExpressible(cosDialect, { rules: [inexpressible] });
    expect([error.dialect, error.field]).toEqual(['cos', `rules/0/${field}`]);
  });
});

describe("COS's answers", () => {
  it('answers GET or DELETE without rules with 404 OriginConfigurationNotFoundError', () => {
    const error = cosDialect.errors.noConfiguration('examplebucket-1250000000');
    expect([error.status, error.code]).toEqual([404, 'OriginConfigurationNotFoundError']);
    expect(error.message).toContain('examplebucket-1250000000');
  });

  it('answers rules the neutral checks refuse with 400 InvalidArgument', () => {
    expectAnswerToInvalid(cosDialect, 400, 'InvalidArgument');
  });

  it('writes errors as COS does: Code, Message, Resource, RequestId and TraceId', () => {
    const { contentType, body } = cosDialect.errorBody(new DialectError(400, 'MalformedXML', 'a <b> & c'), {
      requestId: 'req-1',
      resource: '/?origin',
    });
    expect(contentType).toBe('application/xml');
    expect(treeParser.parse(body)).toEqual({
      '?xml': '',
      Error: {
        Code: 'MalformedXML',
        Message: 'a <b> & c',
        Resource: '/?origin',
        RequestId: 'req-1',
        TraceId: 'req-1',
      },
    });
  });

  it('answers PUT with 200 and DELETE with 204, both without a body', () => {
    expect(cosDialect.putAnswer(false, 'req')).toEqual({ status: 200 });
    expect(cosDialect.putAnswer(true, 'req')).toEqual({ status: 200 });
    expect(cosDialect.deleteAnswer('req')).toEqual({ status: 204 });
  });

  it('refuses an empty body with 400 MissingRequestBodyError and broken XML with 400 MalformedXML', () => {
    expect([refusal(cosDialect, ' \n').status, refusal(cosDialect, ' \n').code]).toEqual([
      400,
      'MissingRequestBodyError',
    ]);
    expect(refusal(cosDialect, '<OriginConfiguration><OriginRule>').code).toBe('MalformedXML');
  });

  it('speaks application/xml', () => {
    expect(cosDialect.contentType).toBe('application/xml');
  });
});
