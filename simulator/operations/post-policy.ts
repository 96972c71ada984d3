// The policy document of a browser POST upload, as S3 judges it [s3-post-object]: base64 JSON with an
// `expiration` (required) and `conditions`, each of which the form must meet, and every form field but
// the policy, the signature's own and `x-ignore-*` named by a condition. Pure: no I/O, the clock given.

import { S3Error } from '../errors/s3-error.ts';

/** A condition on one form field ($name, lower case): equal to a value, or starting with one. */
interface FieldCondition {
  field: string;
  op: 'eq' | 'starts-with';
  value: string;
  /** As written, for the message of a failed condition. */
  text: string;
}

interface PostPolicy {
  expiration: Date;
  conditions: FieldCondition[];
  /** From `content-length-range`, the bytes the file may have; [0, Infinity] without one. */
  lengthRange: { min: number; max: number };
}

/** Form fields no condition has to name (the signature's own, the policy, the file). */
const UNCONDITIONED = new Set(['policy', 'signature', 'awsaccesskeyid', 'x-amz-signature', 'file']);

function invalid(why: string): S3Error {
  return new S3Error('InvalidPolicyDocument', `Invalid Policy: ${why}`);
}

function denied(why: string): S3Error {
  return new S3Error('AccessDenied', `Invalid according to Policy: ${why}`);
}

/** Decodes and checks the document; 400 InvalidPolicyDocument when it is not a policy. */
export function parsePostPolicy(base64: string): PostPolicy {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64.trim()) || base64.trim() === '') {
    throw invalid('Invalid Base64 Encoding.');
  }
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(base64.trim(), 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalid('Invalid JSON.');
  }
  const { expiration, conditions, ...rest } = document as Record<string, unknown>;
  if (expiration === undefined) throw invalid('Policy missing expiration.');
  const expires = typeof expiration === 'string' ? new Date(expiration) : undefined;
  if (
    expires === undefined ||
    Number.isNaN(expires.getTime()) ||
    !/^\d{4}-\d{2}-\d{2}T/.test(expiration as string)
  ) {
    throw invalid(`Invalid 'expiration' value: '${String(expiration)}'`);
  }
  const unexpected = Object.keys(rest)[0];
  if (unexpected !== undefined) throw invalid(`Unexpected field: '${unexpected}'`);
  if (conditions === undefined) throw invalid('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalid("Invalid 'conditions' value: an array is expected.");
  const policy: PostPolicy = { expiration: expires, conditions: [], lengthRange: { min: 0, max: Infinity } };
  for (const condition of conditions) readCondition(condition, policy);
  return policy;
}

function readCondition(condition: unknown, policy: PostPolicy): void {
  const text = JSON.stringify(condition);
  if (typeof condition === 'object' && condition !== null && !Array.isArray(condition)) {
    const entries = Object.entries(condition);
    if (entries.length !== 1)
      throw invalid(`Invalid Simple-Condition: exactly one field per condition: ${text}`);
    const [[name, value]] = entries as [[string, unknown]];
    if (typeof value !== 'string') throw invalid(`Invalid Simple-Condition: value must be a string: ${text}`);
    policy.conditions.push({ field: name.toLowerCase(), op: 'eq', value, text });
    return;
  }
  if (!Array.isArray(condition) || condition.length !== 3) {
    throw invalid(`Invalid Condition: ${text}`);
  }
  const [op, first, second] = condition as [unknown, unknown, unknown];
  const operator = typeof op === 'string' ? op.toLowerCase() : undefined;
  if (operator === 'content-length-range') {
    const min = Number(first);
    const max = Number(second);
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min) {
      throw invalid(`Invalid content-length-range: ${text}`);
    }
    policy.lengthRange = { min, max };
    return;
  }
  if (operator !== 'eq' && operator !== 'starts-with') throw invalid(`Invalid Condition: ${text}`);
  if (typeof first !== 'string' || !first.startsWith('$') || typeof second !== 'string') {
    throw invalid(`Invalid Condition: ${text}`);
  }
  policy.conditions.push({ field: first.slice(1).toLowerCase(), op: operator, value: second, text });
}

/**
 * Throws 403 AccessDenied unless the form meets the policy at `now`: not expired, every condition met
 * (`bucket` is the bucket addressed; a field the form lacks is empty), every field named by one.
 * `fields` are by lower-case name.
 */
export function checkPostPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  bucket: string,
  now: number,
): void {
  if (now >= policy.expiration.getTime()) throw denied('Policy expired.');
  for (const condition of policy.conditions) {
    const value = condition.field === 'bucket' ? bucket : (fields.get(condition.field) ?? '');
    const met = condition.op === 'eq' ? value === condition.value : value.startsWith(condition.value);
    if (!met) throw denied(`Policy Condition failed: ${condition.text}`);
  }
  const named = new Set(policy.conditions.map(({ field }) => field));
  for (const name of fields.keys()) {
    if (UNCONDITIONED.has(name) || name.startsWith('x-ignore-') || named.has(name)) continue;
    throw denied(`Extra input fields: ${name}`);
  }
}
