// Tencent Cloud COS origin-pull rules (PUT, GET and DELETE on the subresource the record names, root `OriginConfiguration`) as
// neutral rules, both ways [cos-put][cos-get][cos-go]. Element names and nesting follow the API pages and
// the Go SDK's bucket_origin.go; where the two disagree both spellings are read and the one read is written
// back. Error codes are COS's own list, https://www.tencentcloud.com/document/product/436/7730 (the same
// table as Tencent's flare COS client, flare/net/cos/cos_status.cc), cited below as [cos-errors].

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Dialect, DialectError, type NativeExtras, NotExpressible } from '../../dialects/dialect.ts';
import { basePathAsKeyPrefix, originBasePath } from '../../dialects/origin-path.ts';
import { isXmlChar, XML_TREE_OPTIONS } from '../../dialects/xml-fields.ts';
import type {
  HeaderPolicyDocument,
  KeyRewrite,
  MirrorConfigurationDocument,
  MirrorRuleDocument,
} from '../../model.ts';
import { ruleCall } from '../vendor.ts';
import { cos } from './vendor.ts';

type OriginType = 'Mirror' | 'Proxy' | 'Redirect';
type Protocol = 'HTTP' | 'HTTPS' | 'FOLLOW';
type Mode = NonNullable<MirrorRuleDocument['mode']>;

// Proxy is the asynchronous pull: a 302 to the origin while COS copies the object [cos-get][cos-old].
const MODE_OF: Readonly<Record<OriginType, Mode>> = {
  Mirror: 'mirror',
  Proxy: 'redirect-async',
  Redirect: 'redirect',
};
const TYPE_OF: Readonly<Record<Mode, OriginType>> = {
  mirror: 'Mirror',
  'redirect-async': 'Proxy',
  redirect: 'Redirect',
};

