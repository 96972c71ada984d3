// A vendor's real endpoint, judged through that vendor's own rule API and authentication
// (`check --target <url> --dialect <vendor>`): rules go through the dialect, every request is signed the
// way the vendor's SDK signs, and buckets are addressed as the vendor wants. Tests run the same adapter
// against a simulator started with credentials: only the network address differs from a real run.
//
// Signatures: OSS through the ali-oss SDK for rules and its V1 header signature for objects; KS3 and OBS
// with their SDKs' header signatures; COS and JD Cloud's object API with AWS Signature V4 (both are
// S3-compatible); JD Cloud's rule API with its OpenAPI signature, on its own endpoint.

import type { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import type { Dialect, DialectId, NativeExtras } from '../../spec/dialects/dialect.ts';
import { dialectFor } from '../../spec/dialects/index.ts';
import { loadProfile } from '../../spec/profiles.ts';
import { HttpClient, type HttpRequest, type HttpResult } from '../client/http-client.ts';
import { S3Client } from '../client/s3-client.ts';
import { type Keys, sigV4Headers } from '../client/signed-fetch.ts';
import { signJdcloud, signKs3, signObs, signOss } from '../client/vendor-signing.ts';
import { defaultExtras, nativeRuleWriter, type RuleWriter } from './rule-writer.ts';
import type { Target } from './target.ts';

export interface VendorTargetOptions {
  dialect: DialectId;
  keys: Keys;
  /** The vendor region: SigV4's region for COS and JD Cloud, the region in JD Cloud's rule API path. */
  region?: string;
  /** JD Cloud's rule API is an OpenAPI on another host; default `https://ossopenapi.jdcloud-api.com` [jd-api]. */
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
const OSS = createRequire(import.meta.url)('ali-oss') as new (
  options: Record<string, unknown>,
) => AliOssClient;

const VIRTUAL_BY_DEFAULT: readonly DialectId[] = ['oss'];
/** Buckets kept alive per test file: the current run's and two before it (a law's run uses one or two). */
const KEPT_BUCKETS = 3;

export async function startVendorTarget(endpoint: string, options: VendorTargetOptions): Promise<Target> {
  const dialect = dialectFor(options.dialect);
  const profile = loadProfile(options.profile ?? options.dialect);
  // JD Cloud's regions are cn-north-1 and the like; COS's are ap-guangzhou and the like, with no default.
  if (options.dialect === 'cos' && options.region === undefined) {
    throw new Error(
      'the cos adapter signs with the bucket region: set MIRRORSPEC_REGION (e.g. ap-guangzhou)',
    );
  }
  const region = options.region ?? 'cn-north-1';
  const virtual =
    (options.addressing ?? (VIRTUAL_BY_DEFAULT.includes(dialect.id) ? 'virtual' : 'path')) === 'virtual';
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
        await objectSignature(dialect.id, addressed, base, options.keys, region, virtual),
      );
    },
  });
  const rules =
    dialect.id === 'oss'
      ? ossSdkRuleWriter(endpoint, options, virtual)
      : dialect.id === 'jdcloud'
        ? jdcloudRuleWriter(
            options.rulesEndpoint ?? 'https://ossopenapi.jdcloud-api.com',
            dialect,
            options,
            region,
          )
        : nativeRuleWriter(client.http, dialect, { extras: options.extras ?? defaultExtras(dialect.id) });
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

async function objectSignature(
  dialect: DialectId,
  request: HttpRequest,
  base: URL,
  keys: Keys,
  region: string,
  virtualHosted: boolean,
): Promise<Record<string, string>> {
  const host = request.headers?.host ?? base.host;
  const signed = {
    method: request.method,
    url: `${base.protocol}//${host}${request.path}`,
    headers: request.headers ?? {},
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  switch (dialect) {
    case 'oss':
      return signOss(signed, keys, { virtualHosted });
    case 'ks3':
      return signKs3(signed, keys, { virtualHosted });
    case 'obs':
      return signObs(signed, keys, { virtualHosted });
    case 'cos':
    case 'jdcloud':
      return sigV4Headers(signed, keys, region);
  }
}

/** OSS rules through the vendor's own SDK: ali-oss `putBucketWebsite` with the dialect's routing rules. */
function ossSdkRuleWriter(endpoint: string, options: VendorTargetOptions, virtual: boolean): RuleWriter {
  const dialect = dialectFor('oss');
  const url = new URL(endpoint);
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

/** JD Cloud rules through its OpenAPI, signed JDCLOUD2-HMAC-SHA256 [jd-api]. */
function jdcloudRuleWriter(
  rulesEndpoint: string,
  dialect: Dialect,
  options: VendorTargetOptions,
  region: string,
): RuleWriter {
  const base = new URL(rulesEndpoint);
  const http = new HttpClient(rulesEndpoint, {
    prepare: (request) =>
      withHeaders(
        request,
        signJdcloud(
          {
            method: request.method,
            url: `${base.origin}${request.path}`,
            headers: request.headers ?? {},
            ...(request.body !== undefined ? { body: request.body } : {}),
          },
          options.keys,
          // The service of JD Cloud's object storage OpenAPI, as its SDKs sign it.
          { region, service: 'ossopenapi' },
        ),
      ),
  });
  return nativeRuleWriter(http, dialect, { region, extras: options.extras ?? {} });
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
