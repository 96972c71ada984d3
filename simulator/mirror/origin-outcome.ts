// What an origin's answer means for a miss. Pure: no I/O.

export type StatusClass = 'found' | 'not-found' | 'redirect' | 'failed';

export const MAX_REDIRECT_HOPS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * 200 (and 206, which OSS also accepts [oss-ec101]) delivers the object; 404 means the origin does not
 * have it; a 3xx with a Location is a redirect; anything else is a failure [oss-ec101][jd-guide].
 */
export function classifyStatus(status: number, hasLocation: boolean): StatusClass {
  if (status === 200 || status === 206) return 'found';
  if (status === 404) return 'not-found';
  if (REDIRECT_STATUSES.has(status) && hasLocation) return 'redirect';
  return 'failed';
}

/** Why a Location cannot be followed, or undefined. Relative locations resolve against the current URL. */
export function redirectProblem(location: string, current: string): string | undefined {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return `the origin redirected to '${location}', which is not a URL`;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return `the origin redirected to '${location}', which is not an http or https URL`;
  }
  return undefined;
}

/** The size an origin announces, or undefined when it sends none (chunked) or an unusable one. */
export function announcedSize(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
