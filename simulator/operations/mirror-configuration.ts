import type { MirrorConfigurationDocument } from '../../spec/model.ts';
import { normaliseConfig } from '../../spec/rules.ts';
import { InvalidConfiguration, validateAgainstSpec } from '../../spec/validate-configuration.ts';
import { allConfigProblems, type StoredMirrorConfiguration } from '../core/mirror-config.ts';
import { selfOriginBucket } from '../core/self-origin.ts';
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
  // The other buckets' origins matter only to an origin that is a bucket of this simulator (a cycle
  // through them); read only then, as over a store on S3 reading them costs requests per bucket.
  const namesSelf = valid.rules.some((rule) =>
    rule.origins.some((origin) => selfOriginBucket(origin, address) !== undefined),
  );
  const originsOf = namesSelf ? await originsByBucket(context) : () => [];
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

/** Every bucket's origins as they stand, read before the (synchronous) check of origin cycles. */
async function originsByBucket(context: Context): Promise<(bucket: string) => readonly string[]> {
  const origins = new Map<string, string[]>();
  for (const { name } of await context.store.listBuckets()) {
    const rules = (await context.store.getMirrorConfiguration(name))?.rules;
    if (rules !== undefined)
      origins.set(
        name,
        rules.flatMap((rule) => rule.origins),
      );
  }
  return (bucket) => origins.get(bucket) ?? [];
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
