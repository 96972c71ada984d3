// The parse side of the COS dialect: a native OriginConfiguration to neutral rules, refusing by name what
// the model cannot carry. The header of dialect.ts gives the sources.
import { isXmlChar } from '../../dialects/xml-fields.ts';
import type { HeaderPolicyDocument, KeyRewrite, MirrorRuleDocument } from '../../model.ts';
import {
  asText,
  childrenOf,
  invalidArgument,
  type Kids,
  malformed,
  notModelled,
  one,
  optionalBoolean,
  optionalText,
  refuseOthers,
  requiredText,
} from './elements.ts';

type OriginType = 'Mirror' | 'Proxy' | 'Redirect';
export type Protocol = 'HTTP' | 'HTTPS' | 'FOLLOW';
type Mode = NonNullable<MirrorRuleDocument['mode']>;

// Proxy is the asynchronous pull: a 302 to the origin while COS copies the object [cos-get][cos-old].
const MODE_OF: Readonly<Record<OriginType, Mode>> = {
  Mirror: 'mirror',
  Proxy: 'redirect-async',
  Redirect: 'redirect',
};
export const TYPE_OF: Readonly<Record<Mode, OriginType>> = {
  mirror: 'Mirror',
  'redirect-async': 'Proxy',
  redirect: 'Redirect',
};

/** What a rule says that changes nothing in the model but must read back, keyed by rule id in `extras.rules`. */
export interface RuleExtras {
  /** `FOLLOW` uses the client's protocol; the simulator is reached over http, so the origins are http://. */
  protocol?: 'FOLLOW';
  /** The sole HostInfo's Weight: with one weighted origin it shares nothing [cos-put]. */
  weight?: number;
  /** The Go SDK writes `ForbidFollowHttpHeaders` where the API pages write `ForbidFollowHeaders` [cos-go][cos-put]. */
  forbidElement?: 'ForbidFollowHttpHeaders';
  /** `false` keeps COS's own answer (424) for origin errors, which is what the model does [cos-put]. */
  transparentErrorCode?: false;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;
// "A domain name or IP address without http:// or https://, optionally with a port" [cos-guide].
const HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::(\d{1,5}))?$/;
/** Whether XML 1.0 can carry this character. */
export function xmlChar(character: string): boolean {
  return isXmlChar(character.codePointAt(0) ?? 0);
}

// ---- parse ----------------------------------------------------------------------------------------------

export function parseRule(
  node: unknown,
  position: string,
): { rule: MirrorRuleDocument; priority: number; extras: RuleExtras } {
  const kids = childrenOf(node, position);
  refuseOthers(kids, position, [
    'RulePriority',
    'OriginType',
    'OriginCondition',
    'OriginParameter',
    'HTTPStandbyCode',
    'OriginInfo',
  ]);
  const priorityText = requiredText(kids, 'RulePriority', position).trim();
  if (!/^\d{1,9}$/.test(priorityText)) {
    throw invalidArgument(`${position}/RulePriority is '${priorityText}'; write a whole number such as 1`);
  }
  const priority = Number(priorityText);
  const at = `OriginRule[RulePriority=${priority}]`;
  const typeText = requiredText(kids, 'OriginType', at).trim();
  if (!Object.hasOwn(MODE_OF, typeText)) {
    throw invalidArgument(`${at}/OriginType is '${typeText}'; write Mirror, Proxy or Redirect [cos-put]`);
  }
  const type = typeText as OriginType;
  const conditionNode = one(kids, 'OriginCondition', at);
  if (conditionNode === undefined)
    throw malformed(`${at} needs an OriginCondition with an HTTPStatusCode [cos-put]`);
  const condition = parseCondition(conditionNode, `${at}/OriginCondition`, type);
  const parameter = parseParameter(one(kids, 'OriginParameter', at), `${at}/OriginParameter`, type);
  const infoNode = one(kids, 'OriginInfo', at);
  if (infoNode === undefined) throw malformed(`${at} needs an OriginInfo with a HostInfo/HostName [cos-put]`);
  const info = parseInfo(infoNode, `${at}/OriginInfo`, parameter.protocol, condition.keyPrefix);

  const rule: MirrorRuleDocument = {
    id: `priority-${priority}`,
    mode: MODE_OF[type],
    origins: info.origins,
    // COS forwards the query string unless told not to, the model not unless told to [cos-get].
    passQueryString: parameter.followQueryString,
    followRedirects: parameter.followRedirection,
  };
  if (condition.keyPrefix !== undefined || condition.keySuffix !== undefined) rule.condition = condition;
  if (info.keyRewrite !== undefined) rule.keyRewrite = info.keyRewrite;
  if (parameter.headers !== undefined) rule.headers = parameter.headers;
  const standby = one(kids, 'HTTPStandbyCode', at);
  if (standby !== undefined) rule.failoverOn = parseStandbyCodes(standby, `${at}/HTTPStandbyCode`);
  if (parameter.redirectStatus !== undefined) rule.redirectStatus = parameter.redirectStatus;

  const extras: RuleExtras = {};
  if (parameter.protocol === 'FOLLOW') extras.protocol = 'FOLLOW';
  if (info.weight !== undefined) extras.weight = info.weight;
  if (parameter.forbidElement !== undefined) extras.forbidElement = parameter.forbidElement;
  if (parameter.transparentErrorCode === false) extras.transparentErrorCode = false;
  return { rule, priority, extras };
}

