// When a signed request may be taken: every signature the simulator checks (SigV4, the V1 family, JD
// Cloud's) dates the request, and a date far from the simulator's clock means a replay or a broken clock.

import { S3Error } from '../../errors/s3-error.ts';

/** S3 refuses requests whose time is further than this from its own [sig-v4-authenticating-requests]. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * OSS and OBS call a skewed request RequestTimeTooSkewed; the spec's error codes have no such code, so
 * every signature is refused with AccessDenied, as for SigV4.
 *
 * Throws AccessDenied unless `date` is within 15 minutes of `now`; for a presigned URL (`expiresIn`
 * seconds), unless it has not expired and was not signed more than 15 minutes ahead.
 */
export function checkRequestTime(date: Date, now: number, expiresIn?: number): void {
  const signedAt = date.getTime();
  // Valid for `expiresIn` seconds from its time, that last instant excluded: 0 seconds is never valid.
  if (expiresIn !== undefined && now >= signedAt + expiresIn * 1000) {
    throw new S3Error(
      'AccessDenied',
      `Request has expired: the presigned URL was valid until ${new Date(signedAt + expiresIn * 1000).toISOString()}`,
    );
  }
  // A presigned URL is good until it expires however long ago it was signed; no request is good more
  // than 15 minutes before its time (a clock far ahead would stretch every lifetime).
  const tooEarly = signedAt - now > MAX_SKEW_MS;
  const tooLate = expiresIn === undefined && now - signedAt > MAX_SKEW_MS;
  if (tooEarly || tooLate) {
    throw new S3Error(
      'AccessDenied',
      `the request time ${date.toISOString()} is more than 15 minutes from the simulator's time ${new Date(now).toISOString()}`,
    );
  }
}
