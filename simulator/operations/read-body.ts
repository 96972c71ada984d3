import { S3Error } from '../errors/s3-error.ts';

/** Reads a small request body whole (configuration documents), refusing one above `limit` bytes. */
export async function readSmallBody(request: Request, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not cancelled: that would destroy the connection before the error is sent. The adapter closes
      // the connection after answering instead of reading the rest.
      reader.releaseLock();
      throw new S3Error('MaxMessageLengthExceeded', `the request body is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
