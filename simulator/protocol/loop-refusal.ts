// A request that is this simulator's own mirror fetch come back to it is refused on arrival, before it
// is read as anything: answering it could start another fetch, and that one another (origin/loop-header.ts).

import { S3Error } from '../errors/s3-error.ts';
import { LOOP_HEADER, loopIds } from '../origin/loop-header.ts';

/** Throws when the request's CDN-Loop header [rfc-8586] names this simulator. */
export function refuseOwnLoop(headers: Headers, id: string): void {
  if (!loopIds(headers.get(LOOP_HEADER)).includes(id.toLowerCase())) return;
  throw new S3Error(
    'InvalidRequest',
    `this request is a mirror fetch of this simulator itself (its ${LOOP_HEADER} header names ${id}): a mirror rule's origin leads back to this simulator, through a name, port forward or proxy that reaches it; point the rule at another origin`,
  );
}
