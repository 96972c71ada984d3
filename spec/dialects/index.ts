// Every vendor dialect, by id and by the address its calls arrive at.

import { cosDialect } from './cos.ts';
import type { Dialect, DialectId } from './dialect.ts';
import { jdcloudDialect } from './jdcloud.ts';
import { ks3Dialect } from './ks3.ts';
import { obsDialect } from './obs.ts';
import { ossDialect } from './oss.ts';

const DIALECTS: Record<DialectId, Dialect> = {
  oss: ossDialect,
  ks3: ks3Dialect,
  obs: obsDialect,
  cos: cosDialect,
  jdcloud: jdcloudDialect,
};

export const dialectIds = Object.keys(DIALECTS) as DialectId[];

export function dialectFor(id: DialectId): Dialect {
  return DIALECTS[id];
}

/** The bucket subresource each dialect's calls use (`PUT /?website` is OSS); JD Cloud uses its OpenAPI path. */
export const DIALECT_SUBRESOURCES = {
  website: 'oss',
  mirror: 'ks3',
  mirrorBackToSource: 'obs',
  origin: 'cos',
} as const satisfies Record<string, DialectId>;

/** JD Cloud's rule API: `/v1/regions/{regionId}/buckets/{bucketName}/backSource` [jd-api]. */
export const JDCLOUD_BACK_SOURCE_PATH = /^\/v1\/regions\/([^/]+)\/buckets\/([^/]+)\/backSource$/;

export function isDialectId(value: string): value is DialectId {
  return (dialectIds as readonly string[]).includes(value);
}