function parseCondition(
  node: unknown,
  at: string,
  type: OriginType,
): { keyPrefix?: string; keySuffix?: string } {
  const kids = childrenOf(node, at);
  refuseOthers(kids, at, ['HTTPStatusCode', 'Prefix', 'Suffix'], {
    FilterHost: 'FilterHost refuses origin-pull for requests that arrive through listed domains',
  });
  const statusText = requiredText(kids, 'HTTPStatusCode', at).trim();
  const status = /^\d{3}$/.test(statusText) ? Number(statusText) : Number.NaN;
  if (type !== 'Redirect' && status !== 404) {
    throw invalidArgument(
      `${at}/HTTPStatusCode is '${statusText}'; ${type} rules fire on 404 only, write 404 [cos-put]`,
    );
  }
  if (!(status >= 400 && status <= 599)) {
    throw invalidArgument(
      `${at}/HTTPStatusCode is '${statusText}'; a Redirect rule takes a status from 400 to 599 [cos-guide]`,
    );
  }
  if (status !== 404) {
    throw notModelled(
      `${at}/HTTPStatusCode`,
      `a Redirect rule firing on ${status} redirects requests other than a miss`,
    );
  }
  const condition: { keyPrefix?: string; keySuffix?: string } = {};
  // An empty Prefix means every key [cos-put]; an empty Suffix likewise.
  const prefix = optionalText(kids, 'Prefix', at);
  if (prefix) condition.keyPrefix = prefix;
  const suffix = optionalText(kids, 'Suffix', at);
  if (suffix) condition.keySuffix = suffix;
  return condition;
}

interface Parameter {
  protocol: Protocol;
  followQueryString: boolean;
  followRedirection: boolean;
  headers?: HeaderPolicyDocument;
  redirectStatus?: 301 | 302 | 307;
  forbidElement?: 'ForbidFollowHttpHeaders';
  transparentErrorCode?: false;
}

