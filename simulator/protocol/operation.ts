// Every request the simulator understands, as one tagged union named after the spec's operationIds.
// The router (simulator.ts) switches over it exhaustively.

import type { DialectId } from '../../spec/vendors/index.ts';
import { BUCKET_SUBRESOURCE_OPERATION_NAMES, type BucketSubresourceOperation } from './bucket-request.ts';
import { MULTIPART_OPERATION_NAMES, type MultipartOperation } from './multipart-request.ts';

export type Operation =
  | { name: 'ListBuckets' }
  | { name: 'CreateBucket'; bucket: string }
  | { name: 'HeadBucket'; bucket: string }
  | { name: 'DeleteBucket'; bucket: string }
  | { name: 'ListObjects'; bucket: string; query: URLSearchParams }
  | { name: 'ListObjectsV2'; bucket: string; query: URLSearchParams }
  | { name: 'ListObjectVersions'; bucket: string; query: URLSearchParams }
  | { name: 'PutObject'; bucket: string; key: string }
  | { name: 'PostObject'; bucket: string }
  | { name: 'GetObject'; bucket: string; key: string; rawQuery: string }
  | { name: 'HeadObject'; bucket: string; key: string }
  | { name: 'DeleteObject'; bucket: string; key: string }
  | { name: 'GetBucketMirror'; bucket: string }
  | { name: 'PutBucketMirror'; bucket: string }
  | { name: 'DeleteBucketMirror'; bucket: string }
  | { name: 'CreatePrepushJob'; bucket: string; query: URLSearchParams }
  | { name: 'ListPrepushJobs'; bucket: string }
  | { name: 'GetPrepushJob'; bucket: string; jobId: string }
  | { name: 'CancelPrepushJob'; bucket: string; jobId: string }
  | { name: 'GetHealth' }
  | { name: 'ResetSimulator' }
  | { name: 'WaitForSettle'; timeoutMs: number }
  | MultipartOperation
  | BucketSubresourceOperation
  /** A vendor's own rule API (its address in its vendor.ts): the vendors document these, not the spec. */
  | {
      name: 'NativeMirrorConfiguration';
      dialect: DialectId;
      method: 'GET' | 'PUT' | 'DELETE';
      bucket: string;
    };

type OperationName = Operation['name'];

/** Every operation name, at run time; the compiler checks the list against the union both ways. */
export const OPERATION_NAMES = [
  'ListBuckets',
  'CreateBucket',
  'HeadBucket',
  'DeleteBucket',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'PutObject',
  'PostObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'GetBucketMirror',
  'PutBucketMirror',
  'DeleteBucketMirror',
  'CreatePrepushJob',
  'ListPrepushJobs',
  'GetPrepushJob',
  'CancelPrepushJob',
  'GetHealth',
  'ResetSimulator',
  'WaitForSettle',
  'NativeMirrorConfiguration',
  ...MULTIPART_OPERATION_NAMES,
  ...BUCKET_SUBRESOURCE_OPERATION_NAMES,
] as const satisfies readonly OperationName[];

type Missing = Exclude<OperationName, (typeof OPERATION_NAMES)[number]>;
const everyOperationListed: Missing extends never ? true : Missing = true;
void everyOperationListed;
