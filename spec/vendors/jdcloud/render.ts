// The render side of the JD Cloud dialect: neutral rules to a native document, refusing what JD Cloud cannot
// express. The header of dialect.ts gives the sources.
import { NotExpressible } from '../../dialects/dialect.ts';
import { basePathAsKeyPrefix, originBasePath } from '../../dialects/origin-path.ts';
import type { HeaderPolicyDocument, MirrorRuleDocument } from '../../model.ts';
import {
  type BackSourceRule,
  hostNameProblem,
  MIRROR_TYPE,
  TRIGGER_STATUS,
  UNCONFIGURABLE_PREFIX,
  unconfigurableHeader,
} from './parse.ts';

// ---------------------------------------------------------------------------------------------------------
// Writing: neutral rules to the JSON body. Every value is written out, defaults included: JD documents its
// console's defaults [jd-guide] but not the API's, so nothing is left for the endpoint to guess.

export function renderRule(rule: MirrorRuleDocument, index: number): BackSourceRule {
  const at = `rules/${index}`;
  const refuse = (field: string, why: string) => new NotExpressible('jdcloud', `${at}/${field}`, why);
  if ((rule.mode ?? 'mirror') !== 'mirror') {
    throw refuse('mode', `JD Cloud rules only mirror [jd-guide]; '${rule.mode}' has no backSourceType here`);
  }
  if (rule.origins.length !== 1) {
    throw refuse('origins', `a JD Cloud rule has one address [jd-api]; this rule has ${rule.origins.length}`);
  }
  if (rule.condition?.keySuffix !== undefined) {
    throw refuse('condition/keySuffix', 'JD Cloud conditions test a key prefix only [jd-api]');
  }
  if ((rule.condition?.headers ?? []).length > 0) {
    throw refuse('condition/headers', 'JD Cloud conditions cannot test request headers [jd-api]');
  }
  if (rule.writeBack === false) {
    throw refuse('writeBack', 'JD Cloud always writes the fetched object back [jd-guide]');
  }
  if (rule.checkMd5 === true) throw refuse('checkMd5', 'JD Cloud has no MD5 check setting [jd-api]');
  if ((rule.acl ?? 'private') !== 'private') {
    throw refuse('acl', 'JD Cloud has no ACL setting for the objects a rule stores [jd-api]');
  }
  if (rule.triggerOnHead === true) {
    throw refuse('triggerOnHead', 'JD Cloud mirrors only on GetObject [jd-guide]');
  }
  if (rule.failoverOn !== undefined) {
    throw refuse('failoverOn', 'a JD Cloud rule has one address, so no failover policy [jd-api]');
  }
  if ((rule.redirectStatus ?? 302) !== 302) {
    throw refuse('redirectStatus', 'JD Cloud rules never answer with a redirect [jd-guide]');
  }
  return {
    backSourceType: MIRROR_TYPE,
    condition: {
      httpErrorCodeReturnedEquals: TRIGGER_STATUS,
      ...(rule.condition?.keyPrefix === undefined ? {} : { keyPrefixEquals: rule.condition.keyPrefix }),
    },
    address: renderAddress(rule, at),
    allowQueryString: rule.passQueryString ?? false,
    followRedirects: rule.followRedirects ?? true,
    headerRule: renderHeaders(rule.headers, at),
  };
}

