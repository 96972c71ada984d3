// The render side of the COS dialect: neutral rules to a native OriginConfiguration, refusing what COS
// cannot express. The header of dialect.ts gives the sources.
import { type NativeExtras, NotExpressible } from '../../dialects/dialect.ts';
import { basePathAsKeyPrefix, originBasePath } from '../../dialects/origin-path.ts';
import type { HeaderPolicyDocument, MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { isHost, type Protocol, type RuleExtras, TYPE_OF, xmlChar } from './parse.ts';

// ---- render ---------------------------------------------------------------------------------------------

interface XmlNode {
  name: string;
  text?: string;
  children?: XmlNode[];
}

const leaf = (name: string, text: string): XmlNode => ({ name, text });
const node = (name: string, children: XmlNode[]): XmlNode => ({ name, children });

export function renderRule(
  rule: MirrorRuleDocument,
  at: string,
  priority: number,
  extras: RuleExtras,
): XmlNode {
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
export function prioritiesOf(rules: MirrorConfigurationDocument['rules']): number[] {
  const fromIds = rules.map(({ id }) => {
    const match = /^priority-(\d{1,9})$/.exec(id);
    return match && String(Number(match[1])) === match[1] ? Number(match[1]) : undefined;
  });
  const rising = fromIds.every(
    (value, index) => value !== undefined && (index === 0 || value > (fromIds[index - 1] ?? -1)),
  );
  return rising ? (fromIds as number[]) : rules.map((_, index) => index + 1);
}

export function extrasByRule(extras: NativeExtras | undefined): Map<string, RuleExtras> {
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

export function serialise(element: XmlNode, depth: number): string {
  const indent = '  '.repeat(depth);
  if (element.children === undefined) {
    return `${indent}<${element.name}>${escapeText(element.text ?? '', false)}</${element.name}>\n`;
  }
  const inner = element.children.map((child) => serialise(child, depth + 1)).join('');
  return `${indent}<${element.name}>\n${inner}${indent}</${element.name}>\n`;
}

/** Escapes XML text; a CR is written as a reference, since a parser turns a literal one into LF. */
export function escapeText(value: string, replaceUnsafe: boolean): string {
  const escaped = value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
  return replaceUnsafe
    ? [...escaped].map((character) => (xmlChar(character) ? character : '\uFFFD')).join('')
    : escaped;
}