function parseParameter(node: unknown, at: string, type: OriginType): Parameter {
  const kids = node === undefined ? {} : childrenOf(node, at);
  refuseOthers(
    kids,
    at,
    [
      'Protocol',
      'TransparentErrorCode',
      'FollowQueryString',
      'HttpHeader',
      'FollowRedirection',
      'HttpRedirectCode',
    ],
    {
      FollowRedirectionConfiguration:
        'FollowRedirectionConfiguration tunes how an origin 3xx is followed (FollowOriginHeaders, FollowUrlAutoDecode)',
      CopyOriginData: 'CopyOriginData is a switch of the Go SDK with no documented behaviour',
    },
  );
  const protocolText = optionalText(kids, 'Protocol', at)?.trim() ?? 'FOLLOW'; // the default [cos-get]
  if (protocolText !== 'HTTP' && protocolText !== 'HTTPS' && protocolText !== 'FOLLOW') {
    throw invalidArgument(`${at}/Protocol is '${protocolText}'; write HTTP, HTTPS or FOLLOW [cos-put]`);
  }
  const parameter: Parameter = {
    protocol: protocolText,
    followQueryString: optionalBoolean(kids, 'FollowQueryString', at) ?? true, // default true [cos-get]
    followRedirection: optionalBoolean(kids, 'FollowRedirection', at) ?? true, // default true [cos-get]
  };
  const transparent = optionalBoolean(kids, 'TransparentErrorCode', at);
  if (transparent === true) {
    throw notModelled(
      `${at}/TransparentErrorCode`,
      "TransparentErrorCode true passes the origin's error status to the client instead of 424",
    );
  }
  if (transparent === false) parameter.transparentErrorCode = false;
  const redirectText = optionalText(kids, 'HttpRedirectCode', at)?.trim();
  if (redirectText !== undefined) {
    // Departure from the API page's own first example, a Mirror rule with 302: its element table and
    // comment say the code is for Redirect and Proxy only, "otherwise a parameter error" [cos-put].
    if (type === 'Mirror') {
      throw invalidArgument(
        `${at}/HttpRedirectCode: only Redirect and Proxy rules take one; remove it from this Mirror rule [cos-put]`,
      );
    }
    if (redirectText !== '301' && redirectText !== '302' && redirectText !== '307') {
      throw invalidArgument(`${at}/HttpRedirectCode is '${redirectText}'; write 301, 302 or 307 [cos-get]`);
    }
    parameter.redirectStatus = Number(redirectText) as 301 | 302 | 307;
  }
  // Written out for Redirect and Proxy rules, so that a document reads the same after a round trip.
  if (type !== 'Mirror') parameter.redirectStatus ??= 302; // the default [cos-get]
  const headerNode = one(kids, 'HttpHeader', at);
  if (headerNode !== undefined) Object.assign(parameter, parseHeaders(headerNode, `${at}/HttpHeader`));
  return parameter;
}

function parseHeaders(node: unknown, at: string): Pick<Parameter, 'headers' | 'forbidElement'> {
  const kids = childrenOf(node, at);
  refuseOthers(kids, at, [
    'FollowAllHeaders',
    'NewHttpHeaders',
    'FollowHttpHeaders',
    'ForbidFollowHeaders',
    'ForbidFollowHttpHeaders',
  ]);
  if (kids.ForbidFollowHeaders !== undefined && kids.ForbidFollowHttpHeaders !== undefined) {
    throw invalidArgument(
      `${at} has both ForbidFollowHeaders and ForbidFollowHttpHeaders; they are one list, give it once [cos-put][cos-go]`,
    );
  }
  const forbidElement =
    kids.ForbidFollowHttpHeaders !== undefined ? 'ForbidFollowHttpHeaders' : 'ForbidFollowHeaders';
  // FollowAllHeaders defaults to false [cos-get]; a policy that passes nothing is no policy.
  const headers: HeaderPolicyDocument = { passAll: optionalBoolean(kids, 'FollowAllHeaders', at) ?? false };
  const newHeaders = headerEntries(kids, 'NewHttpHeaders', at, true);
  if (newHeaders.length > 10) {
    throw invalidArgument(
      `${at}/NewHttpHeaders has ${newHeaders.length} headers; at most 10 are allowed [cos-get]`,
    );
  }
  if (newHeaders.length > 0)
    headers.set = newHeaders.map(({ key, value }) => ({ name: key, value: value ?? '' }));
  const pass = headerEntries(kids, 'FollowHttpHeaders', at, false).map(({ key }) => key);
  if (pass.length > 0) headers.pass = pass;
  const remove = headerEntries(kids, forbidElement, at, false).map(({ key }) => key);
  if (remove.length > 0) headers.remove = remove;
  return {
    ...(headers.passAll || Object.keys(headers).length > 1 ? { headers } : {}),
    ...(forbidElement === 'ForbidFollowHttpHeaders' ? { forbidElement } : {}),
  };
}

function headerEntries(
  kids: Kids,
  list: string,
  at: string,
  withValue: boolean,
): { key: string; value?: string }[] {
  const listNode = one(kids, list, at);
  if (listNode === undefined) return [];
  const listKids = childrenOf(listNode, `${at}/${list}`);
  refuseOthers(listKids, `${at}/${list}`, ['Header']);
  return (listKids.Header ?? []).map((header, index) => {
    const here = `${at}/${list}/Header[${index + 1}]`;
    const headerKids = childrenOf(header, here);
    refuseOthers(headerKids, here, withValue ? ['Key', 'Value'] : ['Key']);
    const key = requiredText(headerKids, 'Key', here);
    if (!HEADER_NAME.test(key)) throw invalidArgument(`${here}/Key '${key}' is not an HTTP header name`);
    if (!withValue) return { key };
    const value = optionalText(headerKids, 'Value', here) ?? '';
    // "If there is a value, add a header; if it is empty, add none" [cos-put]: an entry that does nothing.
    if (value === '') throw notModelled(`${here}/Value`, `an empty Value adds no '${key}' header at COS`);
    if (!HEADER_VALUE.test(value)) throw invalidArgument(`${here}/Value may not contain CR, LF or NUL`);
    return { key, value };
  });
}

