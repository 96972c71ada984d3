// Every vendor dialect, by id and by the address its calls arrive at.

import type { Dialect, DialectId } from './dialect.ts';
import { jdcloudDialect } from './jdcloud.ts';
import { ks3Dialect } from './ks3.ts';
import { obsDialect } from './obs.ts';

const DIALECTS: Partial<Record<DialectId, Dialect>> = {
  ks3: ks3Dialect,
  obs: obsDialect,
  jdcloud: jdcloudDialect,
};

export const dialectIds: readonly DialectId[] = ['oss', 'ks3', 'obs', 'cos', 'jdcloud'];

export function dialectFor(id: DialectId): Dialect {
  const dialect = DIALECTS[id];
  if (dialect === undefined) throw new Error(`the ${id} dialect is not available`);
  return dialect;
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
