// Every request the simulator understands, as one tagged union named after the spec's operationIds.
// The router (simulator.ts) switches over it exhaustively.

export type Operation =
  | { name: 'ListBuckets' }
  | { name: 'CreateBucket'; bucket: string }
  | { name: 'HeadBucket'; bucket: string }
  | { name: 'DeleteBucket'; bucket: string }
  | { name: 'ListObjectsV2'; bucket: string; query: URLSearchParams }
  | { name: 'PutObject'; bucket: string; key: string }
  | { name: 'GetObject'; bucket: string; key: string; rawQuery: string }
  | { name: 'HeadObject'; bucket: string; key: string }
  | { name: 'DeleteObject'; bucket: string; key: string }
  | { name: 'GetBucketMirror'; bucket: string }
  | { name: 'PutBucketMirror'; bucket: string }
  | { name: 'DeleteBucketMirror'; bucket: string }
  | { name: 'GetHealth' }
  | { name: 'ResetSimulator' }
  | { name: 'WaitForSettle'; timeoutMs: number };

export type OperationName = Operation['name'];