function parseStandbyCodes(node: unknown, at: string): string[] {
  const kids = childrenOf(node, at);
  refuseOthers(kids, at, ['StatusCode']);
  const codes: string[] = [];
  for (const code of kids.StatusCode ?? []) {
    const text = asText(code, `${at}/StatusCode`).trim();
    if (/^5\d\d$/.test(text)) {
      throw invalidArgument(
        `${at}/StatusCode ${text}: every 5xx already moves to a standby origin; list 4xx codes only [cos-put]`,
      );
    }
    if (!/^4\d\d$/.test(text))
      throw invalidArgument(`${at}/StatusCode is '${text}'; list 4xx statuses such as 403 [cos-put]`);
    if (codes.includes(text)) throw invalidArgument(`${at}/StatusCode ${text} is listed twice; list it once`);
    codes.push(text);
  }
  // 5xx always switches, the listed 4xx codes too [cos-put].
  return ['5XX', ...codes];
}

function parseInfo(
  node: unknown,
  at: string,
  protocol: Protocol,
  keyPrefix: string | undefined,
): { origins: string[]; weight?: number; keyRewrite?: KeyRewrite } {
  const kids = childrenOf(node, at);
  refuseOthers(kids, at, ['HostInfo', 'FileInfo']);
  const hosts = kids.HostInfo ?? [];
  if (hosts.length === 0) throw malformed(`${at} needs a HostInfo with a HostName [cos-put]`);
  if (hosts.length > 1) {
    throw notModelled(
      `${at}/HostInfo`,
      `${hosts.length} HostInfo elements share the pulls among origins by Weight, where the model tries its origins in order (write one HostInfo and its StandbyHostName_N)`,
    );
  }
  const host = parseHost(hosts[0], `${at}/HostInfo`);
  // FOLLOW takes the client's protocol; the simulator is reached over http [cos-get].
  const scheme = protocol === 'HTTPS' ? 'https' : 'http';
  const origins = [host.name, ...host.standby].map((name) => `${scheme}://${name}`);
  const fileNode = one(kids, 'FileInfo', at);
  const keyRewrite =
    fileNode === undefined ? undefined : parseFileInfo(fileNode, `${at}/FileInfo`, keyPrefix);
  return {
    origins,
    ...(host.weight !== undefined ? { weight: host.weight } : {}),
    ...(keyRewrite !== undefined ? { keyRewrite } : {}),
  };
}

function parseHost(node: unknown, at: string): { name: string; standby: string[]; weight?: number } {
  const kids = childrenOf(node, at);
  const standbyAt = new Map<number, string>();
  for (const name of Object.keys(kids)) {
    if (name === 'HostName' || name === 'Weight') continue;
    const standby = /^StandbyHostName_(\d+)$/.exec(name);
    if (standby) {
      const number = Number(standby[1]);
      if (number < 1 || number > 10) {
        throw invalidArgument(
          `${at}/${name}: standby origins are numbered StandbyHostName_1 to StandbyHostName_10 [cos-put]`,
        );
      }
      standbyAt.set(number, checkedHost(requiredText(kids, name, at), `${at}/${name}`));
      continue;
    }
    if (name === 'PrivateHost' || /^PrivateStandbyHost_\d+$/.test(name)) {
      throw notModelled(
        `${at}/${name}`,
        'a private origin signed with a CredentialProvider (SecretId, SecretKey or a role)',
      );
    }
    throw notModelled(`${at}/${name}`, 'COS documents no such element here');
  }
  const standby: string[] = [];
  for (let number = 1; number <= standbyAt.size; number++) {
    const name = standbyAt.get(number);
    if (name === undefined) {
      throw invalidArgument(
        `${at}: StandbyHostName_${number} is missing; number the standby origins 1, 2, 3… without gaps [cos-put]`,
      );
    }
    standby.push(name);
  }
  if (standby.length > 9) {
    throw notModelled(
      `${at}/StandbyHostName_10`,
      'a tenth standby origin makes eleven origins, and a rule holds at most 10',
    );
  }
  const result: { name: string; standby: string[]; weight?: number } = {
    name: checkedHost(requiredText(kids, 'HostName', at), `${at}/HostName`),
    standby,
  };
  const weightText = optionalText(kids, 'Weight', at)?.trim();
  if (weightText !== undefined) {
    if (!/^\d{1,9}$/.test(weightText) || Number(weightText) < 1) {
      throw invalidArgument(`${at}/Weight is '${weightText}'; write a positive whole number [cos-put]`);
    }
    result.weight = Number(weightText);
  }
  return result;
}

