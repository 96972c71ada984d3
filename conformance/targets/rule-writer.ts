// How the suite puts mirror rules on a target: through the spec's neutral API, or through a vendor's own
// rule API (`check --dialect oss` sends `PUT /?website`), translated by that vendor's dialect. A rule the
// vendor's API has no words for cannot be put: the law's run is not applicable to the target.

import type { Dialect, DialectId, NativeExtras } from '../../spec/dialects/dialect.ts';
import type { HttpClient, HttpRequest, HttpResult } from '../client/http-client.ts';
import type { S3Client } from '../client/s3-client.ts';

/** Rules a target cannot take: its rules are fixed (`check --static-rules`). */
export class RulesNotWritable extends Error {
  override name = 'RulesNotWritable';
}

export interface RuleWriter {
  /** `neutral`, the vendor whose own API carries the rules, or `static` for rules fixed out of band. */
  readonly api: 'neutral' | DialectId | 'static';
  /** Puts the neutral `rules` on the bucket. Throws NotExpressible when the vendor's API cannot say them. */
  put(bucket: string, rules: unknown[]): Promise<HttpResult>;
  /** Removes the bucket's rules. */
  delete(bucket: string): Promise<HttpResult>;
}

export function neutralRuleWriter(client: S3Client): RuleWriter {
  return {
    api: 'neutral',
    put: (bucket, rules) => client.putMirror(bucket, { rules }),
    delete: (bucket) => client.deleteMirror(bucket),
  };
}

/** Signing, if any, is the HttpClient's (its `prepare`): a vendor target's client signs every request. */
export interface NativeRuleWriterOptions {
  /** JD Cloud's OpenAPI path names a region; default `cn-north-1`. */
  region?: string;
  /** Vendor fields every document carries (OBS needs an IAM `agency`). */
  extras?: NativeExtras;
}

/** What each vendor's documents need beyond the rules; the simulator checks no IAM, a real OBS does. */
export function defaultExtras(dialect: DialectId): NativeExtras {
  return dialect === 'obs' ? { agency: process.env.MIRRORSPEC_OBS_AGENCY ?? 'mirrorspec-agency' } : {};
}

export function nativeRuleWriter(
  http: HttpClient,
  dialect: Dialect,
  options: NativeRuleWriterOptions = {},
): RuleWriter {
  const path = (bucket: string) =>
    dialect.address.kind === 'subresource'
      ? `/${bucket}?${dialect.address.name}`
      : `/v1/regions/${options.region ?? 'cn-north-1'}/buckets/${bucket}/backSource`;
  return {
    api: dialect.id,
    put(bucket, rules) {
      // The document a law wrote is neutral and schema-shaped; the dialect refuses what it cannot say.
      const body = dialect.render(
        { rules } as Parameters<Dialect['render']>[0],
        options.extras ?? defaultExtras(dialect.id),
      );
      return http.send({
        method: 'PUT',
        path: path(bucket),
        body,
        headers: { 'content-type': dialect.contentType },
      });
    },
    delete: (bucket) => http.send({ method: 'DELETE', path: path(bucket) }),
  };
}
