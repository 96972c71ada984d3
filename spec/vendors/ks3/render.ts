// The render side of the KS3 dialect: neutral rules to a native document, refusing what KS3 cannot
// express. The header of dialect.ts gives the sources.
import { type NativeExtras, NotExpressible } from '../../dialects/dialect.ts';
import type { HeaderPolicyDocument, MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import {
  ASYNC_ID,
  type Ks3AsyncRule,
  type Ks3HeaderSetting,
  type Ks3RequestSetting,
  type Ks3SyncRule,
  MAX_ASYNC_URLS,
  MAX_SYNC_RULES,
  OBJECT_ACLS,
  type ObjectAcl,
} from './parse.ts';

function cannot(index: number, field: string, why: string): NotExpressible {
  return new NotExpressible('ks3', `rules/${index}/${field}`, why);
}

/** What neither kind of KS3 rule can say. */
function refuseUnexpressible(rule: MirrorRuleDocument, index: number): void {
  if (rule.condition?.keySuffix !== undefined) {
    throw cannot(index, 'condition/keySuffix', 'KS3 match_condition tests a key prefix only');
  }
  if ((rule.condition?.headers ?? []).length > 0) {
    throw cannot(index, 'condition/headers', 'KS3 match_condition has no header test');
  }
  if (rule.keyRewrite !== undefined) {
    throw cannot(index, 'keyRewrite', 'KS3 always asks the origin for the key');
  }
  if (rule.writeBack === false) throw cannot(index, 'writeBack', 'KS3 always stores what it fetches');
  if (rule.checkMd5 === true) {
    throw cannot(index, 'checkMd5', 'KS3 has no Content-MD5 check on mirrored objects');
  }
  if (rule.triggerOnHead === true) throw cannot(index, 'triggerOnHead', 'KS3 mirrors on GET only');
  if (rule.failoverOn !== undefined) {
    throw cannot(
      index,
      'failoverOn',
      'KS3 has no setting for which origin answers move on to the next origin',
    );
  }
  if (rule.redirectStatus !== undefined && rule.redirectStatus !== 302) {
    // The async rule's answer is a 302 [ks3-async-en]; KS3 has no setting for another status.
    throw cannot(index, 'redirectStatus', 'KS3 always redirects with 302');
  }
  if (rule.acl === 'public-read-write') {
    throw cannot(index, 'acl', `KS3 gives objects ${OBJECT_ACLS.join(' or ')} only`);
  }
}

function renderHeaders(headers: HeaderPolicyDocument, index: number): Ks3HeaderSetting {
  if (headers.passAll === true && (headers.pass ?? []).length > 0) {
    // Exclusive in the SDK's own field notes [ks3-go-test].
    throw cannot(index, 'headers/pass', 'KS3 pass_all and pass_headers exclude each other');
  }
  const setting: Ks3HeaderSetting = {};
  if (headers.set !== undefined) {
    setting.set_headers = headers.set.map(({ name, value }) => ({ key: name, value }));
  }
  if (headers.remove !== undefined) setting.remove_headers = headers.remove.map((key) => ({ key }));
  if (headers.passAll !== undefined) setting.pass_all = headers.passAll;
  if (headers.pass !== undefined) setting.pass_headers = headers.pass.map((key) => ({ key }));
  return setting;
}

function renderSyncRule(
  rule: MirrorRuleDocument,
  index: number,
  mirrorTypes: Record<string, string>,
): Ks3SyncRule {
  const [origin, ...more] = rule.origins;
  if (origin === undefined || more.length > 0) {
    throw cannot(index, 'origins', 'a KS3 sync rule has exactly one mirror_url; split the rule');
  }
  const native: Ks3SyncRule = { match_condition: { http_codes: ['404'] }, mirror_url: origin };
  const prefix = rule.condition?.keyPrefix;
  if (prefix !== undefined) native.match_condition.key_prefixes = [prefix];
  const setting: Ks3RequestSetting = {};
  if (rule.passQueryString !== undefined) setting.pass_query_string = rule.passQueryString;
  if (rule.followRedirects !== undefined) setting.follow3xx = rule.followRedirects;
  if (rule.headers !== undefined) setting.header_setting = renderHeaders(rule.headers, index);
  if (Object.keys(setting).length > 0) native.mirror_request_setting = setting;
  if (rule.acl !== undefined) native.saving_setting = { acl: rule.acl as ObjectAcl };
  const mirrorType = mirrorTypes[rule.id];
  if (mirrorType !== undefined) native.mirror_type = mirrorType;
  return native;
}

function renderAsyncRule(
  rule: MirrorRuleDocument,
  index: number,
  mirrorTypes: Record<string, string>,
): Ks3AsyncRule {
  if (rule.condition?.keyPrefix !== undefined) {
    throw cannot(
      index,
      'condition/keyPrefix',
      'the KS3 async rule has no match_condition: it takes every key',
    );
  }
  const { headers } = rule;
  if (
    headers !== undefined &&
    (headers.passAll === true ||
      (headers.pass ?? []).length > 0 ||
      (headers.remove ?? []).length > 0 ||
      (headers.set ?? []).length > 0)
  ) {
    throw cannot(index, 'headers', 'the KS3 async rule has no header_setting');
  }
  if (rule.passQueryString === true) {
    throw cannot(index, 'passQueryString', 'the KS3 async rule has no pass_query_string');
  }
  if (rule.followRedirects === false) {
    throw cannot(index, 'followRedirects', 'the KS3 async rule has no follow3xx');
  }
  if (rule.origins.length > MAX_ASYNC_URLS) {
    throw cannot(index, 'origins', `the KS3 async rule takes at most ${MAX_ASYNC_URLS} mirror_urls`);
  }
  // saving_setting.acl is required in the async rule [ks3-go-model]: the neutral default when unset.
  const native: Ks3AsyncRule = {
    mirror_urls: [...rule.origins],
    saving_setting: { acl: (rule.acl ?? 'private') as ObjectAcl },
  };
  const mirrorType = mirrorTypes[ASYNC_ID];
  if (mirrorType !== undefined) native.mirror_type = mirrorType;
  return native;
}

/** The extras a `parse` returned, read defensively: they come back from storage as plain values. */
function readExtras(extras: NativeExtras | undefined): {
  useDefaultRobots: boolean;
  mirrorTypes: Record<string, string>;
} {
  const mirrorTypes: Record<string, string> = {};
  const stored = extras?.mirror_type;
  if (typeof stored === 'object' && stored !== null) {
    for (const [id, type] of Object.entries(stored)) if (typeof type === 'string') mirrorTypes[id] = type;
  }
  return { useDefaultRobots: extras?.use_default_robots === true, mirrorTypes };
}

export function render(configuration: MirrorConfigurationDocument, extras?: NativeExtras): string {
  const { rules } = configuration;
  if (rules.length === 0) {
    throw new NotExpressible(
      'ks3',
      'rules',
      'a KS3 mirror configuration holds at least one rule; delete the configuration instead',
    );
  }
  const asyncIndexes = rules.flatMap((rule, index) => (rule.mode === 'redirect-async' ? [index] : []));
  const [, secondAsync] = asyncIndexes;
  if (secondAsync !== undefined) throw cannot(secondAsync, 'mode', 'KS3 holds one async_mirror_rule');
  const { useDefaultRobots, mirrorTypes } = readExtras(extras);
  const sync: Ks3SyncRule[] = [];
  let asyncRule: Ks3AsyncRule | undefined;
  rules.forEach((rule, index) => {
    refuseUnexpressible(rule, index);
    const mode = rule.mode ?? 'mirror';
    if (mode === 'redirect') {
      throw cannot(index, 'mode', 'KS3 has no redirect-only rule: its async rule also copies the object');
    }
    if (mode === 'redirect-async') {
      if (index !== rules.length - 1) {
        throw cannot(
          index,
          'mode',
          'KS3 tries its sync rules before the async rule, so it must be the last rule',
        );
      }
      asyncRule = renderAsyncRule(rule, index, mirrorTypes);
      return;
    }
    if (sync.length === MAX_SYNC_RULES) {
      throw cannot(index, 'mode', `KS3 holds at most ${MAX_SYNC_RULES} sync_mirror_rules`);
    }
    sync.push(renderSyncRule(rule, index, mirrorTypes));
  });
  // The Go SDK always sends version and use_default_robots (no omitempty) [ks3-go-model].
  const native: Record<string, unknown> = { version: 'V3', use_default_robots: useDefaultRobots };
  if (asyncRule !== undefined) native.async_mirror_rule = asyncRule;
  if (sync.length > 0) native.sync_mirror_rules = sync;
  return JSON.stringify(native);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
