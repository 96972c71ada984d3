// Pre-push operations: start a job from a template or a JSON list, list, read and cancel jobs.

import { S3Error } from '../errors/s3-error.ts';
import { jsonEntriesAsTemplate, MAX_PREPUSH_ENTRIES } from '../prepush/prepush-jobs.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { readSmallBody } from './read-body.ts';

const MAX_JSON_BYTES = 8 * 1024 * 1024;
const jsonHeaders = { 'content-type': 'application/json' };

export async function createPrepushJob(
  context: Context,
  request: Request,
  bucket: string,
  query: URLSearchParams,
) {
  await requireBucket(context, bucket);
  const isJson = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json');
  let document: { entries?: unknown; mode?: unknown; concurrency?: unknown } = {};
  if (isJson) document = await readJsonList(request, bucket);
  const mode = query.get('mode') ?? document.mode ?? 'skip-existing';
  if (mode !== 'skip-existing' && mode !== 'overwrite') {
    throw new S3Error('InvalidArgument', `mode must be skip-existing or overwrite, got '${String(mode)}'`, {
      bucket,
    });
  }
  const rawConcurrency = query.get('concurrency') ?? document.concurrency ?? 8;
  const concurrency = Number(rawConcurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new S3Error(
      'InvalidArgument',
      `concurrency must be a whole number from 1 to 64, got '${String(rawConcurrency)}'`,
      {
        bucket,
      },
    );
  }
  const template = isJson
    ? jsonEntriesAsTemplate(document.entries as unknown[])
    : (request.body ?? (async function* () {})());
  const job = await context.prepush.start({
    bucket,
    mode,
    concurrency,
    template: template as AsyncIterable<Uint8Array>,
  });
  return new Response(JSON.stringify(job), {
    status: 202,
    headers: { ...jsonHeaders, location: `/_mirrorspec/buckets/${bucket}/prepush/${job.id}` },
  });
}

async function readJsonList(request: Request, bucket: string) {
  const bytes = await readSmallBody(request, MAX_JSON_BYTES).catch((error: unknown) => {
    if (error instanceof S3Error && error.code === 'MaxMessageLengthExceeded') {
      throw new S3Error(
        'MaxMessageLengthExceeded',
        'a JSON list may be at most 8 MiB: upload a text template instead',
        {
          bucket,
        },
      );
    }
    throw error;
  });
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new S3Error('MalformedJSON', `the body is not valid UTF-8 JSON: ${(error as Error).message}`, {
      bucket,
    });
  }
  const entries = (document as { entries?: unknown } | null)?.entries;
  if (typeof document !== 'object' || document === null || !Array.isArray(entries)) {
    throw new S3Error('MalformedJSON', 'the body must be an object with an "entries" array', { bucket });
  }
  if (entries.length > MAX_PREPUSH_ENTRIES) {
    throw new S3Error(
      'TooManyPrepushEntries',
      `the list has ${entries.length} entries; at most ${MAX_PREPUSH_ENTRIES} per job: split it into several jobs`,
      { bucket },
    );
  }
  entries.forEach((entry, index) => {
    const valid =
      typeof entry === 'string' ||
      (typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as { source?: unknown }).source === 'string' &&
        ['undefined', 'string'].includes(typeof (entry as { key?: unknown }).key) &&
        Object.keys(entry).every((name) => name === 'source' || name === 'key'));
    if (!valid) {
      throw new S3Error(
        'MalformedJSON',
        `entries/${index} must be a string or {"source": string, "key"?: string}`,
        { bucket },
      );
    }
  });
  return document as { entries: unknown[]; mode?: unknown; concurrency?: unknown };
}

export async function listPrepushJobs(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  return new Response(JSON.stringify({ jobs: context.prepush.list(bucket) }), { headers: jsonHeaders });
}

async function findJob(context: Context, bucket: string, id: string) {
  await requireBucket(context, bucket);
  const job = context.prepush.find(bucket, id);
  if (job === undefined)
    throw new S3Error('NoSuchPrepushJob', `the bucket has no pre-push job '${id}'`, { bucket });
  return job;
}

export async function getPrepushJob(context: Context, bucket: string, id: string): Promise<Response> {
  return new Response(JSON.stringify(await findJob(context, bucket, id)), { headers: jsonHeaders });
}

export async function cancelPrepushJob(context: Context, bucket: string, id: string): Promise<Response> {
  const job = await findJob(context, bucket, id);
  job.cancel();
  return new Response(JSON.stringify(job), { headers: jsonHeaders });
}
