// COS fields the model cannot carry and documents COS refuses, each made from a valid one, with COS's
// answer [cos-put][cos-get][cos-errors]: test data for dialect.test.ts.

import { container, type Tree } from './dialect-trees.ts';

// ---- editing native trees -------------------------------------------------------------------------------

const parameterOf = (rule: Tree): Tree => {
  rule.OriginParameter = container(rule.OriginParameter);
  return rule.OriginParameter as Tree;
};
const hostOf = (rule: Tree): Tree => (rule.OriginInfo as Tree).HostInfo as Tree;
const credentials = {
  Host: 'private.example.com',
  CredentialProvider: { Role: 'qcs::cam::uin/1:roleName/origin' },
};

/** Fields COS documents (or its Go SDK sends) that the model cannot carry, each inserted into a rule. */
export const UNSUPPORTED: { field: string; insert: (rule: Tree) => void }[] = [
  {
    field: 'TransparentErrorCode',
    insert: (rule) => Object.assign(parameterOf(rule), { TransparentErrorCode: 'true' }),
  },
  {
    field: 'FollowRedirectionConfiguration',
    insert: (rule) =>
      Object.assign(parameterOf(rule), { FollowRedirectionConfiguration: { FollowOriginHeaders: 'true' } }),
  },
  { field: 'CopyOriginData', insert: (rule) => Object.assign(parameterOf(rule), { CopyOriginData: 'true' }) },
  { field: 'PrivateHost', insert: (rule) => Object.assign(hostOf(rule), { PrivateHost: credentials }) },
  {
    field: 'CredentialProvider',
    insert: (rule) => Object.assign(hostOf(rule), { PrivateHost: credentials }),
  },
  {
    field: 'PrivateStandbyHost_1',
    insert: (rule) => Object.assign(hostOf(rule), { PrivateStandbyHost_1: credentials }),
  },
  {
    field: 'FilterHost',
    insert: (rule) =>
      Object.assign(rule.OriginCondition as Tree, {
        FilterHost: { ForbidHost: { DomainList: { Domain: 'a.example' } } },
      }),
  },
  {
    field: 'HostInfo',
    insert: (rule) => {
      const info = rule.OriginInfo as Tree;
      info.HostInfo = [info.HostInfo, { HostName: 'second.example', Weight: '2' }];
    },
  },
  {
    field: 'Weight',
    insert: (rule) => {
      const info = rule.OriginInfo as Tree;
      info.HostInfo = [info.HostInfo, { HostName: 'second.example', Weight: '2' }];
    },
  },
  {
    field: 'StandbyHostName_10',
    insert: (rule) => {
      for (let number = 1; number <= 10; number++)
        hostOf(rule)[`StandbyHostName_${number}`] = `s${number}.example`;
    },
  },
  {
    field: 'ReplacedWithPrefix',
    insert: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = {
        PrefixConfiguration: { Prefix: 'a/', ReplacedWithPrefix: 'b/' },
      };
    },
  },
  {
    field: 'ReplacedWithSuffix',
    insert: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = {
        SuffixConfiguration: { Suffix: '.a', ReplacedWithSuffix: '.b' },
      };
    },
  },
  {
    field: 'PrefixDirective',
    insert: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = { PrefixDirective: 'true', Prefix: 'a/' };
    },
  },
  { field: 'MirrorTimeout', insert: (rule) => Object.assign(rule, { MirrorTimeout: '10' }) },
];

/** Documents COS refuses, each made from a valid one, with COS's answer [cos-put][cos-get][cos-errors]. */
export const BREAKERS: {
  what: string;
  status: number;
  code: string;
  apply: (rule: Tree, rules: Tree[]) => void;
}[] = [
  {
    what: 'a Mirror rule with an HttpRedirectCode',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      Object.assign(rule, { OriginType: 'Mirror' });
      Object.assign(parameterOf(rule), { HttpRedirectCode: '302' });
    },
  },
  {
    what: 'a Proxy rule firing on 403',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      Object.assign(rule, { OriginType: 'Proxy' });
      Object.assign(rule.OriginCondition as Tree, { HTTPStatusCode: '403' });
    },
  },
  {
    what: 'a Redirect rule firing on 302',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      Object.assign(rule, { OriginType: 'Redirect' });
      Object.assign(rule.OriginCondition as Tree, { HTTPStatusCode: '302' });
    },
  },
  {
    what: 'eleven NewHttpHeaders',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      const header = Array.from({ length: 11 }, (_, index) => ({ Key: `x-h${index}`, Value: 'v' }));
      parameterOf(rule).HttpHeader = { NewHttpHeaders: { Header: header } };
    },
  },
  {
    what: 'two rules with one RulePriority',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule, rules) => {
      rules.push(structuredClone(rule));
    },
  },
  {
    what: 'a HostName with a scheme',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(hostOf(rule), { HostName: `http://${hostOf(rule).HostName}` }),
  },
  {
    what: 'a HostName with a path',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(hostOf(rule), { HostName: `${hostOf(rule).HostName}/dir` }),
  },
  {
    what: 'a Weight of 0',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(hostOf(rule), { Weight: '0' }),
  },
  {
    what: 'StandbyHostName_11',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(hostOf(rule), { StandbyHostName_11: 'late.example' }),
  },
  {
    what: 'standby origins numbered with a gap',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      const info = rule.OriginInfo as Tree;
      info.HostInfo = { HostName: hostOf(rule).HostName, StandbyHostName_2: 'b.example' };
    },
  },
  {
    what: 'a fixed file with an added prefix',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = {
        FixedFileConfiguration: { FixedFilePath: 'index.html' },
        PrefixConfiguration: { Prefix: 'p/' },
      };
    },
  },
  {
    what: 'an unknown Protocol',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(parameterOf(rule), { Protocol: 'FTP' }),
  },
  {
    what: 'a FollowQueryString that is not a boolean',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(parameterOf(rule), { FollowQueryString: 'yes' }),
  },
  {
    what: 'an HttpRedirectCode of 303',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => {
      Object.assign(rule, { OriginType: 'Proxy' });
      Object.assign(parameterOf(rule), { HttpRedirectCode: '303' });
    },
  },
  {
    what: 'a 5xx standby code',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(rule, { HTTPStandbyCode: { StatusCode: ['502'] } }),
  },
  {
    what: 'a standby code listed twice',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(rule, { HTTPStandbyCode: { StatusCode: ['403', '403'] } }),
  },
  {
    what: 'an unknown OriginType',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(rule, { OriginType: 'Copy' }),
  },
  {
    what: 'a RulePriority that is not a number',
    status: 400,
    code: 'InvalidArgument',
    apply: (rule) => Object.assign(rule, { RulePriority: 'first' }),
  },
  {
    what: 'a rule without OriginInfo',
    status: 400,
    code: 'MalformedXML',
    apply: (rule) => {
      delete rule.OriginInfo;
    },
  },
  {
    what: 'a rule without OriginCondition',
    status: 400,
    code: 'MalformedXML',
    apply: (rule) => {
      delete rule.OriginCondition;
    },
  },
  {
    what: 'OriginType given twice',
    status: 400,
    code: 'MalformedXML',
    apply: (rule) => Object.assign(rule, { OriginType: ['Mirror', 'Proxy'] }),
  },
];