function checkedHost(host: string, at: string): string {
  if (!isHost(host)) {
    throw invalidArgument(
      `${at} is '${host}'; write a domain name or IP address with an optional port, without http:// or a path [cos-guide]`,
    );
  }
  return host;
}

export function isHost(host: string): boolean {
  const port = HOST.exec(host)?.[1];
  return (
    HOST.test(host) &&
    host.length <= 256 &&
    (port === undefined || (Number(port) >= 1 && Number(port) <= 65535))
  );
}

function parseFileInfo(node: unknown, at: string, keyPrefix: string | undefined): KeyRewrite | undefined {
  const kids = childrenOf(node, at);
  const legacy =
    'this is the older FileInfo form; write FileInfo/PrefixConfiguration/Prefix or FileInfo/SuffixConfiguration/Suffix instead';
  refuseOthers(kids, at, ['PrefixConfiguration', 'SuffixConfiguration', 'FixedFileConfiguration'], {
    Prefix: legacy,
    Suffix: legacy,
    PrefixDirective: legacy,
  });
  const addedPrefix = part(kids, 'PrefixConfiguration', 'Prefix', 'ReplacedWithPrefix', at);
  const addedSuffix = part(kids, 'SuffixConfiguration', 'Suffix', 'ReplacedWithSuffix', at);
  const fixedNode = one(kids, 'FixedFileConfiguration', at);
  if (fixedNode !== undefined) {
    if (addedPrefix !== undefined || addedSuffix !== undefined) {
      throw invalidArgument(
        `${at}: a FixedFileConfiguration cannot be combined with a prefix or suffix; keep one [cos-guide]`,
      );
    }
    const fixedKids = childrenOf(fixedNode, `${at}/FixedFileConfiguration`);
    refuseOthers(fixedKids, `${at}/FixedFileConfiguration`, ['FixedFilePath']);
    const path = optionalText(fixedKids, 'FixedFilePath', `${at}/FixedFileConfiguration`) ?? '';
    if (path === '')
      throw invalidArgument(
        `${at}/FixedFileConfiguration needs a FixedFilePath, the file every pull fetches`,
      );
    literalKey(path, `${at}/FixedFileConfiguration/FixedFilePath`);
    return { replaceKeyWith: path };
  }
  // COS puts Prefix before and Suffix after the requested key [cos-get]. A prefix alone keeps the rule's
  // own keyPrefix behind it, which in the model's words replaces that keyPrefix with Prefix + keyPrefix.
  if (addedSuffix) {
    literalKey(addedPrefix ?? '', `${at}/PrefixConfiguration/Prefix`);
    literalKey(addedSuffix, `${at}/SuffixConfiguration/Suffix`);
    return { replaceKeyWith: `${addedPrefix ?? ''}\${key}${addedSuffix}` };
  }
  if (addedPrefix) return { replacePrefixWith: addedPrefix + (keyPrefix ?? '') };
  return undefined;
}

/** The text of `FileInfo/<container>/<element>`, or undefined when the container is absent. */
function part(
  kids: Kids,
  container: string,
  element: string,
  replacedWith: string,
  at: string,
): string | undefined {
  const node = one(kids, container, at);
  if (node === undefined) return undefined;
  const here = `${at}/${container}`;
  const partKids = childrenOf(node, here);
  refuseOthers(partKids, here, [element], {
    [replacedWith]: 'replacing part of the key is a Go SDK field with undocumented behaviour',
  });
  return optionalText(partKids, element, here) ?? '';
}

function literalKey(text: string, at: string): void {
  if (text.includes('${key}')) {
    throw notModelled(
      at,
      "a literal '${key}' in the pulled file name, which the model reads as the requested key",
    );
  }
}
