// PostObject: an object stored from an HTML form, S3's browser-based upload [s3-post-object]. The form's
// fields say what to store and the `file` field's bytes stream into the bucket; with access control the
// form is signed (protocol/auth/post-signature.ts) and its policy's conditions decide what it may store
// (core/post-policy.ts). A refused form stores nothing, not even part of the file.

import { keyProblem } from '../core/names.ts';
import { storedHeadersFrom } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { verifyPostSignature } from '../protocol/auth/post-signature.ts';
import type { Credentials } from '../protocol/auth/signature-text.ts';
import { type FormFile, formBoundary, readForm } from '../protocol/form-data.ts';
import { xmlDocument } from '../protocol/xml.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { checkPostPolicy, parsePostPolicy } from './post-policy.ts';

/** S3 reads at most this much of a form before its file. */
const MAX_PRE_DATA = 20 * 1024;

/** What a form is judged with when the simulator has credentials (simulator.ts builds it). */
export interface PostAccess {
  secretFor(accessKeyId: string): string | undefined;
  /**
   * Why the form's signer (undefined for an unsigned form) may not write `key` to the bucket (another
   * user's bucket, the bucket's policy), or undefined when it may.
   */
  denial(bucket: string, key: string, accessKeyId: string | undefined): Promise<S3Error | undefined>;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The fields stored as the object's headers, by their lower-case form names. */
const STORED_FIELDS = ['content-type', 'cache-control', 'content-disposition', 'content-encoding', 'expires'];

/** Every field honoured beside the stored ones and x-amz-meta-* (anything else is refused with 501). */
const HONOURED_FIELDS = new Set([
  ...['key', 'acl', 'policy', 'bucket', 'success_action_status', 'success_action_redirect', 'redirect'],
  ...['awsaccesskeyid', 'signature', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date'],
  ...['x-amz-signature', 'x-amz-storage-class', ...STORED_FIELDS],
]);

/** The form's fields by lower-case name; a name given twice is refused, as S3 refuses it. */
function fieldMap(fields: readonly { name: string; value: string }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { name, value } of fields) {
    const lower = name.toLowerCase();
    if (map.has(lower)) throw new S3Error('InvalidArgument', `the field '${name}' is given twice`);
    map.set(lower, value);
  }
  return map;
}

/** Refuses what the simulator does not honour, and a form that does not say where to store. */
function checkFields(fields: ReadonlyMap<string, string>, bucket: string): void {
  for (const name of fields.keys()) {
    if (HONOURED_FIELDS.has(name) || name.startsWith('x-amz-meta-') || name.startsWith('x-ignore-')) continue;
    throw new S3Error('NotImplemented', `the form field '${name}' is not implemented on PostObject`, {
      bucket,
    });
  }
  const acl = fields.get('acl');
  if (acl !== undefined && acl !== 'private' && acl !== 'public-read') {
    const known = [
      'public-read-write',
      'authenticated-read',
      'bucket-owner-read',
      'bucket-owner-full-control',
    ];
    if (known.includes(acl)) {
      throw new S3Error(
        'NotImplemented',
        `the canned ACL '${acl}' is not implemented: use private or public-read`,
      );
    }
    throw new S3Error('InvalidArgument', `acl must be private or public-read, got '${acl}'`, { bucket });
  }
  const storageClass = fields.get('x-amz-storage-class');
  if (storageClass !== undefined && storageClass !== 'STANDARD') {
    throw new S3Error(
      'NotImplemented',
      `the storage class '${storageClass}' is not implemented: use STANDARD`,
    );
  }
  const named = fields.get('bucket');
  if (named !== undefined && named !== bucket) {
    throw new S3Error(
      'InvalidArgument',
      `the bucket field '${named}' is not the bucket posted to, '${bucket}'`,
    );
  }
}

/** The key the form names, `${filename}` replaced by the file's name. */
function formKey(fields: ReadonlyMap<string, string>, file: FormFile, bucket: string): string {
  const named = fields.get('key');
  if (named === undefined) {
    throw new S3Error(
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      { bucket },
    );
  }
  const key = named.replaceAll('${filename}', file.filename ?? '');
  if (key === '')
    throw new S3Error('InvalidArgument', 'User key must have a length greater than 0.', { bucket });
  const problem = keyProblem(key);
  if (problem) throw new S3Error('KeyTooLongError', problem, { bucket });
  return key;
}

/**
 * Who signed this form, and how large its file may be: with access control, a form with a policy must
 * be signed and meet it; without, its policy, if sent, must be met.
 */
function authorise(
  fields: Map<string, string>,
  bucket: string,
  access: PostAccess | undefined,
  region: string,
): { signer?: Credentials; lengthRange: { min: number; max: number } } {
  const policyText = fields.get('policy');
  if (policyText === undefined) {
    if (access)
      throw new S3Error('AccessDenied', 'Access Denied: an unsigned form may not write to this bucket');
    return { lengthRange: { min: 0, max: Infinity } };
  }
  const policy = parsePostPolicy(policyText);
  const signer = access ? verifyPostSignature(fields, policyText, access, region) : undefined;
  if (access && signer === undefined) {
    throw new S3Error('AccessDenied', 'Access Denied: a form with a policy must carry its signature');
  }
  checkPostPolicy(policy, fields, bucket, access?.now() ?? Date.now());
  return { ...(signer ? { signer } : {}), lengthRange: policy.lengthRange };
}

export async function postObject(
  context: Context,
  request: Request,
  bucket: string,
  access?: PostAccess,
): Promise<Response> {
  await requireBucket(context, bucket);
  const boundary = formBoundary(request.headers.get('content-type'));
  if (boundary === undefined) {
    throw new S3Error('PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data', {
      bucket,
    });
  }
  const form = await readForm(request.body, boundary, MAX_PRE_DATA);
  const file = form.file;
  try {
    if (file === undefined) {
      throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', { bucket });
    }
    const fields = fieldMap(form.fields);
    checkFields(fields, bucket);
    const key = formKey(fields, file, bucket);
    fields.set('key', key);
    const { signer, lengthRange } = authorise(fields, bucket, access, context.settings.region);
    const denial = await access?.denial(bucket, key, signer?.accessKeyId);
    if (denial) throw denial;
    const etag = await store(context, bucket, key, fields, file, lengthRange);
    return answer(fields, bucket, key, etag);
  } catch (error) {
    await file?.body.return(undefined);
    throw error;
  }
}

/** Streams the file into the bucket; nothing is kept unless it all arrived within the length range. */
async function store(
  context: Context,
  bucket: string,
  key: string,
  fields: ReadonlyMap<string, string>,
  file: FormFile,
  range: { min: number; max: number },
): Promise<string> {
  const max = Math.min(range.max, context.settings.maxObjectSize);
  const writer = await context.store.beginWrite(bucket, key);
  try {
    let size = 0;
    for await (const chunk of file.body) {
      size += chunk.byteLength;
      if (size > max) {
        throw new S3Error(
          'EntityTooLarge',
          `Your proposed upload exceeds the maximum allowed size: ${max} bytes`,
          {
            bucket,
            key,
          },
        );
      }
      await writer.write(chunk);
    }
    if (size < range.min) {
      throw new S3Error(
        'EntityTooSmall',
        `Your proposed upload is smaller than the minimum allowed size: ${range.min} bytes`,
        {
          bucket,
          key,
        },
      );
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of fields) {
    if (name.startsWith('x-amz-meta-')) userMetadata[name.slice('x-amz-meta-'.length)] = value;
  }
  const stored = await writer.commit({
    ...storedHeadersFrom((name) => (STORED_FIELDS.includes(name) ? fields.get(name) : undefined)),
    userMetadata,
    acl: fields.get('acl') === 'public-read' ? 'public-read' : 'private',
  });
  if (stored === undefined)
    throw new S3Error('NoSuchBucket', `the bucket '${bucket}' was deleted`, { bucket });
  return stored.etag;
}

/** As S3 answers a stored form: a redirect, a PostResponse document (201), or 200 / 204 (the default). */
function answer(fields: ReadonlyMap<string, string>, bucket: string, key: string, etag: string): Response {
  const location = `/${bucket}/${encodeURIComponent(key).replaceAll('%2F', '/')}`;
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect !== undefined && /^https?:\/\//i.test(redirect)) {
    const target = new URL(redirect);
    target.searchParams.set('bucket', bucket);
    target.searchParams.set('key', key);
    target.searchParams.set('etag', etag);
    return new Response(null, { status: 303, headers: { location: target.toString(), etag } });
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const body = xmlDocument('PostResponse', [
      ['Location', location],
      ['Bucket', bucket],
      ['Key', key],
      ['ETag', etag],
    ]);
    return new Response(body, {
      status: 201,
      headers: { 'content-type': 'application/xml', etag, location },
    });
  }
  return new Response(null, { status: status === '200' ? 200 : 204, headers: { etag, location } });
}
