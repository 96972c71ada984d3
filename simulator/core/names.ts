// Bucket and key rules, as S3 states them: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

const MAX_KEY_BYTES = 1024;

/** Why a bucket name is invalid, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_NAME.test(name)) {
    return 'a bucket name has 3 to 63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
  }
  if (name.includes('..')) return 'a bucket name may not contain two adjacent dots';
  if (IP_ADDRESS.test(name)) return 'a bucket name may not look like an IP address';
  return undefined;
}

/** Why a key is invalid, or undefined when it is valid. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'the key is empty';
  const bytes = new TextEncoder().encode(key).length;
  if (bytes > MAX_KEY_BYTES)
    return `the key is ${bytes} bytes long; at most ${MAX_KEY_BYTES} bytes of UTF-8 are allowed`;
  return undefined;
}
