// The judgement of s3.list-object-versions through the AWS SDK: written once, run by the law against the
// target and by list-object-versions-fault.test.ts against a simulator with a planted fault.

import { ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';

export interface VersionsSample {
  keys: string[];
  maxKeys: number;
  delimiter: boolean;
}

/** What the listing must give, in order: each key under no delimiter, else each key or common prefix. */
function expected(keys: readonly string[], delimiter: boolean): { versions: string[]; prefixes: string[] } {
  const sorted = [...new Set(keys)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (!delimiter) return { versions: sorted, prefixes: [] };
  const prefixes = new Set<string>();
  const versions: string[] = [];
  for (const key of sorted) {
    const cut = key.indexOf('/');
    if (cut === -1) versions.push(key);
    else prefixes.add(key.slice(0, cut + 1));
  }
  return { versions, prefixes: [...prefixes] };
}

/** Stores the keys, then pages through ListObjectVersions by its markers, at most 200 pages. */
export async function judgeListObjectVersions(s3: S3Client, bucket: string, sample: VersionsSample) {
  for (const key of new Set(sample.keys)) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  }
  const versions: string[] = [];
  const prefixes: string[] = [];
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (let page = 0; page < 200; page += 1) {
    const listed = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        MaxKeys: sample.maxKeys,
        ...(sample.delimiter ? { Delimiter: '/' } : {}),
        ...markers,
      }),
    );
    for (const version of listed.Versions ?? []) {
      expect({ id: version.VersionId, latest: version.IsLatest }, 'the one version of an object').toEqual({
        id: 'null',
        latest: true,
      });
      versions.push(version.Key ?? '');
    }
    prefixes.push(...(listed.CommonPrefixes ?? []).map((common) => common.Prefix ?? ''));
    const count = (listed.Versions?.length ?? 0) + (listed.CommonPrefixes?.length ?? 0);
    expect(count, 'a page holds at most max-keys entries').toBeLessThanOrEqual(sample.maxKeys);
    if (!listed.IsTruncated) break;
    markers = { KeyMarker: listed.NextKeyMarker, VersionIdMarker: listed.NextVersionIdMarker };
  }
  expect({ versions, prefixes }, 'every key and common prefix once, in key order').toEqual(
    expected(sample.keys, sample.delimiter),
  );
}
