// A vendor's own rule API (at the address its record, spec/vendors/<id>/vendor.ts, names) on the simulator running
// that vendor's profile. The dialect translates the native document to neutral rules; the same checks
// as the neutral API run on them, and every refusal is answered in the vendor's own error format.
// Nothing is written until every check has passed.

import { type Dialect, DialectError, NotExpressible } from '../../spec/dialects/dialect.ts';
import { type DialectId, dialectFor, dialectsSharingAddress } from '../../spec/vendors/index.ts';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import { S3Error } from '../errors/s3-error.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { checkedConfiguration, MAX_CONFIGURATION_BYTES } from './mirror-configuration.ts';
import { readSmallBody } from './read-body.ts';

export async function nativeMirrorConfiguration(
  context: Context,
  request: Request,
  operation: { dialect: DialectId; method: 'GET' | 'PUT' | 'DELETE'; bucket: string },
): Promise<Response> {
  const { bucket } = operation;
  const profile = context.settings.profile.id;
  if (profile !== operation.dialect) {
    // Two vendors may share an address (KS3 and TOS); the call is either's.
    const vendors = dialectsSharingAddress(operation.dialect);
    throw new S3Error(
      'NotImplemented',
      `this is the ${vendors.join(' or ')} rule API and the simulator runs the ${profile} profile: start it with ${vendors.map((id) => `--profile ${id}`).join(' or ')}, or use the neutral API at /_mirrorspec/buckets/${bucket}/mirror`,
      { bucket },
    );
  }
  const dialect = dialectFor(operation.dialect);
  const resource = new URL(request.url).pathname;
  try {
    await requireBucket(context, bucket);
    switch (operation.method) {
      case 'GET':
        return await getNative(context, dialect, bucket);
      case 'PUT':
        return await putNative(context, request, operation.dialect, bucket);
      case 'DELETE':
        return await deleteNative(context, dialect, bucket);
    }
  } catch (error) {
    const refusal = asDialectError(error);
    if (refusal === undefined) throw error;
    const { contentType, body } = dialect.errorBody(refusal, { requestId: context.requestId, resource });
    return new Response(body, { status: refusal.status, headers: { 'content-type': contentType } });
  }
}

async function getNative(context: Context, dialect: Dialect, bucket: string): Promise<Response> {
  const configuration = await context.store.getMirrorConfiguration(bucket);
  if (configuration === undefined) throw dialect.errors.noConfiguration(bucket);
  const extras = configuration.native?.dialect === dialect.id ? configuration.native.extras : {};
  let body: string;
  try {
    body = dialect.render(configuration, extras);
  } catch (error) {
    // Rules written through the neutral API may say what this vendor's API has no words for.
    if (error instanceof NotExpressible) {
      throw new DialectError(
        501,
        'NotImplemented',
        `the rules in force cannot be read in this API: ${error.message}`,
      );
    }
    throw error;
  }
  const answer = dialect.getAnswer ? dialect.getAnswer(body, context.requestId) : body;
  return new Response(answer, { headers: { 'content-type': dialect.contentType } });
}

async function putNative(
  context: Context,
  request: Request,
  id: DialectId,
  bucket: string,
): Promise<Response> {
  const dialect = dialectFor(id);
  const bytes = await readSmallBody(request, MAX_CONFIGURATION_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw dialect.errors.invalid('the body is not valid UTF-8');
  }
  const native = dialect.parse(text);
  let configuration: StoredMirrorConfiguration;
  try {
    configuration = await checkedConfiguration(context, request, bucket, native.configuration);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'InvalidMirrorConfiguration') {
      throw dialect.errors.invalid(error.message);
    }
    throw error;
  }
  configuration.native = { dialect: id, extras: native.extras };
  const previous = await context.store.getMirrorConfiguration(bucket);
  const unchanged = previous !== undefined && JSON.stringify(previous) === JSON.stringify(configuration);
  await context.store.setMirrorConfiguration(bucket, configuration);
  for (const object of native.objects ?? []) {
    const bytes = new TextEncoder().encode(object.body);
    const writer = await context.store.beginWrite(bucket, object.key, { expectedSize: bytes.byteLength });
    await writer.write(bytes);
    await writer.commit({ contentType: object.contentType, userMetadata: {}, acl: 'private' });
  }
  return answer(dialect.putAnswer(unchanged, context.requestId));
}

async function deleteNative(context: Context, dialect: Dialect, bucket: string): Promise<Response> {
  await context.store.setMirrorConfiguration(bucket, undefined);
  return answer(dialect.deleteAnswer(context.requestId));
}

function answer(result: { status: number; contentType?: string; body?: string }): Response {
  const headers = result.contentType === undefined ? undefined : { 'content-type': result.contentType };
  return new Response(result.body ?? null, { status: result.status, ...(headers ? { headers } : {}) });
}

/** Every refusal in this API speaks the vendor's format: the simulator's own S3 errors included. */
function asDialectError(error: unknown): DialectError | undefined {
  if (error instanceof DialectError) return error;
  if (error instanceof S3Error) return new DialectError(error.status, error.code, error.message);
  return undefined;
}
