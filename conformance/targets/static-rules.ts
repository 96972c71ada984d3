// A target whose rules are configured out of band (`check --static-rules <file>`): a CDN, an nginx
// pull-through, a bucket set up by hand. The suite cannot write rules, so a law runs only where the rules
// it asks for are the rules in force; every other law is not applicable. Runs stay apart without new
// buckets or rules: each property run puts its keys under a run folder of its own (`r17/`), which the
// fixed origin URL of a key then carries too, so the law's origin path is `<rule's origin path>/r17`.
//
// The file (YAML or JSON):
//
//   bucket: mirror                      # the bucket (or first path segment) the rules serve
//   rules:                              # the neutral rules in force, as in PUT .../mirror
//     - id: all
//       origins: ["{origin}/static"]    # {origin}: where the target reaches the suite's origin
//   s3:                                 # optional: what of S3 the target serves besides GET and HEAD
//     writes: false                     # PUT and DELETE of objects (default true)
//     listing: false                    # ListObjectsV2 (default true)
//
// A rule may not test a key prefix: every key the suite sends starts with its run folder. A law that
// needs a write or a listing the file says the target lacks is not applicable, with that reason: a
// pull-through proxy such as nginx passes a PUT to its origin instead of storing it, so judging it by
// the answer would report a deviation that is not one.
//
// A law asks for rules as it would write them. Settings it states are fixed: the law runs only where the
// fixed rule has them. Settings it takes as given (configure's `given`, by default every incidental
// setting it leaves out) are the fixed rule's, and `inForce` hands them back, so the law judges what
// those values promise instead of not running.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ToolError } from '../../errors/tool-error.ts';
import type { HttpRequest, HttpResult } from '../client/http-client.ts';
import { HttpClient } from '../client/http-client.ts';
import { S3Client } from '../client/s3-client.ts';
import { NotApplicable, skipRun } from '../support/not-applicable.ts';
import { RulesNotWritable, type RuleWriter } from './rule-writer.ts';
import type { Target } from './target.ts';

export interface StaticRules {
  bucket: string;
  /** Neutral rules whose origins start with `{origin}`. */
  rules: Record<string, unknown>[];
  /** What of the S3 API the target serves besides GET and HEAD of objects. */
  s3: S3Support;
}

interface S3Support {
  /** PUT and DELETE of objects. */
  writes: boolean;
  /** ListObjectsV2 on the bucket. */
  listing: boolean;
}

/** The rule settings a law may take as the fixed rule has them instead of fixing them. */
export type RuleSetting = 'passQueryString' | 'followRedirects' | 'headers' | 'origins';

const ORIGIN = '{origin}';
/**
 * Runs numbered across the process, not per file: in check's child runs the law files of a worker share
 * one process and one module registry, and a target that keeps what it fetched (nginx proxy_store) would
 * answer a later file's run from an earlier one's path.
 */
let counter = 0;

/** Reads and checks a static rules file; throws an MS_STATIC_RULES tool error saying what to fix. */
export function loadStaticRules(file: string): StaticRules {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ToolError(
      'MS_STATIC_RULES',
      `cannot read the static rules file ${file}: ${(error as Error).message}`,
    );
  }
  const { bucket, rules } = (document ?? {}) as { bucket?: unknown; rules?: unknown };
  if (typeof bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ToolError(
      'MS_STATIC_RULES',
      `${file}: 'bucket' must name the bucket the rules serve (an S3 bucket name)`,
    );
  }
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new ToolError(
      'MS_STATIC_RULES',
      `${file}: 'rules' must list the rules in force, as in PUT /_mirrorspec/buckets/{bucket}/mirror`,
    );
  }
  rules.forEach((rule: unknown, index) => {
    const at = `${file}: rules[${index}]`;
    if (typeof rule !== 'object' || rule === null)
      throw new ToolError('MS_STATIC_RULES', `${at} is not a rule`);
    const { origins, condition } = rule as { origins?: unknown; condition?: { keyPrefix?: unknown } };
    if (
      !Array.isArray(origins) ||
      origins.length === 0 ||
      !origins.every((o) => typeof o === 'string' && o.startsWith(ORIGIN))
    ) {
      throw new ToolError(
        'MS_STATIC_RULES',
        `${at}: every origin must start with ${ORIGIN}, the URL at which the target reaches the suite's origin (e.g. "${ORIGIN}/static")`,
      );
    }
    if (condition?.keyPrefix !== undefined && condition.keyPrefix !== '') {
      throw new ToolError(
        'MS_STATIC_RULES',
        `${at}: a keyPrefix condition cannot be judged: the suite puts every key under a run folder of its own`,
      );
    }
  });
  return {
    bucket,
    rules: rules as Record<string, unknown>[],
    s3: s3Support(file, (document as { s3?: unknown }).s3),
  };
}

