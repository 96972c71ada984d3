// The OSS dialect's translation laws: both round trips, refusals by name, and the vendor's own limits.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBack, refusal, withDefaults } from '../../dialects/dialect-test-support.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { ossDialect } from './dialect.ts';
import { neutralConfiguration, websiteDocument } from './dialect-arbitraries.ts';
import {
  asBase,
  canonicalWebsite,
  child,
  element,
  readTree,
  renamedIds,
  rulesOf,
  type Tree,
  text,
  writeTree,
  type XmlNode,
} from './dialect-trees.ts';

// ---------------------------------------------------------------------------------------------------

describe('OSS translation laws', () => {
  it('native to neutral to native keeps every supported field', () => {
    fc.assert(
      fc.property(websiteDocument(), (document) => {
        const body = writeTree(document);
        const { first, rendered, second } = readBack(ossDialect, body);
        expect(second.configuration).toEqual(first.configuration);
        expect(canonicalWebsite(readTree(rendered))).toEqual(canonicalWebsite(readTree(body)));
      }),
    );
  });

  it('neutral to native to neutral keeps every rule the vendor can express', () => {
    fc.assert(
      fc.property(neutralConfiguration, (configuration) => {
        validateAgainstSpec(configuration);
        const parsed = ossDialect.parse(ossDialect.render(configuration)).configuration;
        validateAgainstSpec(parsed);
        const ids = renamedIds(configuration.rules.map(({ id }) => id));
        const expected = configuration.rules.map((rule, index) =>
          withDefaults({ ...rule, id: ids[index] ?? '', origins: rule.origins.map(asBase) }),
        );
        expect(parsed.rules.map(withDefaults)).toEqual(expected);
      }),
    );
  });

  // Each unmodelled element, where OSS puts it, and the rules it may appear in.
  type Place = 'website' | 'rule' | 'condition' | 'include-header' | 'redirect' | 'alternate';
  const unsupported: { name: string; place: Place; on?: 'Mirror' | 'External'; value: XmlNode }[] = [
    { name: 'LuaConfig', place: 'rule', value: element({ Script: 'example.lua' }) },
    { name: 'StartsWith', place: 'include-header', value: 'abc' },
    { name: 'EndsWith', place: 'include-header', value: 'xyz' },
    ...[
      'MirrorURLProbe',
      'MirrorSaveOssMeta',
      'MirrorUserLastModified',
      'TransparentMirrorResponseCodes',
      'MirrorAsyncStatus',
      'MirrorSNI',
      'MirrorPassOriginalSlashes',
      'MirrorUsingRole',
      'MirrorRole',
      'MirrorIsExpressTunnel',
      'MirrorDstRegion',
      'MirrorDstVpcId',
      'MirrorDstSlaveVpcId',
      'MirrorTunnelId',
      'MirrorAllowGetImageInfo',
      'MirrorAllowVideoSnapshot',
    ].map((name) => ({ name, place: 'redirect' as const, value: 'true' })),
    {
      name: 'MirrorAuth',
      place: 'redirect',
      value: element({ AuthType: 'S3V4', Region: 'us-east-1', AccessKeyId: 'AKID' }),
    },
    {
      name: 'MirrorReturnHeaders',
      place: 'redirect',
      value: element({ ReturnHeader: element({ Key: 'a', Value: 'b' }) }),
    },
    {
      name: 'MirrorTaggings',
      place: 'redirect',
      value: element({ Taggings: element({ Key: 'a', Value: 'b' }) }),
    },
    { name: 'Protocol', place: 'redirect', on: 'Mirror', value: 'https' },
    { name: 'HostName', place: 'redirect', on: 'Mirror', value: 'h.test' },
    { name: 'MirrorURL', place: 'redirect', on: 'External', value: 'http://o.test/' },
    { name: 'MirrorURLSlave', place: 'redirect', on: 'External', value: 'http://o.test/' },
    { name: 'MirrorPassQueryString', place: 'redirect', on: 'External', value: 'true' },
    { name: 'MirrorMultiAlternateVpcId', place: 'alternate', value: 'vpc-1' },
    { name: 'MirrorMultiAlternateDstRegion', place: 'alternate', value: 'cn-hangzhou' },
  ];

  function insert(document: Tree, ruleIndex: number, field: (typeof unsupported)[number]): boolean {
    if (field.place === 'website') {
      child(document, 'WebsiteConfiguration')[field.name] = [field.value];
      return true;
    }
    const rules = rulesOf(document);
    const rule = rules[ruleIndex % rules.length] as Tree;
    const redirect = child(rule, 'Redirect');
    const type = text(redirect.RedirectType);
    if (field.on !== undefined && field.on !== type) return false;
    if (field.place === 'rule') rule[field.name] = [field.value];
    if (field.place === 'redirect') redirect[field.name] = [field.value];
    if (field.place === 'include-header') {
      child(rule, 'Condition').IncludeHeader = [
        element({ Key: 'host', Equals: 'a.test', [field.name]: field.value }),
      ];
    }
    if (field.place === 'alternate') {
      if (type !== 'Mirror') return false;
      redirect.MirrorMultiAlternates = [
        element({
          MirrorMultiAlternate: element({
            MirrorMultiAlternateNumber: '1',
            MirrorMultiAlternateURL: 'http://alt.test/',
            [field.name]: field.value,
          }),
        }),
      ];
    }
    return true;
  }

  it('every unsupported field is refused by name', () => {
    fc.assert(
      fc.property(
        websiteDocument(1),
        fc.nat(),
        fc.constantFrom(...unsupported),
        (document, ruleIndex, field) => {
          fc.pre(insert(document, ruleIndex, field));
          const error = refusal(ossDialect, writeTree(document));
          expect({ status: error.status, code: error.code }).toEqual({ status: 501, code: 'NotImplemented' });
          expect(error.message).toContain(field.name);
          expect(error.message).toContain('does not model');
        },
      ),
    );
  });

  it('every RedirectType the model lacks and every unknown element is refused by name', () => {
    const known = new Set(['Mirror', 'External']);
    fc.assert(
      fc.property(
        websiteDocument(1),
        fc.nat(),
        fc.oneof(
          fc.constantFrom('AliCDN', 'Internal').map((value) => ({ kind: 'type' as const, value })),
          fc
            .stringMatching(/^[A-Z][A-Za-z]{2,10}$/)
            .filter((name) => !known.has(name))
            .map((value) => ({ kind: 'element' as const, value: `Unknown${value}` })),
        ),
        fc.constantFrom<Place>('website', 'rule', 'condition', 'redirect'),
        (document, ruleIndex, refused, place) => {
          const rule = rulesOf(document)[ruleIndex % rulesOf(document).length] as Tree;
          if (refused.kind === 'type') child(rule, 'Redirect').RedirectType = [refused.value];
          else if (place === 'website') child(document, 'WebsiteConfiguration')[refused.value] = ['x'];
          else if (place === 'rule') rule[refused.value] = ['x'];
          else child(rule, place === 'condition' ? 'Condition' : 'Redirect')[refused.value] = ['x'];
          const error = refusal(ossDialect, writeTree(document));
          expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
          expect(error.message).toContain(refused.value);
        },
      ),
    );
  });

  const mirrorWith = (
    redirect: Record<string, XmlNode | XmlNode[]>,
    condition: Record<string, XmlNode | XmlNode[]> = {},
  ) =>
    element({
      RuleNumber: '1000',
      Condition: element({ HttpErrorCodeReturnedEquals: '404', ...condition }),
      Redirect: element({ RedirectType: 'Mirror', MirrorURL: 'http://o.test/', ...redirect }),
    });
  const eleven = <T>(make: (n: number) => T) => Array.from({ length: 11 }, (_, n) => make(n));

  // Documents that break a documented OSS rule, with the answer OSS gives.
  const violations: {
    why: string;
    code: 'InvalidArgument' | 'MalformedXML';
    apply: (rules: Tree[]) => void;
  }[] = [
    {
      why: 'more than 20 RoutingRule [oss-put]',
      code: 'InvalidArgument',
      apply: (rules) => {
        for (let n = rules.length; n <= 20; n++)
          rules.push({ ...mirrorWith({}), RuleNumber: [String(2000 + n)] });
      },
    },
    {
      why: 'a MirrorURL without a final /',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorURL: 'http://o.test/a' })),
    },
    {
      why: 'a MirrorURL not http(s)',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorURL: 'ftp://o.test/' })),
    },
    {
      why: 'a Mirror rule for another status than 404',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({}, { HttpErrorCodeReturnedEquals: '403' })),
    },
    {
      why: 'ReplaceKeyWith beside EnableReplacePrefix',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ ReplaceKeyWith: 'k', EnableReplacePrefix: 'true' })),
    },
    {
      why: 'eleven Pass headers',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorHeaders: element({ Pass: eleven((n) => `h${n}`) }) })),
    },
    {
      why: 'eleven Set headers',
      code: 'InvalidArgument',
      apply: (r) =>
        r.push(
          mirrorWith({
            MirrorHeaders: element({ Set: eleven((n) => element({ Key: `h${n}`, Value: 'v' })) }),
          }),
        ),
    },
    {
      why: 'eleven IncludeHeader',
      code: 'InvalidArgument',
      apply: (r) =>
        r.push(mirrorWith({}, { IncludeHeader: eleven((n) => element({ Key: `h${n}`, Equals: 'v' })) })),
    },
    {
      why: 'a Remove header with an underscore',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorHeaders: element({ Remove: 'x_trace' }) })),
    },
    {
      why: 'a Set value with a line feed',
      code: 'InvalidArgument',
      apply: (r) =>
        r.push(mirrorWith({ MirrorHeaders: element({ Set: element({ Key: 'a', Value: 'x\ny' }) }) })),
    },
    {
      why: 'an HttpRedirectCode of 303',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ HttpRedirectCode: '303' })),
    },
    {
      why: 'a boolean spelt yes',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorCheckMd5: 'yes' })),
    },
    {
      why: 'an unknown RedirectType',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ RedirectType: 'Proxy' })),
    },
    {
      why: 'a RuleNumber used twice',
      code: 'InvalidArgument',
      apply: (r) => r.push({ ...mirrorWith({}), RuleNumber: (r[0] as Tree).RuleNumber as XmlNode[] }),
    },
    {
      why: 'a RuleNumber of 0',
      code: 'InvalidArgument',
      apply: (r) => r.push({ ...mirrorWith({}), RuleNumber: ['0'] }),
    },
    {
      why: 'a RoutingRule without Redirect',
      code: 'MalformedXML',
      apply: (r) => {
        delete (r[0] as Tree).Redirect;
      },
    },
    {
      why: 'a RoutingRule without RuleNumber',
      code: 'MalformedXML',
      apply: (r) => {
        delete (r[0] as Tree).RuleNumber;
      },
    },
    {
      why: 'a RoutingRule with two Condition',
      code: 'MalformedXML',
      apply: (r) => {
        const rule = r[0] as Tree;
        rule.Condition = [...(rule.Condition ?? []), ...(rule.Condition ?? [])];
      },
    },
  ];

  it('invalid documents give the OSS code and status', () => {
    fc.assert(
      fc.property(websiteDocument(1), fc.constantFrom(...violations), (document, violation) => {
        violation.apply(rulesOf(document));
        const error = refusal(ossDialect, writeTree(document));
        expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: violation.code });
      }),
    );
  });

  it('a body cut short is malformed XML', () => {
    fc.assert(
      fc.property(websiteDocument(1), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (document, cut) => {
        const body = writeTree(document);
        const error = refusal(ossDialect, body.slice(0, Math.floor(body.length * cut)));
        expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: 'MalformedXML' });
      }),
    );
  });
});
