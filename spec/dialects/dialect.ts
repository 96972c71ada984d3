// A vendor's own mirror-rule API as a translator to and from the neutral configuration of
// spec/mirror.openapi.yaml. Used twice: the simulator answers the vendor's calls through it, and the
// suite configures a real endpoint of that vendor through it. Pure: no I/O, no clock.

import type { MirrorConfigurationDocument } from '../model.ts';

/** A refusal as the vendor answers it: the vendor's status, error code and a message that says what to fix. */
export class DialectError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'DialectError';
    this.status = status;
    this.code = code;
  }
}

/** A neutral rule the vendor's API has no words for (a suffix condition at KS3, two origins in a JD rule). */
export class NotExpressible extends Error {
  /** The vendor whose API it is. */
  readonly dialect: string;
  /** The neutral field, as a path: `rules/0/condition/keySuffix`. */
  readonly field: string;

  constructor(dialect: string, field: string, message: string) {
    super(`${dialect} cannot express ${field}: ${message}`);
    this.name = 'NotExpressible';
    this.dialect = dialect;
    this.field = field;
  }
}

/**
 * Vendor fields that are accepted and read back but change nothing a mirror does (OBS `agency`, KS3
 * `version`). Opaque outside the dialect that wrote them; the simulator keeps them beside the neutral
 * configuration and hands them back to `render`.
 */
export type NativeExtras = Readonly<Record<string, unknown>>;

export interface NativeDocument {
  /** The rules as a neutral document, defaults not filled in. The neutral schema and checks run after. */
  configuration: MirrorConfigurationDocument;
  extras: NativeExtras;
  /** Objects the vendor writes into the bucket when this document is put (KS3 `use_default_robots`). */
  objects?: { key: string; contentType: string; body: string }[];
}

export interface Dialect {
  /** The vendor's id, its folder's name under spec/vendors/. */
  id: string;
  /** The vendor and the API's name, for messages: `Alibaba Cloud OSS PutBucketWebsite`. */
  title: string;
  /** Content-Type of the native body, in both directions. */
  contentType: string;
  /**
   * Native body to neutral document. Throws DialectError for a malformed body, a vendor limit or rule
   * the vendor enforces, and any field this model does not carry (by name, as the vendor's
   * not-implemented answer): never drops a field silently.
   */
  parse(body: string): NativeDocument;
  /**
   * Neutral document (defaults filled in or not) to native body, with the extras a `parse` returned.
   * Throws NotExpressible when a rule says something the vendor's API cannot.
   */
  render(configuration: MirrorConfigurationDocument, extras?: NativeExtras): string;
  /** The body of a successful GET, from what `render` wrote; absent, the rendered document itself. */
  getAnswer?(rendered: string, requestId: string): string;
  /** The vendor's answers for the simulator's own refusals. */
  errors: {
    /** GET or DELETE on a bucket without a configuration. */
    noConfiguration(bucket: string): DialectError;
    /** A document the vendor's API accepts in shape but whose neutral checks fail (limits, origins). */
    invalid(message: string): DialectError;
  };
  /** The vendor's error body: `{ contentType, body }`. */
  errorBody(
    error: DialectError,
    context: { requestId: string; resource: string },
  ): {
    contentType: string;
    body: string;
  };
  /** Status and body of a successful PUT; `unchanged` when the same rules were already in force (OBS: 200, else 201). */
  putAnswer(unchanged: boolean, requestId: string): { status: number; contentType?: string; body?: string };
  /** Status and body of a successful DELETE. */
  deleteAnswer(requestId: string): { status: number; contentType?: string; body?: string };
}
