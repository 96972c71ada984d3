// Bucket lifecycle configurations, the part the simulator honours [s3-lifecycle]: rules that abort
// incomplete multipart uploads some days after they were initiated (AbortIncompleteMultipartUpload),
// for the keys under a prefix. Every other action or filter (Expiration, Transition, the noncurrent
// version actions, tag and size filters) is refused with 501, so a stored configuration is one the
// simulator carries out whole. Pure: no I/O, the clock given.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/s3-error.ts';

interface LifecycleRule {
  id: string;
  prefix: string;
  /** The prefix was given as the rule's own Prefix (S3's older form), not in a Filter. */
  legacyPrefix: boolean;
  enabled: boolean;
  daysAfterInitiation: number;
}

const MAX_RULES = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const HONOURED = new Set(['ID', 'Prefix', 'Filter', 'Status', 'AbortIncompleteMultipartUpload']);

const parser = new XMLParser({ isArray: (name) => name === 'Rule', parseTagValue: false, trimValues: true });

function malformed(why: string): S3Error {
  return new S3Error(
    'MalformedXML',
    `The XML you provided was not well-formed or did not validate against our published schema: ${why}`,
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : value === undefined ? undefined : '';
}

function readRule(raw: unknown, index: number): LifecycleRule {
  if (typeof raw !== 'object' || raw === null) throw malformed(`rule ${index + 1} is empty`);
  const rule = raw as Record<string, unknown>;
  for (const name of Object.keys(rule)) {
    if (!HONOURED.has(name))
      throw new S3Error(
        'NotImplemented',
        `the lifecycle element ${name} is not implemented: only AbortIncompleteMultipartUpload is`,
      );
  }
  const status = text(rule.Status);
  if (status !== 'Enabled' && status !== 'Disabled')
    throw malformed(`rule ${index + 1}: Status is Enabled or Disabled`);
  const id = text(rule.ID) ?? `rule-${index + 1}`;
  if (id.length > 255)
    throw new S3Error('InvalidArgument', 'ID length should not exceed allowed limit of 255');
  let prefix = text(rule.Prefix);
  if (rule.Filter !== undefined) {
    if (prefix !== undefined) throw malformed(`rule ${index + 1} has both Prefix and Filter`);
    const filter = (typeof rule.Filter === 'object' && rule.Filter !== null ? rule.Filter : {}) as Record<
      string,
      unknown
    >;
    for (const name of Object.keys(filter)) {
      if (name !== 'Prefix')
        throw new S3Error(
          'NotImplemented',
          `the lifecycle filter ${name} is not implemented: only Prefix is`,
        );
    }
    prefix = text(filter.Prefix) ?? '';
  }
  const abort = rule.AbortIncompleteMultipartUpload as Record<string, unknown> | undefined;
  if (abort === undefined) {
    throw new S3Error('InvalidRequest', 'At least one action needs to be specified in a rule');
  }
  const days = text(abort.DaysAfterInitiation) ?? '';
  if (!/^\d+$/.test(days) || Number(days) < 1) {
    throw new S3Error(
      'InvalidArgument',
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
    );
  }
  return {
    id,
    prefix: prefix ?? '',
    legacyPrefix: rule.Filter === undefined,
    enabled: status === 'Enabled',
    daysAfterInitiation: Number(days),
  };
}

/** Reads a LifecycleConfiguration; 400 when it is not one, 501 for what the simulator does not honour. */
export function parseLifecycle(xml: string): LifecycleRule[] {
  if (xml.trim() === '' || XMLValidator.validate(xml) !== true) throw malformed('not XML');
  const root = (parser.parse(xml) as Record<string, { Rule?: unknown[] } | undefined>).LifecycleConfiguration;
  const rules = root?.Rule;
  if (rules === undefined || rules.length === 0)
    throw malformed('a LifecycleConfiguration holds 1 to 1000 Rule elements');
  if (rules.length > MAX_RULES) throw malformed(`at most ${MAX_RULES} rules`);
  const parsed = rules.map(readRule);
  const ids = new Set(parsed.map(({ id }) => id));
  if (ids.size !== parsed.length)
    throw new S3Error('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule');
  return parsed;
}

/**
 * When an upload initiated at `initiated` is aborted by `rule`: its days added, rounded up to the next
 * midnight UTC, as S3 counts lifecycle days.
 */
function abortTime(initiated: Date, rule: LifecycleRule): number {
  const due = initiated.getTime() + rule.daysAfterInitiation * DAY_MS;
  return Math.ceil(due / DAY_MS) * DAY_MS;
}

/** Whether an enabled rule has aborted the upload of `key` initiated at `initiated`, by `now`. */
export function abortedByLifecycle(
  rules: readonly LifecycleRule[],
  key: string,
  initiated: Date,
  now: Date,
): boolean {
  return rules.some(
    (rule) => rule.enabled && key.startsWith(rule.prefix) && now.getTime() >= abortTime(initiated, rule),
  );
}

/** The buckets' lifecycle rules, in memory; reset with the simulator. */
export class BucketLifecycles {
  private readonly rules = new Map<string, readonly LifecycleRule[]>();

  get(bucket: string): readonly LifecycleRule[] | undefined {
    return this.rules.get(bucket);
  }

  set(bucket: string, rules: readonly LifecycleRule[]): void {
    this.rules.set(bucket, rules);
  }

  delete(bucket: string): void {
    this.rules.delete(bucket);
  }

  reset(): void {
    this.rules.clear();
  }
}
