// Which operation answers a parsed request: one case for every operation the request parser names,
// each handed the request's context. The composition root (simulator.ts) calls it once per request.

import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './operations/acl.ts';
import {
  deleteBucketLifecycle,
  getBucketLifecycle,
  putBucketLifecycle,
} from './operations/bucket-lifecycle.ts';
import { getBucketLocation } from './operations/bucket-location.ts';
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from './operations/bucket-policy.ts';
import { createBucket, deleteBucket, headBucket, listBuckets } from './operations/buckets.ts';
import type { Context } from './operations/context.ts';
import { copyObject } from './operations/copy-object.ts';
import { deleteObjects } from './operations/delete-objects.ts';
import { getObject, headObject } from './operations/get-object.ts';
import { listObjectVersions } from './operations/list-object-versions.ts';
import { listObjects, listObjectsV2 } from './operations/list-objects.ts';
import { deleteBucketMirror, getBucketMirror, putBucketMirror } from './operations/mirror-configuration.ts';
import { routeMultipart } from './operations/multipart.ts';
import { nativeMirrorConfiguration } from './operations/native-mirror-configuration.ts';
import { deleteObject, putObject } from './operations/objects.ts';
import { type PostAccess, postObject } from './operations/post-object.ts';
import { cancelPrepushJob, createPrepushJob, getPrepushJob, listPrepushJobs } from './operations/prepush.ts';
import type { Operation } from './protocol/operation.ts';

/** What routing needs from the simulator beyond the request's context. */
interface RouteHooks {
  /** Deletes everything and cancels background work (ResetSimulator). */
  reset(): Promise<void>;
  /** Which buckets ListBuckets shows the caller: all of them when undefined (no access control). */
  listed?: (bucket: string) => boolean;
  /** How a browser form's signature is judged: undefined without access control. */
  postAccess?: PostAccess;
}

export async function route(
  operation: Operation,
  request: Request,
  context: Context,
  hooks: RouteHooks,
): Promise<Response> {
  switch (operation.name) {
    case 'ListBuckets':
      return listBuckets(context, hooks.listed);
    case 'CreateBucket':
      return createBucket(context, request, operation.bucket);
    case 'HeadBucket':
      return headBucket(context, operation.bucket);
    case 'DeleteBucket':
      return deleteBucket(context, operation.bucket);
    case 'ListObjects':
      return listObjects(context, operation.bucket, operation.query);
    case 'ListObjectsV2':
      return listObjectsV2(context, operation.bucket, operation.query);
    case 'DeleteObjects':
      return deleteObjects(context, request, operation.bucket);
    case 'GetBucketLocation':
      return getBucketLocation(context, operation.bucket);
    case 'GetBucketAcl':
      return getBucketAcl(context, operation.bucket);
    case 'PutBucketAcl':
      return putBucketAcl(context, request, operation.bucket);
    case 'GetObjectAcl':
      return getObjectAcl(context, operation.bucket, operation.key);
    case 'PutObjectAcl':
      return putObjectAcl(context, request, operation.bucket, operation.key);
    case 'GetBucketPolicy':
      return getBucketPolicy(context, operation.bucket);
    case 'PutBucketPolicy':
      return putBucketPolicy(context, request, operation.bucket);
    case 'DeleteBucketPolicy':
      return deleteBucketPolicy(context, operation.bucket);
    case 'GetBucketLifecycleConfiguration':
      return getBucketLifecycle(context, operation.bucket);
    case 'PutBucketLifecycleConfiguration':
      return putBucketLifecycle(context, request, operation.bucket);
    case 'DeleteBucketLifecycle':
      return deleteBucketLifecycle(context, operation.bucket);
    case 'ListObjectVersions':
      return listObjectVersions(context, operation.bucket, operation.query);
    case 'PutObject':
      // CopyObject shares PutObject's address; the copy-source header tells them apart.
      if (request.headers.has('x-amz-copy-source'))
        return copyObject(context, request, operation.bucket, operation.key);
      return putObject(context, request, operation.bucket, operation.key);
    case 'PostObject':
      return postObject(context, request, operation.bucket, hooks.postAccess);
    case 'GetObject':
      return getObject(context, request, operation.bucket, operation.key, operation.rawQuery);
    case 'HeadObject':
      return headObject(context, request, operation.bucket, operation.key);
    case 'DeleteObject':
      return deleteObject(context, operation.bucket, operation.key);
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
    case 'AbortMultipartUpload':
    case 'ListParts':
    case 'ListMultipartUploads':
      return routeMultipart(context, request, operation);
    default:
      return routeOwn(operation, request, context, hooks);
  }
}

/** The simulator's own APIs, outside S3. */
type OwnOperation = Extract<
  Operation,
  {
    name:
      | 'GetBucketMirror'
      | 'PutBucketMirror'
      | 'DeleteBucketMirror'
      | 'CreatePrepushJob'
      | 'ListPrepushJobs'
      | 'GetPrepushJob'
      | 'CancelPrepushJob'
      | 'GetHealth'
      | 'ResetSimulator'
      | 'NativeMirrorConfiguration'
      | 'WaitForSettle';
  }
>;

/** The simulator's own APIs, outside S3: mirror rules, pre-push jobs, health, reset, settle. */
async function routeOwn(
  operation: OwnOperation,
  request: Request,
  context: Context,
  hooks: RouteHooks,
): Promise<Response> {
  switch (operation.name) {
    case 'GetBucketMirror':
      return getBucketMirror(context, operation.bucket);
    case 'PutBucketMirror':
      return putBucketMirror(context, request, operation.bucket);
    case 'DeleteBucketMirror':
      return deleteBucketMirror(context, operation.bucket);
    case 'CreatePrepushJob':
      return createPrepushJob(context, request, operation.bucket, operation.query);
    case 'ListPrepushJobs':
      return listPrepushJobs(context, operation.bucket);
    case 'GetPrepushJob':
      return getPrepushJob(context, operation.bucket, operation.jobId);
    case 'CancelPrepushJob':
      return cancelPrepushJob(context, operation.bucket, operation.jobId);
    case 'GetHealth':
      return Response.json({
        status: 'ok',
        version: context.settings.version,
        profile: context.settings.profile.id,
      });
    case 'ResetSimulator':
      await hooks.reset();
      return new Response(null, { status: 204 });
    case 'NativeMirrorConfiguration':
      return nativeMirrorConfiguration(context, request, operation);
    case 'WaitForSettle': {
      const settled = await context.background.settle(operation.timeoutMs);
      return Response.json({ settled, pending: context.background.size });
    }
  }
}
