// A vendor's real endpoint, judged through that vendor's own rule API and authentication
// (`check --target <url> --dialect <vendor>`): rules go through the dialect, every request is signed the
// way the vendor's SDK signs, and buckets are addressed as the vendor wants. Tests run the same adapter
// against a simulator started with credentials: only the network address differs from a real run.
//
// Everything that differs by vendor comes from its record (spec/vendors/<id>/vendor.ts): the signature
// scheme of its object API and of its rule API, where the rule API is, how buckets are addressed and
// whether a region must be named. The one choice made here is OSS's rules through the ali-oss SDK, so the
// vendor's own client is judged along with the endpoint.

import type { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { ToolError } from '../../errors/tool-error.ts';
import type { Dialect, NativeExtras } from '../../spec/dialects/dialect.ts';
import { loadProfile } from '../../spec/profiles.ts';
import { type DialectId, ruleApiFor, vendorFor } from '../../spec/vendors/index.ts';
import type { SignatureScheme } from '../../spec/vendors/vendor.ts';
import { HttpClient, type HttpRequest, type HttpResult } from '../client/http-client.ts';
import { S3Client } from '../client/s3-client.ts';
import type { Keys } from '../client/signed-fetch.ts';
import { signRequest } from '../client/vendor-signing.ts';
import { defaultExtras, nativeRuleWriter, type RuleWriter } from './rule-writer.ts';
import type { Target } from './target.ts';

export interface VendorTargetOptions {
  dialect: DialectId;
  keys: Keys;
  /** The vendor region, for V4 signatures and a rule API path that names one; default the vendor's. */
  region?: string;
  /** Where a rule API on a host of its own is (JD Cloud's OpenAPI); default the vendor record's. */
  rulesEndpoint?: string;
  /** Buckets as `bucket.host` (OSS wants it) or as the first path segment; default by vendor. */
  addressing?: 'virtual' | 'path';
  /** Vendor fields every rule document carries (OBS: the IAM agency). */
  extras?: NativeExtras;
  /** The profile the endpoint is judged against; default the dialect's. */
  profile?: string;
  /** How long the endpoint waits for an origin's headers; default 10 s. */
  originTimeoutMs?: number;
  /** How long to wait for background work, having no settle call to ask; default 2 s. */
  settleWaitMs?: number;
  /** The HTTP agent ali-oss uses (tests map `*.localhost` to loopback with it). */
  agent?: Agent;
}

/** The part of ali-oss 6.x used here (the package ships no types; @types/ali-oss lacks routingRules). */
interface AliOssClient {
  putBucketWebsite(bucket: string, config: { routingRules: unknown[] }): Promise<{ res: { status: number } }>;
  deleteBucketWebsite(bucket: string): Promise<{ res: { status: number } }>;
}
type AliOss = new (options: Record<string, unknown>) => AliOssClient;
/** ali-oss is loaded only for an OSS target (it is an optional peer of the package), with a clear error. */
function aliOss(): AliOss {
  try {
    return createRequire(import.meta.url)('ali-oss') as AliOss;
  } catch {
    throw new ToolError('MS_USAGE', 'an OSS target needs the ali-oss package: npm install ali-oss@6');
  }
}

/** Rule writers through a vendor's own SDK, where the suite has one: the rest send the dialect's document. */
const SDK_RULE_WRITERS: Partial<
  Record<DialectId, (endpoint: string, options: VendorTargetOptions, virtual: boolean) => RuleWriter>
> = { oss: ossSdkRuleWriter };
/** Buckets kept alive per test file: the current run's and two before it (a law's run uses one or two). */
const KEPT_BUCKETS = 3;

export async function startVendorTarget(endpoint: string, options: VendorTargetOptions): Promise<Target> {
  const vendor = vendorFor(options.dialect);
  const api = ruleApiFor(options.dialect);
  const dialect = api.dialect;
  const profile = loadProfile(options.profile ?? options.dialect);
  if (vendor.region.kind === 'required' && options.region === undefined) {
    throw new Error(
      `the ${options.dialect} adapter signs with the bucket region: set MIRRORSPEC_REGION (e.g. ${vendor.region.example})`,
    );
  }
  const region = options.region ?? (vendor.region.kind === 'default' ? vendor.region.value : '');
  const virtual = (options.addressing ?? vendor.addressing) === 'virtual';
  const objectScheme = vendor.signature;
  if (objectScheme === undefined) throw new Error(`the suite cannot sign ${options.dialect} requests`);
  const base = new URL(endpoint);
  const created: string[] = [];
  const client = new S3Client(endpoint, {
    prepare: async (request) => {
      if (request.method === 'PUT' && /^\/[^/?]+$/.test(request.path)) {
        // A law's run uses its bucket and is done with it when the next run makes one: keep the last
        // few, so an account's bucket limit (100 at OSS and OBS, 20 per region at JD) is never reached.
        while (created.length >= KEPT_BUCKETS) {
          const old = created.shift();
          if (old !== undefined) await removeBucket(client, rules, old).catch(() => undefined);
        }
        created.push(request.path.slice(1));
      }
      const addressed = virtual ? byHost(request, base.host) : request;
      return withHeaders(
        addressed,
        await signed(objectScheme, addressed, base, options.keys, { region, virtualHosted: virtual }),
      );
    },
  });
  const sdkWriter = SDK_RULE_WRITERS[options.dialect];
  // Only a rule API on a host of its own moves: the others answer on the object endpoint.
  const rulesEndpoint = api.endpoint === undefined ? undefined : (options.rulesEndpoint ?? api.endpoint);
  const rules = sdkWriter
    ? sdkWriter(endpoint, options, virtual)
    : nativeRuleWriter(
        rulesEndpoint === undefined
          ? client.http
          : separateRulesClient(rulesEndpoint, api.signature ?? objectScheme, options.keys, region),
        options.dialect,
        { region, extras: options.extras ?? defaultExtras(options.dialect) },
      );
  const settleWaitMs = options.settleWaitMs ?? 2000;
  return {
    name: `${endpoint} (${dialect.title})`,
    endpoint,
    client,
    rules,
    signed: true,
    capabilities: {
      profile,
      settle: false,
      maxObjectSize: profile.limits.maxObjectSize,
      originTimeoutMs: options.originTimeoutMs ?? 10_000,
    },
    async settle(timeoutMs) {
      // A vendor has no way to say its background copies are done: wait a bounded while.
      await sleep(Math.min(timeoutMs, settleWaitMs));
      return true;
    },
    async close() {
      // Every bucket this run made is emptied and removed, so a real account keeps nothing of it.
      for (const bucket of created) await removeBucket(client, rules, bucket).catch(() => undefined);
      await client.close();
    },
  };
}

/** `/bucket/key?q` sent as `/key?q` to `bucket.<host>`; the service and JD's API paths stay as they are. */
function byHost(request: HttpRequest, host: string): HttpRequest {
  const match = /^\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(request.path);
  if (match === null || match[1] === '_mirrorspec') return request;
  const path = `${match[2] ?? '/'}${match[3] ?? ''}`;
  return { ...request, path, headers: { ...request.headers, host: `${match[1]}.${host}` } };
}

function withHeaders(request: HttpRequest, headers: Record<string, string>): HttpRequest {
  return { ...request, headers: { ...request.headers, ...headers } };
}

/** The headers that sign a request as sent to `base` (or the Host it names) under `scheme`. */
function signed(
  scheme: SignatureScheme,
  request: HttpRequest,
  base: URL,
  keys: Keys,
  options: { region: string; virtualHosted?: boolean },
): Promise<Record<string, string>> {
  const host = request.headers?.host ?? base.host;
  return signRequest(
    scheme,
    {
      method: request.method,
      url: `${base.protocol}//${host}${request.path}`,
      headers: request.headers ?? {},
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    keys,
    options,
  );
}

/** OSS rules through the vendor's own SDK: ali-oss `putBucketWebsite` with the dialect's routing rules. */
function ossSdkRuleWriter(endpoint: string, options: VendorTargetOptions, virtual: boolean): RuleWriter {
  const dialect = ruleApiFor('oss').dialect;
  const url = new URL(endpoint);
  const OSS = aliOss();
  const sdk = new OSS({
    accessKeyId: options.keys.accessKeyId,
    accessKeySecret: options.keys.secretAccessKey,
    endpoint: url.origin,
    secure: url.protocol === 'https:',
    // Path-style keeps the endpoint's own host, with the bucket in the path.
    ...(virtual ? {} : { sldEnable: true }),
    ...(options.agent ? { agent: options.agent } : {}),
  });
  // The XML the dialect writes, as the plain object ali-oss serialises back into the same elements.
  const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });
  const answer = async (call: () => Promise<{ res: { status: number } }>): Promise<HttpResult> => {
    try {
      const { res } = await call();
      return { status: res.status, headers: {}, body: new Uint8Array() };
    } catch (error) {
      const failure = error as { status?: number; code?: string; message?: string };
      const body = Buffer.from(`${failure.code ?? 'Error'}: ${failure.message ?? String(error)}`);
      return { status: failure.status ?? 0, headers: {}, body };
    }
  };
  return {
    api: 'oss',
    put(bucket, rules) {
      const xml = dialect.render({ rules } as Parameters<Dialect['render']>[0], options.extras);
      const tree = parser.parse(xml) as { WebsiteConfiguration: { RoutingRules?: { RoutingRule: unknown } } };
      const routing = tree.WebsiteConfiguration.RoutingRules?.RoutingRule ?? [];
      const routingRules = Array.isArray(routing) ? routing : [routing];
      return answer(() => sdk.putBucketWebsite(bucket, { routingRules }));
    },
    delete: (bucket) => answer(() => sdk.deleteBucketWebsite(bucket)),
  };
}

/** A rule API on a host of its own (JD Cloud's OpenAPI [jd-api]), signed with its own scheme. */
function separateRulesClient(
  rulesEndpoint: string,
  scheme: SignatureScheme,
  keys: Keys,
  region: string,
): HttpClient {
  const base = new URL(rulesEndpoint);
  return new HttpClient(rulesEndpoint, {
    prepare: async (request) => withHeaders(request, await signed(scheme, request, base, keys, { region })),
  });
}

async function removeBucket(client: S3Client, rules: RuleWriter, bucket: string): Promise<void> {
  await rules.delete(bucket);
  // Bounded: a run's bucket holds what its laws wrote, a few objects at most.
  for (let round = 0; round < 20; round++) {
    const listed = Buffer.from((await client.listObjects(bucket)).body).toString('utf8');
    const keys = [...listed.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => decodeXml(match[1] ?? ''));
    if (keys.length === 0) break;
    for (const key of keys) await client.deleteObject(bucket, key);
  }
  await client.deleteBucket(bucket);
}

function decodeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
