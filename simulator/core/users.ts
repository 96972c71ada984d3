// The simulator's users. Each access key pair is one user, named by its access key id; a bucket belongs
// to the user who created it (proposed: S3 gives a bucket to the account that created it
// [s3-bucket-ownership], and the simulator has no accounts but its key pairs).
//
//   - the owner may do anything with the bucket, its objects and its rules;
//   - another user gets 403 AccessDenied on a private bucket, its objects and its rules, and may do
//     only what is open to anyone: list a public-read bucket, read an object written public-read, and
//     GET (mirror) a key missing from a public-read bucket;
//   - ListBuckets lists the caller's own buckets;
//   - CreateBucket of a name another user holds is 409 BucketAlreadyExists, as in S3.
//
// A bucket nobody is recorded as owning (one the store held before the simulator started, say a disk
// store's) belongs to the first user.

interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The key pairs requests may be signed with, by access key id. */
export class Keyring {
  private readonly secrets = new Map<string, string>();
  /** The first key pair's access key id: it owns the buckets nobody is recorded as owning. */
  readonly primary: string;

  constructor(pairs: readonly KeyPair[]) {
    for (const { accessKeyId, secretAccessKey } of pairs) {
      if (accessKeyId === '' || secretAccessKey === '') {
        throw new Error('an access key id and its secret must not be empty');
      }
      const known = this.secrets.get(accessKeyId);
      if (known !== undefined && known !== secretAccessKey) {
        throw new Error(`the access key id '${accessKeyId}' is given twice with different secrets`);
      }
      this.secrets.set(accessKeyId, secretAccessKey);
    }
    const first = pairs[0];
    if (first === undefined) throw new Error('access control needs at least one access key pair');
    this.primary = first.accessKeyId;
  }

  /** The secret of an access key id, or undefined for a key this simulator does not know. */
  secretFor(accessKeyId: string): string | undefined {
    return this.secrets.get(accessKeyId);
  }

  get size(): number {
    return this.secrets.size;
  }
}

/** Who owns which bucket, in memory; reset with the simulator. */
export class BucketOwners {
  private readonly owners = new Map<string, string>();

  constructor(private readonly fallback: string) {}

  ownerOf(bucket: string): string {
    return this.owners.get(bucket) ?? this.fallback;
  }

  claim(bucket: string, user: string): void {
    this.owners.set(bucket, user);
  }

  release(bucket: string): void {
    this.owners.delete(bucket);
  }

  reset(): void {
    this.owners.clear();
  }
}

/** What the access decision needs to know of a request. */
interface BucketRequest {
  /** The operation's name (protocol/operation.ts). */
  name: string;
  bucket: string;
}

type Denial = { code: 'AccessDenied' | 'BucketAlreadyExists'; message: string };

/**
 * Why `user` may not run `request` on a bucket that `owner` owns (or nobody, when it does not exist),
 * or undefined when it may. `open` says whether anyone may run it (the bucket's and object's ACLs).
 */
export function bucketAccessDenial(
  request: BucketRequest,
  user: string,
  bucket: { exists: boolean; owner: string; open: boolean },
): Denial | undefined {
  if (!bucket.exists || bucket.owner === user) return undefined;
  if (request.name === 'CreateBucket') {
    return {
      code: 'BucketAlreadyExists',
      message: `the bucket name '${request.bucket}' is taken by another user: choose another name`,
    };
  }
  if (bucket.open) return undefined;
  return {
    code: 'AccessDenied',
    message: `the bucket '${request.bucket}' belongs to another user: sign with its owner's access key`,
  };
}

/**
 * The key pairs of an AWS shared credentials file (`~/.aws/credentials`): each section with an
 * aws_access_key_id and an aws_secret_access_key is one user, in file order. Throws naming the line of
 * the first problem.
 */
export function parseCredentialsFile(text: string): KeyPair[] {
  const sections: { name: string; line: number; values: Map<string, string> }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      sections.push({ name: section[1] ?? '', line: index + 1, values: new Map() });
      continue;
    }
    const at = line.indexOf('=');
    const current = sections.at(-1);
    if (at <= 0 || current === undefined) {
      throw new Error(`line ${index + 1} is neither [section] nor name = value inside a section`);
    }
    current.values.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  const pairs: KeyPair[] = [];
  for (const { name, line, values } of sections) {
    const accessKeyId = values.get('aws_access_key_id');
    const secretAccessKey = values.get('aws_secret_access_key');
    if (accessKeyId === undefined && secretAccessKey === undefined) continue;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        `section [${name}] (line ${line}) needs both aws_access_key_id and aws_secret_access_key`,
      );
    }
    pairs.push({ accessKeyId, secretAccessKey });
  }
  if (pairs.length === 0) throw new Error('the file holds no aws_access_key_id and aws_secret_access_key');
  return pairs;
}