/** What a rule says that changes nothing in the model but must read back, keyed by rule id in `extras.rules`. */
interface RuleExtras {
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
function xmlChar(character: string): boolean {
  return isXmlChar(character.codePointAt(0) ?? 0);
}

const malformed = (message: string) => new DialectError(400, 'MalformedXML', message);
const invalidArgument = (message: string) => new DialectError(400, 'InvalidArgument', message);
const notModelled = (path: string, why: string) =>
  new DialectError(
    501,
    'NotImplemented',
    `${path}: ${why}; the simulator does not model this, so leave it out`,
  );

// The shared tree settings; numeric character references decoded, as XML requires.
const xmlParser = new XMLParser({ ...XML_TREE_OPTIONS, htmlEntities: true });

type Kids = Record<string, unknown[]>;

export const cosDialect: Dialect = {
  id: 'cos',
  title: 'Tencent Cloud COS PUT Bucket origin',
  contentType: 'application/xml',

  parse(body) {
    if (body.trim() === '') {
      throw new DialectError(
        400,
        'MissingRequestBodyError',
        'the body is empty; send an OriginConfiguration document [cos-errors]',
      );
    }
    const wellFormed = XMLValidator.validate(body);
    if (wellFormed !== true) {
      throw malformed(`the body is not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`);
    }
    let tree: Kids;
    try {
      tree = xmlParser.parse(body) as Kids;
    } catch (error) {
      throw malformed(`the body is not well-formed XML: ${error instanceof Error ? error.message : error}`);
    }
    const roots = Object.keys(tree);
    if (roots.length !== 1 || roots[0] !== 'OriginConfiguration' || tree.OriginConfiguration?.length !== 1) {
      throw malformed(
        `the document must have one root element, OriginConfiguration; found ${roots.join(', ')}`,
      );
    }
    const kids = childrenOf(tree.OriginConfiguration[0], 'OriginConfiguration');
    refuseOthers(kids, 'OriginConfiguration', ['OriginRule']);
    const ruleNodes = kids.OriginRule ?? [];
    if (ruleNodes.length === 0)
      throw malformed('OriginConfiguration needs at least one OriginRule [cos-put]');
    const parsed = ruleNodes.map((node, index) => parseRule(node, `OriginRule[${index + 1}]`));
    const seen = new Map<number, number>();
    parsed.forEach(({ priority }, index) => {
      const first = seen.get(priority);
      if (first !== undefined) {
        throw invalidArgument(
          `OriginRule[${index + 1}] and OriginRule[${first + 1}] both have RulePriority ${priority}; give each rule its own priority`,
        );
      }
      seen.set(priority, index);
    });
    // Undocumented which end wins [cos-put][cos-get]: the smaller RulePriority is applied first, as OSS's
    // RuleNumber, and every documented example numbers its only rule 1. A deliberate choice.
    parsed.sort((a, b) => a.priority - b.priority);
    const ruleExtras = Object.fromEntries(
      parsed
        .filter(({ extras }) => Object.keys(extras).length > 0)
        .map(({ rule, extras }) => [rule.id, extras]),
    );
    return {
      configuration: { rules: parsed.map(({ rule }) => rule) },
      extras: Object.keys(ruleExtras).length > 0 ? { rules: ruleExtras } : {},
    };
  },

  render(configuration, extras) {
    const kept = extrasByRule(extras);
    const priorities = prioritiesOf(configuration.rules);
    const rules = configuration.rules.map((rule, index) =>
      renderRule(rule, `rules/${index}`, priorities[index] ?? index + 1, kept.get(rule.id) ?? {}),
    );
    return `<?xml version="1.0" encoding="UTF-8"?>\n${serialise({ name: 'OriginConfiguration', children: rules }, 0)}`;
  },

  errors: {
    noConfiguration: (bucket) =>
      new DialectError(
        404,
        'OriginConfigurationNotFoundError',
        `the bucket ${bucket} has no origin-pull configuration; ${ruleCall('PUT', cos.ruleApi.address)} first [cos-errors]`,
      ),
    invalid: (message) => invalidArgument(message),
  },

  errorBody(error, { requestId, resource }) {
    // COS's error shape [cos-errors]. Its TraceId is a second server-side id; the simulator has only the
    // request id, so it stands for both.
    const field = (name: string, value: string) => `  <${name}>${escapeText(value, true)}</${name}>\n`;
    return {
      contentType: 'application/xml',
      body: `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n${field('Code', error.code)}${field('Message', error.message)}${field('Resource', resource)}${field('RequestId', requestId)}${field('TraceId', requestId)}</Error>\n`,
    };
  },

  // PUT answers 200 with an empty body [cos-put]; DELETE answers 204 No Content
  // (https://www.tencentcloud.com/document/product/436/52812).
  putAnswer: () => ({ status: 200 }),
  deleteAnswer: () => ({ status: 204 }),
};

// ---- parse ----------------------------------------------------------------------------------------------

function parseRule(
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

function isHost(host: string): boolean {
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

// ---- render ---------------------------------------------------------------------------------------------

interface XmlNode {
  name: string;
  text?: string;
  children?: XmlNode[];
}

const leaf = (name: string, text: string): XmlNode => ({ name, text });
const node = (name: string, children: XmlNode[]): XmlNode => ({ name, children });

function renderRule(rule: MirrorRuleDocument, at: string, priority: number, extras: RuleExtras): XmlNode {
  refuseInexpressible(rule, at);
  const type = TYPE_OF[rule.mode ?? 'mirror'];
  const { protocol, hosts, basePrefix } = originsOf(rule, at, extras);
  const condition = [
    leaf('HTTPStatusCode', '404'),
    leaf('Prefix', text(rule.condition?.keyPrefix ?? '', `${at}/condition/keyPrefix`)),
  ];
  if (rule.condition?.keySuffix)
    condition.push(leaf('Suffix', text(rule.condition.keySuffix, `${at}/condition/keySuffix`)));
  const parameter = [leaf('Protocol', protocol)];
  if (extras.transparentErrorCode === false) parameter.push(leaf('TransparentErrorCode', 'false'));
  // Written out, since COS's default (true) is not the model's (false) [cos-get].
  parameter.push(leaf('FollowQueryString', String(rule.passQueryString ?? false)));
  const headers = headersOf(rule.headers, at, extras);
  if (headers !== undefined) parameter.push(headers);
  parameter.push(leaf('FollowRedirection', String(rule.followRedirects ?? true)));
  // A Mirror rule may not carry one [cos-put]; the model ignores redirectStatus on mirror rules.
  if (type !== 'Mirror') parameter.push(leaf('HttpRedirectCode', String(rule.redirectStatus ?? 302)));
  const children = [
    leaf('RulePriority', String(priority)),
    leaf('OriginType', type),
    node('OriginCondition', condition),
    node('OriginParameter', parameter),
  ];
  const standby = standbyCodesOf(rule.failoverOn, at);
  if (standby !== undefined) children.push(standby);
  const hostInfo = [leaf('HostName', hosts[0] ?? '')];
  if (extras.weight !== undefined) hostInfo.push(leaf('Weight', String(extras.weight)));
  hosts.slice(1).forEach((host, index) => {
    hostInfo.push(leaf(`StandbyHostName_${index + 1}`, host));
  });
  const info = [node('HostInfo', hostInfo)];
  const file = fileInfoOf(rule, basePrefix, at);
  if (file !== undefined) info.push(file);
  children.push(node('OriginInfo', info));
  return node('OriginRule', children);
}

function refuseInexpressible(rule: MirrorRuleDocument, at: string): void {
  if ((rule.condition?.headers ?? []).length > 0) {
    throw new NotExpressible(
      'cos',
      `${at}/condition/headers`,
      'COS conditions test the key prefix and suffix only',
    );
  }
  if (rule.writeBack === false) {
    throw new NotExpressible(
      'cos',
      `${at}/writeBack`,
      'COS stores every object a Mirror or Proxy rule pulls',
    );
  }
  if (rule.checkMd5 === true)
    throw new NotExpressible('cos', `${at}/checkMd5`, 'COS has no integrity check on pulled objects');
  if (rule.acl !== undefined && rule.acl !== 'private') {
    throw new NotExpressible('cos', `${at}/acl`, 'COS has no ACL setting for pulled objects');
  }
  if (rule.triggerOnHead === true) {
    throw new NotExpressible('cos', `${at}/triggerOnHead`, 'a HEAD never pulls at COS [cos-guide]');
  }
}

const ORIGIN = /^(https?):\/\/([^/?#]*)([^?#]*)$/i;
/** The neutral KeyRewrite's length limit, so that a rewrite with an origin path folded in reads back valid. */
const MAX_REWRITE = 1024;

/**
 * The Protocol, the HostName and standby host names, and the key prefix that stands for the origins'
 * common path ('' when they have none): a COS HostName has no path [cos-guide], so the path moves into
 * FileInfo (see `fileInfoOf`).
 */
function originsOf(
  rule: MirrorRuleDocument,
  at: string,
  extras: RuleExtras,
): { protocol: Protocol; hosts: string[]; basePrefix: string } {
  if (rule.origins.length === 0)
    throw new NotExpressible('cos', `${at}/origins`, 'a COS rule needs a HostName');
  const schemes = new Set<string>();
  const basePaths: string[] = [];
  const hosts = rule.origins.map((origin, index) => {
    const match = ORIGIN.exec(origin);
    const host = match?.[2] ?? '';
    if (match === null || !isHost(host)) {
      throw new NotExpressible(
        'cos',
        `${at}/origins/${index}`,
        `'${origin}': a COS origin is a host name or IP address with an optional port [cos-guide], here followed by an optional path and nothing else`,
      );
    }
    schemes.add((match[1] ?? '').toLowerCase());
    // The path as a URL parser reads it, apart from the host, which COS checks by its own rules.
    basePaths.push(originBasePath(match[3] ?? ''));
    return host;
  });
  if (schemes.size > 1) {
    throw new NotExpressible(
      'cos',
      `${at}/origins`,
      'a COS rule has one Protocol: make every origin http:// or every one https://',
    );
  }
  const basePath = basePaths[0] ?? '';
  basePaths.forEach((path, index) => {
    if (path !== basePath) {
      throw new NotExpressible(
        'cos',
        `${at}/origins/${index}`,
        `'${rule.origins[index]}' has the path '${path || '/'}' where '${rule.origins[0]}' has '${basePath || '/'}': a COS rule has one FileInfo, put in front of the key for its HostName and every StandbyHostName_N alike, so all its origins need the same path`,
      );
    }
  });
  const https = schemes.has('https');
  return {
    protocol: https ? 'HTTPS' : extras.protocol === 'FOLLOW' ? 'FOLLOW' : 'HTTP',
    hosts,
    basePrefix: basePrefixOf(basePath, rule.origins[0] ?? '', `${at}/origins/0`),
  };
}

/**
 * The key prefix P that stands for the origins' base path (see `basePathAsKeyPrefix`): COS has only the key
 * to say the path with. A path is refused when no key encodes to it, or when its key holds characters XML
 * cannot carry in a FileInfo prefix.
 */
function basePrefixOf(basePath: string, origin: string, field: string): string {
  const prefix = basePathAsKeyPrefix(
    basePath,
    (problem) =>
      new NotExpressible(
        'cos',
        field,
        problem === 'escape-not-utf-8'
          ? `the path of '${origin}' holds an escape that is not UTF-8, which no FileInfo prefix can spell`
          : `the path of '${origin}' is not the encoding of any key ('/' inside a segment as %2F, a lower-case escape, an escaped unreserved character or an unescaped reserved one), so no FileInfo prefix gives the same origin URL`,
      ),
  );
  if (![...prefix].every(xmlChar)) {
    throw new NotExpressible(
      'cos',
      field,
      `the path of '${origin}' decodes to control characters, which XML 1.0 cannot carry in a FileInfo prefix`,
    );
  }
  return prefix;
}

function headersOf(
  policy: HeaderPolicyDocument | undefined,
  at: string,
  extras: RuleExtras,
): XmlNode | undefined {
  const set = policy?.set ?? [];
  const pass = policy?.pass ?? [];
  const remove = policy?.remove ?? [];
  if (policy?.passAll !== true && set.length + pass.length + remove.length === 0) return undefined;
  const children = [leaf('FollowAllHeaders', String(policy?.passAll ?? false))];
  const list = (name: string, headers: XmlNode[][]) => {
    if (headers.length > 0)
      children.push(
        node(
          name,
          headers.map((header) => node('Header', header)),
        ),
      );
  };
  list(
    'NewHttpHeaders',
    set.map(({ name, value }, index) => {
      if (value === '') {
        throw new NotExpressible(
          'cos',
          `${at}/headers/set/${index}/value`,
          'COS adds no header for an empty Value [cos-put]',
        );
      }
      return [leaf('Key', name), leaf('Value', text(value, `${at}/headers/set/${index}/value`))];
    }),
  );
  list(
    'FollowHttpHeaders',
    pass.map((name) => [leaf('Key', name)]),
  );
  list(
    extras.forbidElement ?? 'ForbidFollowHeaders',
    remove.map((name) => [leaf('Key', name)]),
  );
  return node('HttpHeader', children);
}

function standbyCodesOf(failoverOn: string[] | undefined, at: string): XmlNode | undefined {
  if (failoverOn === undefined) return undefined;
  if (!failoverOn.includes('5XX')) {
    throw new NotExpressible(
      'cos',
      `${at}/failoverOn`,
      'every 5xx moves to a standby origin at COS [cos-put]; list 5XX',
    );
  }
  const codes = failoverOn.filter((item) => item !== '5XX');
  for (const code of codes) {
    if (!/^4\d\d$/.test(code)) {
      throw new NotExpressible(
        'cos',
        `${at}/failoverOn`,
        `'${code}': COS lists exact 4xx statuses besides every 5xx [cos-put]`,
      );
    }
  }
  return node(
    'HTTPStandbyCode',
    codes.map((code) => leaf('StatusCode', code)),
  );
}

/**
 * FileInfo for a rule's keyRewrite with the origins' path folded in as the key prefix P (see
 * `basePrefixOf`; '' without a path). COS puts PrefixConfiguration/Prefix in front of the whole requested
 * key and SuffixConfiguration/Suffix after it, or fetches FixedFilePath instead [cos-get]; `parse` reads a
 * Prefix X alone as `replacePrefixWith: X + keyPrefix`. With the rule's keyPrefix K, the neutral origin key
 * behind the path is, and COS says it as:
 * - no keyRewrite: the key → Prefix P (P + key);
 * - `replacePrefixWith: R`: R + the key after K → Prefix X where P + R = X + K; without a path R must end
 *   with K, with one it is P + R that must;
 * - `replaceKeyWith: F` without `${key}`: F → FixedFilePath P + F (with a path, F may be empty);
 * - `replaceKeyWith: A${key}B`: A + key + B → Prefix P + A and Suffix B.
 */
function fileInfoOf(rule: MirrorRuleDocument, basePrefix: string, at: string): XmlNode | undefined {
  const rewrite = rule.keyRewrite;
  const keyPrefix = rule.condition?.keyPrefix ?? '';
  let prefix = basePrefix;
  let suffix = '';
  let fixed: string | undefined;
  if (rewrite !== undefined && 'replacePrefixWith' in rewrite) {
    const whole = basePrefix + rewrite.replacePrefixWith;
    // COS only puts a prefix in front of the whole key: what replaces keyPrefix must end with it.
    if (!whole.endsWith(keyPrefix)) {
      throw new NotExpressible(
        'cos',
        `${at}/keyRewrite/replacePrefixWith`,
        basePrefix === ''
          ? `COS adds a prefix in front of the key and cannot drop the keyPrefix '${keyPrefix}'`
          : `COS adds a prefix in front of the key and cannot drop the keyPrefix '${keyPrefix}': the origin path and replacePrefixWith ('${whole}') must end with it`,
      );
    }
    prefix = whole.slice(0, whole.length - keyPrefix.length);
  } else if (rewrite !== undefined) {
    const pieces = rewrite.replaceKeyWith.split('${key}');
    if (pieces.length > 2) {
      throw new NotExpressible(
        'cos',
        `${at}/keyRewrite/replaceKeyWith`,
        'COS puts the requested key in the pulled name once',
      );
    }
    if (pieces.length === 1) {
      fixed = basePrefix + rewrite.replaceKeyWith;
      if (fixed === '') {
        throw new NotExpressible(
          'cos',
          `${at}/keyRewrite/replaceKeyWith`,
          'COS needs a FixedFilePath to fetch',
        );
      }
    } else {
      prefix = basePrefix + (pieces[0] ?? '');
      suffix = pieces[1] ?? '';
    }
  }
  if (basePrefix !== '') checkFolded(rule, { prefix, suffix, fixed }, keyPrefix, at);
  if (fixed !== undefined) {
    return node('FileInfo', [
      node('FixedFileConfiguration', [leaf('FixedFilePath', text(fixed, `${at}/keyRewrite`))]),
    ]);
  }
  const parts: XmlNode[] = [];
  if (prefix !== '')
    parts.push(node('PrefixConfiguration', [leaf('Prefix', text(prefix, `${at}/keyRewrite`))]));
  if (suffix !== '')
    parts.push(node('SuffixConfiguration', [leaf('Suffix', text(suffix, `${at}/keyRewrite`))]));
  return parts.length > 0 ? node('FileInfo', parts) : undefined;
}

/** Refuses an origin path that, folded into FileInfo, would not read back as the same rewrite. */
function checkFolded(
  rule: MirrorRuleDocument,
  { prefix, suffix, fixed }: { prefix: string; suffix: string; fixed: string | undefined },
  keyPrefix: string,
  at: string,
): void {
  const origin = rule.origins[0] ?? '';
  // A FixedFilePath, or a Prefix before a Suffix, reads back as a replaceKeyWith, where ${key} expands.
  if ((fixed !== undefined || suffix !== '') && (fixed ?? prefix).includes('${key}')) {
    throw new NotExpressible(
      'cos',
      `${at}/origins/0`,
      `the path of '${origin}' spells \${key}, which COS's FixedFilePath or a Prefix with a Suffix reads as the requested key`,
    );
  }
  const readBack = fixed ?? (suffix !== '' ? `${prefix}\${key}${suffix}` : prefix + keyPrefix);
  const length = [...readBack].length;
  if (length > MAX_REWRITE) {
    throw new NotExpressible(
      'cos',
      `${at}/origins/0`,
      `the path of '${origin}' folded into the key rewrite makes ${length} characters; at most ${MAX_REWRITE} read back`,
    );
  }
}

/**
 * RulePriority of each rule: from the ids when every one is `priority-<N>` with N rising (what `parse`
 * gives, so a document reads back with its own numbers), else by position from 1.
 */
function prioritiesOf(rules: MirrorConfigurationDocument['rules']): number[] {
  const fromIds = rules.map(({ id }) => {
    const match = /^priority-(\d{1,9})$/.exec(id);
    return match && String(Number(match[1])) === match[1] ? Number(match[1]) : undefined;
  });
  const rising = fromIds.every(
    (value, index) => value !== undefined && (index === 0 || value > (fromIds[index - 1] ?? -1)),
  );
  return rising ? (fromIds as number[]) : rules.map((_, index) => index + 1);
}

function extrasByRule(extras: NativeExtras | undefined): Map<string, RuleExtras> {
  const kept = new Map<string, RuleExtras>();
  const rules = extras?.rules;
  if (typeof rules !== 'object' || rules === null) return kept;
  for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue;
    const entry = value as Record<string, unknown>;
    const ruleExtras: RuleExtras = {};
    if (entry.protocol === 'FOLLOW') ruleExtras.protocol = 'FOLLOW';
    if (typeof entry.weight === 'number' && Number.isInteger(entry.weight) && entry.weight > 0)
      ruleExtras.weight = entry.weight;
    if (entry.forbidElement === 'ForbidFollowHttpHeaders')
      ruleExtras.forbidElement = 'ForbidFollowHttpHeaders';
    if (entry.transparentErrorCode === false) ruleExtras.transparentErrorCode = false;
    kept.set(id, ruleExtras);
  }
  return kept;
}

function text(value: string, field: string): string {
  if (![...value].every(xmlChar)) {
    throw new NotExpressible('cos', field, 'XML 1.0 cannot carry control characters');
  }
  return value;
}

function serialise(element: XmlNode, depth: number): string {
  const indent = '  '.repeat(depth);
  if (element.children === undefined) {
    return `${indent}<${element.name}>${escapeText(element.text ?? '', false)}</${element.name}>\n`;
  }
  const inner = element.children.map((child) => serialise(child, depth + 1)).join('');
  return `${indent}<${element.name}>\n${inner}${indent}</${element.name}>\n`;
}

/** Escapes XML text; a CR is written as a reference, since a parser turns a literal one into LF. */
function escapeText(value: string, replaceUnsafe: boolean): string {
  const escaped = value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
  return replaceUnsafe
    ? [...escaped].map((character) => (xmlChar(character) ? character : '\uFFFD')).join('')
    : escaped;
}

// ---- reading the tree -----------------------------------------------------------------------------------

/** The child elements of a container; text beside them makes the document malformed. */
function childrenOf(value: unknown, at: string): Kids {
  if (typeof value === 'string') {
    if (value.trim() !== '')
      throw malformed(`${at} holds text '${value.trim()}' where elements are expected`);
    return {};
  }
  const kids: Kids = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (name === '#text') {
      if (String(child).trim() !== '')
        throw malformed(`${at} holds text '${String(child).trim()}' beside its elements`);
      continue;
    }
    kids[name] = child as unknown[];
  }
  return kids;
}

/** Refuses, by name, every child not in `allowed`: the ones COS documents with why, the rest as unknown. */
function refuseOthers(
  kids: Kids,
  at: string,
  allowed: readonly string[],
  known: Readonly<Record<string, string>> = {},
): void {
  for (const name of Object.keys(kids)) {
    if (allowed.includes(name)) continue;
    throw notModelled(`${at}/${name}`, known[name] ?? 'COS documents no such element here');
  }
}

function one(kids: Kids, name: string, at: string): unknown {
  const values = kids[name];
  if (values === undefined) return undefined;
  if (values.length > 1) throw malformed(`${at}/${name} appears ${values.length} times; give it once`);
  return values[0];
}

function asText(value: unknown, at: string): string {
  if (typeof value !== 'string') throw malformed(`${at} should hold text, not elements`);
  return value;
}

function optionalText(kids: Kids, name: string, at: string): string | undefined {
  const value = one(kids, name, at);
  return value === undefined ? undefined : asText(value, `${at}/${name}`);
}

function requiredText(kids: Kids, name: string, at: string): string {
  const value = optionalText(kids, name, at);
  if (value === undefined) throw malformed(`${at} needs a ${name} [cos-put]`);
  return value;
}

function optionalBoolean(kids: Kids, name: string, at: string): boolean | undefined {
  const value = optionalText(kids, name, at)?.trim();
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false')
    throw invalidArgument(`${at}/${name} is '${value}'; write true or false`);
  return value === 'true';
}
