// Bucket policies, the subset the simulator evaluates [s3-bucket-policies]: statements of Effect Allow
// or Deny, a Principal ("*", or {"AWS": ...} naming users by access key id or an ARN ending in it),
// Actions (s3:*, *, or s3:<Action>, with * wildcards) and Resources (arn:aws:s3:::bucket, or
// bucket/<key pattern>). Condition, NotPrincipal, NotAction and NotResource are refused with 501: a
// policy the simulator could not honour whole is never stored. Pure: no I/O.

import { S3Error } from '../errors/s3-error.ts';

interface Statement {
  effect: 'Allow' | 'Deny';
  /** Access key ids, or '*' for anyone (signed or not). */
  principals: readonly string[];
  actions: readonly RegExp[];
  resources: readonly RegExp[];
}

interface BucketPolicy {
  /** The document as sent, returned by GetBucketPolicy. */
  text: string;
  statements: readonly Statement[];
}

/** What a request asks of a policy: who (undefined when unsigned), which action, on which resource. */
export interface PolicyRequest {
  principal: string | undefined;
  action: string;
  resource: string;
}

const MAX_POLICY_BYTES = 20 * 1024;
const UNSUPPORTED = ['Condition', 'NotPrincipal', 'NotAction', 'NotResource'];

function malformed(message: string): S3Error {
  return new S3Error('MalformedPolicy', message);
}

/** A policy pattern (`*` any run, `?` any one character) as an anchored expression. */
function pattern(text: string, caseless: boolean): RegExp {
  const body = text
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseless ? 'i' : '');
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function principals(value: unknown): string[] {
  if (value === '*') return ['*'];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('Invalid principal in policy');
  }
  const { AWS, ...others } = value as Record<string, unknown>;
  if (Object.keys(others).length > 0 || AWS === undefined) {
    throw new S3Error(
      'NotImplemented',
      `the principal ${JSON.stringify(value)} is not implemented: use "*" or {"AWS": ...}`,
    );
  }
  return list(AWS).map((entry) => {
    if (typeof entry !== 'string' || entry === '') throw malformed('Invalid principal in policy');
    // arn:aws:iam::<account>:root and arn:aws:iam::<account>:user/<name> name the account's user here.
    return entry === '*' ? '*' : (/^arn:aws:iam::([^:]+):(?:root|user\/.+)$/.exec(entry)?.[1] ?? entry);
  });
}

function actions(value: unknown): RegExp[] {
  return list(value).map((entry) => {
    if (typeof entry !== 'string' || !(entry === '*' || /^s3:[A-Za-z*?]+$/.test(entry))) {
      throw malformed('Policy has invalid action');
    }
    return pattern(entry === '*' ? 's3:*' : entry, true);
  });
}

function resources(value: unknown, bucket: string): RegExp[] {
  return list(value).map((entry) => {
    const prefix = 'arn:aws:s3:::';
    if (typeof entry !== 'string' || !entry.startsWith(prefix))
      throw malformed('Policy has invalid resource');
    const named = entry.slice(prefix.length);
    const namedBucket = named.split('/')[0] ?? '';
    if (!pattern(namedBucket, false).test(bucket)) {
      throw malformed('Policy has invalid resource: it must name this bucket or its objects');
    }
    return pattern(entry, false);
  });
}

function statement(value: unknown, bucket: string): Statement {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed('Statement is not an object');
  const entry = value as Record<string, unknown>;
  for (const name of UNSUPPORTED) {
    if (name in entry) throw new S3Error('NotImplemented', `the policy element ${name} is not implemented`);
  }
  if (entry.Effect !== 'Allow' && entry.Effect !== 'Deny') throw malformed('Invalid effect: Allow or Deny');
  if (entry.Principal === undefined) throw malformed('Missing required field Principal');
  if (entry.Action === undefined) throw malformed('Missing required field Action');
  if (entry.Resource === undefined) throw malformed('Missing required field Resource');
  return {
    effect: entry.Effect,
    principals: principals(entry.Principal),
    actions: actions(entry.Action),
    resources: resources(entry.Resource, bucket),
  };
}

/** Reads a policy document for `bucket`; 400 MalformedPolicy when it is not one, 501 for what is not honoured. */
export function parseBucketPolicy(text: string, bucket: string): BucketPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    throw malformed(`Policies must be at most ${MAX_POLICY_BYTES} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  const { Version, Statement: statements, Id, ...rest } = document as Record<string, unknown>;
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') {
    throw malformed('Policy has an invalid version: 2012-10-17 or 2008-10-17');
  }
  if (Id !== undefined && typeof Id !== 'string') throw malformed('Id must be a string');
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw malformed(`Unknown field ${unknown}`);
  if (statements === undefined) throw malformed('Missing required field Statement');
  const parsed = list(statements).map((entry) => statement(entry, bucket));
  if (parsed.length === 0) throw malformed('Missing required field Statement');
  return { text, statements: parsed };
}

/** 'deny' when a Deny statement matches, else 'allow' when an Allow does, else undefined (no say). */
export function evaluatePolicy(policy: BucketPolicy, request: PolicyRequest): 'allow' | 'deny' | undefined {
  let verdict: 'allow' | undefined;
  for (const entry of policy.statements) {
    const who = entry.principals.some((p) => p === '*' || p === request.principal);
    const what = entry.actions.some((action) => action.test(request.action));
    const where = entry.resources.some((resource) => resource.test(request.resource));
    if (!(who && what && where)) continue;
    if (entry.effect === 'Deny') return 'deny';
    verdict = 'allow';
  }
  return verdict;
}

/** The policies of the buckets that have one, in memory; reset with the simulator. */
export class BucketPolicies {
  private readonly policies = new Map<string, BucketPolicy>();

  get(bucket: string): BucketPolicy | undefined {
    return this.policies.get(bucket);
  }

  set(bucket: string, policy: BucketPolicy): void {
    this.policies.set(bucket, policy);
  }

  delete(bucket: string): void {
    this.policies.delete(bucket);
  }

  reset(): void {
    this.policies.clear();
  }
}
