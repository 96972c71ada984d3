import type { MirrorConfigurationDocument } from '../../spec/model.ts';
import { normaliseConfig } from '../../spec/rules.ts';
import { InvalidConfiguration, validateAgainstSpec } from '../../spec/validate-configuration.ts';
import { allConfigProblems, type StoredMirrorConfiguration } from '../core/mirror-config.ts';
import { type SelfAddress, selfOriginBucket } from '../core/self-origin.ts';
import { S3Error } from '../errors/s3-error.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { readSmallBody } from './read-body.ts';

/** AWS caps PutBucketWebsite bodies at 128 KB [s3-put]; the same bound keeps a hostile body cheap. */
export const MAX_CONFIGURATION_BYTES = 128 * 1024;

const jsonHeaders = { 'content-type': 'application/json' };

export async function getBucketMirror(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const configuration = await context.store.getMirrorConfiguration(bucket);
  if (configuration === undefined) {
    throw new S3Error('NoSuchMirrorConfiguration', `the bucket '${bucket}' has no mirror configuration`, {
      bucket,
    });
  }
  // What any dialect wrote reads back as neutral rules; its vendor-only fields stay with the dialect.
  return new Response(JSON.stringify({ rules: configuration.rules }), { headers: jsonHeaders });
}

/** Replaces the whole configuration, or changes nothing: every check runs before the one write. */
export async function putBucketMirror(context: Context, request: Request, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const bytes = await readSmallBody(request, MAX_CONFIGURATION_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new S3Error('MalformedJSON', 'the body is not valid UTF-8', { bucket });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new S3Error('MalformedJSON', `the body is not valid JSON: ${(error as Error).message}`, { bucket });
  }
  const configuration = await checkedConfiguration(context, request, bucket, document);
  await context.store.setMirrorConfiguration(bucket, configuration);
  return new Response(JSON.stringify(configuration), { headers: jsonHeaders });
}

/**
 * A document checked against the spec's schema, then for what the schema cannot say, with defaults
 * filled in; throws InvalidMirrorConfiguration naming what to fix.
 */
export async function checkedConfiguration(
  context: Context,
  request: Request,
  bucket: string,
  document: unknown,
): Promise<StoredMirrorConfiguration> {
  const valid = schemaValid(document);
  const address = {
    host: request.headers.get('host') ?? new URL(request.url).host,
    protocol: new URL(request.url).protocol,
    virtualHostDomains: context.settings.virtualHostDomains,
  };
  const originsOf = await reachableOrigins(context, bucket, valid, address);
  const problems = allConfigProblems(valid, {
    ...context.settings,
    // An origin at this simulator's own address may be this bucket, or lead back to it [obs-java].
    self: { bucket, ...address, originsOf },
  });
  // An origin naming this simulator by another of its addresses or names would fetch from itself.
  valid.rules.forEach((rule, index) => {
    rule.origins.forEach((origin, originIndex) => {
      const message = context.settings.self?.originProblem(origin);
      if (message) problems.push({ path: `rules/${index}/origins/${originIndex}`, message });
    });
  });
  if (problems.length > 0) {
    const message = problems.map(({ path, message }) => `${path}: ${message}`).join('; ');
    throw new S3Error('InvalidMirrorConfiguration', message, { bucket });
  }
  return normaliseConfig(valid);
}

/**
 * The stored origins of the buckets of this simulator that the document's origins lead to, directly or
 * through others' origins: all that the (synchronous) cycle check can ask about, read before it. Only
 * those: over a store on S3, reading every bucket's would cost requests per bucket for every rule.
 */
async function reachableOrigins(
  context: Context,
  bucket: string,
  document: MirrorConfigurationDocument,
  address: SelfAddress,
): Promise<(bucket: string) => readonly string[]> {
  const origins = new Map<string, string[]>();
  const buckets = (list: readonly string[]) =>
    list.map((origin) => selfOriginBucket(origin, address)).filter((name) => name !== undefined);
  const queue = buckets(document.rules.flatMap((rule) => rule.origins));
  for (let index = 0; index < queue.length && index < 100_000; index++) {
    const current = queue[index] as string;
    // The bucket being configured ends a cycle; its stored origins are being replaced.
    if (current === bucket || origins.has(current)) continue;
    const exists = await context.store.hasBucket(current);
    const rules = exists ? (await context.store.getMirrorConfiguration(current))?.rules : undefined;
    const found = rules?.flatMap((rule) => rule.origins) ?? [];
    origins.set(current, found);
    queue.push(...buckets(found));
  }
  return (name) => origins.get(name) ?? [];
}

/** The document as the spec's type; the schema's refusal answered as the S3 error it is. */
function schemaValid(document: unknown): MirrorConfigurationDocument {
  try {
    return validateAgainstSpec(document);
  } catch (error) {
    if (error instanceof InvalidConfiguration) {
      throw new S3Error('InvalidMirrorConfiguration', error.message);
    }
    throw error;
  }
}

export async function deleteBucketMirror(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  await context.store.setMirrorConfiguration(bucket, undefined);
  return new Response(null, { status: 204 });
}