function s3Support(file: string, value: unknown): S3Support {
  if (value === undefined || value === null) return { writes: true, listing: true };
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => name !== 'writes' && name !== 'listing');
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    unknown.length > 0 ||
    !['writes', 'listing'].every((name) => fields[name] === undefined || typeof fields[name] === 'boolean')
  ) {
    throw new ToolError(
      'MS_STATIC_RULES',
      `${file}: 's3' must be { writes: true|false, listing: true|false } (what of S3 the target serves besides GET and HEAD)`,
    );
  }
  return { writes: fields.writes !== false, listing: fields.listing !== false };
}

/** The rules with `{origin}` replaced by the suite origin's URL, as a target is configured with them. */
export function resolvedRules(fixed: StaticRules, originUrl: string): Record<string, unknown>[] {
  return fixed.rules.map((rule) => ({
    ...rule,
    origins: (rule.origins as string[]).map((origin) => originUrl + origin.slice(ORIGIN.length)),
  }));
}

/** What the law fixture needs of a target with fixed rules. */
export interface FixedRules {
  readonly bucket: string;
  /** Starts a property run: a new run folder for keys and origin paths. */
  beginRun(): void;
  /** The origin path of this run: the first rule's first origin path, then the run folder. */
  originPath(): string;
  /**
   * The rules in force when a law asks for `asked` and takes the settings `given` as the target has
   * them: the asked rules with those settings replaced by the fixed rules' (origins with the run folder).
   */
  inForce(asked: Record<string, unknown>[], given: readonly RuleSetting[]): Record<string, unknown>[];
}

/**
 * `inner`'s endpoint with the rules of `fixed` in force: keys of the bucket go under the run folder, the
 * folder is taken off keys the target lists, and rules can only be "written" when they are the fixed
 * ones for this run.
 */
export function withStaticRules(
  inner: Target,
  fixed: StaticRules,
  originUrl: string,
): Target & { fixed: FixedRules } {
  let run = '';
  let configured = false;
  let pathsThisRun = 0;
  const firstOrigin = String((fixed.rules[0]?.origins as string[])[0])
    .slice(ORIGIN.length)
    .replace(/\/+$/, '');
  const http = new RunFolderHttp(inner, fixed.bucket, fixed.s3, {
    folder: () => `${run}/`,
    // A read before the law wrote its rules expects a bucket without rules, which this one never is.
    beforeRead() {
      if (!configured)
        skipRun("it reads a bucket without rules; the target's rules are fixed (--static-rules)");
    },
  });
  const client = new S3Client(inner.endpoint, { http });
  // The fixed rules as this run sees them: every origin path ends in the run folder.
  const thisRun = () =>
    resolvedRules(fixed, originUrl).map((rule) => ({
      ...rule,
      origins: (rule.origins as string[]).map((origin) => `${origin.replace(/\/+$/, '')}/${run}`),
    }));
  const rules: RuleWriter = {
    api: 'static',
    async put(_bucket, asked) {
      const expected = thisRun();
      const problem = difference(asked as Record<string, unknown>[], expected);
      if (problem !== undefined)
        throw new RulesNotWritable(`the target's rules are fixed (--static-rules): ${problem}`);
      configured = true;
      return { status: 200, headers: {}, body: new Uint8Array() };
    },
    async delete() {
      throw new RulesNotWritable("the target's rules are fixed (--static-rules): they cannot be removed");
    },
  };
  return {
    ...inner,
    name: `${inner.name} with fixed rules`,
    client,
    rules,
    fixed: {
      bucket: fixed.bucket,
      beginRun() {
        run = `r${process.pid}-${++counter}`;
        configured = false;
        pathsThisRun = 0;
      },
      // The fixed rules serve one origin path per run; a second one (rules replaced mid-run) cannot match.
      originPath: () =>
        pathsThisRun++ === 0 ? `${firstOrigin}/${run}` : `${firstOrigin}/${run}-${pathsThisRun}`,
      inForce(asked, given) {
        const expected = thisRun();
        // A different number of rules cannot be matched field by field: put says so.
        if (asked.length !== expected.length) return asked;
        return asked.map((rule, index) => {
          const out: Record<string, unknown> = { ...rule };
          const fixedRule: Record<string, unknown> = expected[index] ?? {};
          for (const setting of given) {
            if (fixedRule[setting] === undefined) delete out[setting];
            else out[setting] = fixedRule[setting];
          }
          return out;
        });
      },
    },
    close: () => inner.close(),
  };
}

/** Sends through `inner`'s client with the bucket's keys under the run folder. */
class RunFolderHttp extends HttpClient {
  constructor(
    private readonly inner: Target,
    private readonly bucket: string,
    private readonly s3: S3Support,
    private readonly run: { folder: () => string; beforeRead: () => void },
  ) {
    super(inner.endpoint);
  }

  /**
   * Not async: a run that cannot go on is discarded at the call, even when the law starts a request
   * without awaiting it (to act while the target fetches).
   */
  /** A CopyObject's source in this bucket is a key of the run too, so it goes under the same folder. */
  private copySourceInFolder(headers: HttpRequest['headers'], folder: string): HttpRequest['headers'] {
    const source = headers?.['x-amz-copy-source'];
    const prefix = `/${this.bucket}/`;
    if (source === undefined || !source.startsWith(prefix)) return headers;
    return {
      ...headers,
      'x-amz-copy-source': `${prefix}${encodeFolder(folder)}${source.slice(prefix.length)}`,
    };
  }

