// The one S3 error type. Operations throw it; one function renders it (protocol/render-error.ts).
// Codes and statuses come from the spec's ErrorCode table.

import { type ErrorCode, errorStatus } from '../../spec/model.ts';

interface S3ErrorFields {
  bucket?: string;
  key?: string;
  resource?: string;
  /** The region a request should have been signed for: S3's <Region>, which clients retry with. */
  region?: string;
}

export class S3Error extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: S3ErrorFields;

  constructor(code: ErrorCode, message: string, fields: S3ErrorFields = {}) {
    super(message);
    this.name = 'S3Error';
    this.code = code;
    this.status = errorStatus[code];
    this.fields = fields;
  }
}
