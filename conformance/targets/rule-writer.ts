// How the suite puts mirror rules on a target: through the spec's neutral API, or through a vendor's own
// rule API (`check --dialect oss` sends OSS's own rule call), translated by that vendor's dialect. A rule the
// vendor's API has no words for cannot be put: the law's run is not applicable to the target.

import type { Dialect, NativeExtras } from '../../spec/dialects/dialect.ts';
import { type DialectId, ruleApiFor, ruleApiPath, vendorFor } from '../../spec/vendors/index.ts';
import type { HttpClient, HttpResult } from '../client/http-client.ts';
import type { S3Client } from '../client/s3-client.ts';
import { runSettingNamed } from '../support/run-config.ts';

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
interface NativeRuleWriterOptions {
  /** A rule API path that names a region (JD Cloud's) gets this one; default the vendor's own. */
  region?: string;
  /** Vendor fields every document carries (OBS needs an IAM `agency`); default the vendor's. */
  extras?: NativeExtras;
}

/**
 * The vendor fields every document of this vendor carries, as its record gives them; the simulator checks
 * no IAM, a real OBS does. `MIRRORSPEC_<VENDOR>_<FIELD>` (MIRRORSPEC_OBS_AGENCY) overrides a value.
 */
export function defaultExtras(id: DialectId): NativeExtras {
  const extras: Record<string, unknown> = { ...ruleApiFor(id).extras };
  for (const field of Object.keys(extras)) {
    const override = runSettingNamed(`MIRRORSPEC_${id}_${field}`.toUpperCase());
    if (override !== undefined) extras[field] = override;
  }
  return extras;
}

export function nativeRuleWriter(
  http: HttpClient,
  id: DialectId,
  options: NativeRuleWriterOptions = {},
): RuleWriter {
  const { address, dialect } = ruleApiFor(id);
  const vendor = vendorFor(id);
  const region = options.region ?? (vendor.region.kind === 'default' ? vendor.region.value : '');
  const path = (bucket: string) => ruleApiPath(address, bucket, region);
  return {
    api: id,
    put(bucket, rules) {
      // The document a law wrote is neutral and schema-shaped; the dialect refuses what it cannot say.
      const body = dialect.render(
        { rules } as Parameters<Dialect['render']>[0],
        options.extras ?? defaultExtras(id),
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