const ORIGIN = /^([hH][tT][tT][pP][sS]?):\/\/([^/?#]*)([^?#]*)$/;
/** The neutral KeyRewrite's length limit, so that what is written here reads back as a valid rule. */
const MAX_REWRITE = 1024;

/**
 * The address: the origin's scheme and host as written, and its path, which a JD address cannot hold
 * [jd-api], moved into the key rewrite. The neutral origin URL of key k is the base path, one '/', then the
 * rewritten key; with the base path's segments as a key prefix P, the same URL is the host, '/', then
 * `P/` + the rewritten key. So no rewrite becomes `replaceKeyPrefixWith: P/ + keyPrefix` (the prefix is
 * replaced by itself behind P), `replacePrefixWith: r` becomes `P/ + r`, and `replaceKeyWith: v` becomes
 * `P/ + v`.
 */
function renderAddress(rule: MirrorRuleDocument, at: string): BackSourceRule['address'] {
  const origin = rule.origins[0] ?? '';
  const field = `${at}/origins/0`;
  const match = ORIGIN.exec(origin);
  if (!match) {
    throw new NotExpressible(
      'jdcloud',
      field,
      `'${origin}' is not http(s)://host[:port][/path] without query`,
    );
  }
  const protocol = match[1] ?? 'http';
  const hostName = match[2] ?? '';
  const problem = hostNameProblem(hostName);
  if (problem) throw new NotExpressible('jdcloud', field, `as JD Cloud's address.hostName, ${problem}`);
  const prefix = basePathAsKeyPrefix(
    originBasePath(match[3] ?? ''),
    () => new NotExpressible('jdcloud', field, `the path of '${origin}' cannot be written as a key prefix`),
  );
  const rewrite = rule.keyRewrite;
  if (prefix === '') {
    if (rewrite === undefined) return { protocol, hostName };
    return 'replaceKeyWith' in rewrite
      ? { protocol, hostName, replaceKeyWith: rewrite.replaceKeyWith }
      : { protocol, hostName, replaceKeyPrefixWith: rewrite.replacePrefixWith };
  }
  let address: BackSourceRule['address'];
  if (rewrite !== undefined && 'replaceKeyWith' in rewrite) {
    if (prefix.includes('${key}')) {
      throw new NotExpressible(
        'jdcloud',
        field,
        `the path of '${origin}' holds \${key}, which replaceKeyWith expands`,
      );
    }
    address = { protocol, hostName, replaceKeyWith: prefix + rewrite.replaceKeyWith };
  } else {
    const replacement = rewrite === undefined ? (rule.condition?.keyPrefix ?? '') : rewrite.replacePrefixWith;
    address = { protocol, hostName, replaceKeyPrefixWith: prefix + replacement };
  }
  const written = address.replaceKeyWith ?? address.replaceKeyPrefixWith ?? '';
  if (written.length > MAX_REWRITE) {
    throw new NotExpressible(
      'jdcloud',
      field,
      `the origin path joined to the key rewrite has ${written.length} characters; at most ${MAX_REWRITE} read back`,
    );
  }
  return address;
}

function renderHeaders(policy: HeaderPolicyDocument | undefined, at: string): BackSourceRule['headerRule'] {
  const named = (list: 'pass' | 'remove' | 'set', names: string[]) => {
    names.forEach((name, index) => {
      if (unconfigurableHeader(name)) {
        throw new NotExpressible(
          'jdcloud',
          `${at}/headers/${list}/${index}`,
          `JD Cloud refuses rules naming '${name}' (${UNCONFIGURABLE_PREFIX} headers and authorization, authorization2, content-length, range, date) [jd-guide]`,
        );
      }
    });
    return names;
  };
  const pass = named('pass', policy?.pass ?? []);
  const remove = named('remove', policy?.remove ?? []);
  const set = policy?.set ?? [];
  named(
    'set',
    set.map(({ name }) => name),
  );
  set.forEach(({ name }, index) => {
    if (set.findIndex((other) => other.name === name) !== index) {
      throw new NotExpressible(
        'jdcloud',
        `${at}/headers/set/${index}`,
        `JD Cloud's setHeaders is a map with one value per name; '${name}' is set twice`,
      );
    }
  });
  return {
    allowAllHeaders: policy?.passAll ?? false,
    ...(pass.length === 0 ? {} : { allowHeaders: pass }),
    ...(remove.length === 0 ? {} : { notAllowHeaders: remove }),
    // fromEntries defines own properties, so a header named __proto__ stays a header.
    ...(set.length === 0
      ? {}
      : { setHeaders: Object.fromEntries(set.map(({ name, value }) => [name, value])) }),
  };
}

/**
 * The body of JD Cloud's GET answer for a PUT body this dialect rendered: `{ requestId, result:
 * { backSourceRules } }`, as JD's generated Go, Java and PHP SDKs read it
 * (https://github.com/jdcloud-api/jdcloud-sdk-go/blob/HEAD/services/ossopenapi/apis/GetBackSourceConfiguration.go).
 * The API reference's GET page nests the rules one level deeper, in `result.bucketBackSourceConfiguration`;
 * the SDKs, which parse real answers, are followed, and `parse` reads both.
 */
export function jdcloudGetAnswer(body: string, requestId: string): string {
  const rules = (JSON.parse(body) as { backSourceRules?: unknown }).backSourceRules ?? [];
  return JSON.stringify({ requestId, result: { backSourceRules: rules } });
}
