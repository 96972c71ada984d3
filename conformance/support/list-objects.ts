// ListObjectsV2 read as values: one page parsed, or every page followed through its continuation tokens.
// Keys are asked for URL-encoded, so any key survives the XML.

import { expect } from 'vitest';
import type { S3Client } from '../client/s3-client.ts';

interface ListedEntry {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  storageClass: string;
}

interface ListPage {
  contents: ListedEntry[];
  commonPrefixes: string[];
  keyCount: number;
  isTruncated: boolean;
  nextContinuationToken: string | undefined;
}

export interface ListParams {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  continuationToken?: string;
}

/** Numeric and the five named XML entities; the only escapes an S3 listing uses. */
function unescapeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity] ?? '';
  });
}

/** The text of the first `<name>` element, unescaped. */
export function xmlField(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1]);
}

export async function listPage(client: S3Client, bucket: string, params: ListParams = {}): Promise<ListPage> {
  const query = [
    'list-type=2',
    'encoding-type=url',
    ...(params.prefix !== undefined ? [`prefix=${encodeURIComponent(params.prefix)}`] : []),
    ...(params.delimiter !== undefined ? [`delimiter=${encodeURIComponent(params.delimiter)}`] : []),
    ...(params.maxKeys !== undefined ? [`max-keys=${params.maxKeys}`] : []),
    ...(params.continuationToken !== undefined
      ? [`continuation-token=${encodeURIComponent(params.continuationToken)}`]
      : []),
  ].join('&');
  const result = await client.http.send({ method: 'GET', path: `/${bucket}?${query}` });
  const xml = Buffer.from(result.body).toString('utf8');
  expect(result.status, xml).toBe(200);
  const decode = (raw: string | undefined) => decodeURIComponent((raw ?? '').replaceAll('+', ' '));
  const contents = [...xml.matchAll(/<Contents>(.*?)<\/Contents>/gs)].map(([, entry = '']) => ({
    key: decode(xmlField(entry, 'Key')),
    size: Number(xmlField(entry, 'Size')),
    etag: xmlField(entry, 'ETag') ?? '',
    lastModified: xmlField(entry, 'LastModified') ?? '',
    storageClass: xmlField(entry, 'StorageClass') ?? '',
  }));
  const commonPrefixes = [...xml.matchAll(/<CommonPrefixes>(.*?)<\/CommonPrefixes>/gs)].map(
    ([, entry = '']) => decode(xmlField(entry, 'Prefix')),
  );
  return {
    contents,
    commonPrefixes,
    keyCount: Number(xmlField(xml, 'KeyCount') ?? Number.NaN),
    isTruncated: xmlField(xml, 'IsTruncated') === 'true',
    nextContinuationToken: xmlField(xml, 'NextContinuationToken'),
  };
}

/** The listed entry for exactly `key`, or undefined. */
export async function listedEntry(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<ListedEntry | undefined> {
  const page = await listPage(client, bucket, { prefix: key, maxKeys: 1000 });
  return page.contents.find((entry) => entry.key === key);
}