  override send(request: HttpRequest): Promise<HttpResult> {
    const prefix = `/${this.bucket}/`;
    const folder = this.run.folder();
    if (request.path.startsWith(prefix)) {
      if (request.method === 'GET' || request.method === 'HEAD') this.run.beforeRead();
      // Not a run to discard but the whole law: every run of it would need the same write.
      else if (!this.s3.writes) {
        throw new NotApplicable(
          `it sends ${request.method} for an object, and the target takes no S3 writes (static rules: s3.writes false)`,
        );
      }
      const rest = request.path.slice(prefix.length);
      const key = safeDecode(rest.split('?')[0] ?? '');
      // S3 keys are at most 1024 bytes; the folder must fit in front of the law's key.
      if (key !== undefined && Buffer.byteLength(folder + key) > 1024) {
        skipRun('its key is too long to take the run folder the fixed rules need');
      }
      return this.inner.client.http.send({
        ...request,
        path: `${prefix}${encodeFolder(folder)}${rest}`,
        headers: this.copySourceInFolder(request.headers, folder),
      });
    }
    if (request.path.startsWith(`/${this.bucket}?`) && !this.s3.listing)
      throw new NotApplicable(
        'it lists the bucket, and the target has no S3 listing (static rules: s3.listing false)',
      );
    return this.sendOutsideKeys(request);
  }

  /** A listing of the bucket sees only this run's folder, and gets its keys back without it. */
  private async sendOutsideKeys(request: HttpRequest): Promise<HttpResult> {
    const folder = this.run.folder();
    const listing = request.path.startsWith(`/${this.bucket}?`)
      ? request.path.slice(this.bucket.length + 2)
      : undefined;
    if (listing === undefined) return this.inner.client.http.send(request);
    const query = new URLSearchParams(listing);
    query.set('prefix', folder + (query.get('prefix') ?? ''));
    const startAfter = query.get('start-after');
    if (startAfter !== null) query.set('start-after', folder + startAfter);
    const result = await this.inner.client.http.send({ ...request, path: `/${this.bucket}?${query}` });
    // The folder is the suite's, not the law's: listed keys come back without it, plain or URL-encoded.
    let text = Buffer.from(result.body).toString('utf8');
    for (const shown of new Set([folder, encodeURIComponent(folder)])) {
      const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      text = text.replace(new RegExp(`<(Key|Prefix|StartAfter)>${escaped}`, 'g'), '<$1>');
    }
    return { ...result, body: Buffer.from(text) };
  }
}

function encodeFolder(folder: string): string {
  return encodeURIComponent(folder).replace(/%2F/g, '/');
}

function safeDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Why the rules a law asks for are not the fixed ones, or undefined when they are. */
function difference(
  asked: Record<string, unknown>[],
  expected: Record<string, unknown>[],
): string | undefined {
  if (asked.length !== expected.length) {
    return `the law asks for ${asked.length} rule(s), the target has ${expected.length}`;
  }
  for (let index = 0; index < asked.length; index++) {
    const left = comparable(asked[index] ?? {});
    const right = comparable(expected[index] ?? {});
    for (const field of new Set([...Object.keys(left), ...Object.keys(right)])) {
      if (JSON.stringify(left[field]) !== JSON.stringify(right[field])) {
        return `rules[${index}].${field} differs (the law asks ${JSON.stringify(left[field])})`;
      }
    }
  }
  return undefined;
}

/** A rule with its defaults filled in and its id left out, origins without a trailing slash. */
function comparable(rule: Record<string, unknown>): Record<string, unknown> {
  const headers = (rule.headers ?? {}) as Record<string, unknown>;
  const condition = (rule.condition ?? {}) as Record<string, unknown>;
  return {
    condition: {
      keyPrefix: condition.keyPrefix ?? '',
      keySuffix: condition.keySuffix ?? '',
      headers: condition.headers ?? [],
    },
    mode: rule.mode ?? 'mirror',
    origins: ((rule.origins as string[]) ?? []).map((origin) => origin.replace(/\/+$/, '')),
    keyRewrite: rule.keyRewrite ?? null,
    passQueryString: rule.passQueryString ?? false,
    followRedirects: rule.followRedirects ?? true,
    headers: {
      passAll: headers.passAll ?? false,
      pass: headers.pass ?? [],
      remove: headers.remove ?? [],
      set: headers.set ?? [],
    },
    writeBack: rule.writeBack ?? true,
    checkMd5: rule.checkMd5 ?? false,
    acl: rule.acl ?? 'private',
    triggerOnHead: rule.triggerOnHead ?? false,
    failoverOn: rule.failoverOn ?? null,
    redirectStatus: rule.redirectStatus ?? 302,
  };
}
