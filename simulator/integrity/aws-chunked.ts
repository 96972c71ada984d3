// The aws-chunked content encoding of streamed uploads: `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`
// chunks, a zero-size chunk, then trailer lines (`x-amz-checksum-crc32:<base64>`, and for signed
// trailers `x-amz-trailer-signature:<sig>`) and an empty line
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html).
// Decoded as it arrives: a chunk's bytes are passed on before its signature is checked at its end, which
// is safe because nothing is stored before the whole body has been read and checked.

import { createHash } from 'node:crypto';
import { S3Error } from '../errors/s3-error.ts';
import type { ChunkSignatureChain } from '../protocol/auth/chunk-signature.ts';

/** Longest chunk header or trailer line accepted: a size, a 64-digit signature and some slack. */
const MAX_LINE = 4096;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

interface ChunkedOptions {
  /** Every chunk header must carry a chunk-signature (the signed streaming payloads). */
  signed: boolean;
  /** Checks each signature against the key; absent when the simulator runs without credentials. */
  chain?: ChunkSignatureChain;
  /** Filled with the trailer's headers, lower-case names, once the body has been read. */
  trailers: Map<string, string>;
}

/** The decoded payload of an aws-chunked body. Throws an S3Error on any malformed or mis-signed part. */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  options: ChunkedOptions,
): AsyncGenerator<Uint8Array> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  for (;;) {
    const { size, signature } = parseChunkHeader(await reader.line(), options.signed);
    const hash = options.chain ? createHash('sha256') : undefined;
    for (let left = size; left > 0; ) {
      const piece = await reader.take(left);
      hash?.update(piece);
      left -= piece.byteLength;
      yield piece;
    }
    if (options.chain && hash) options.chain.verifyChunk(signature ?? '', hash.digest('hex'));
    if (size === 0) break;
    if ((await reader.line()) !== '') throw malformed('a chunk is not followed by CRLF');
  }
  await readTrailers(reader, options);
  if (!(await reader.atEnd())) throw malformed('bytes follow the end of the aws-chunked body');
}

function parseChunkHeader(line: string, signed: boolean): { size: number; signature?: string } {
  const match = /^([0-9a-fA-F]{1,15})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(line);
  if (!match?.[1])
    throw malformed(`the chunk header '${line.slice(0, 100)}' is not <hex size>[;chunk-signature=<64 hex>]`);
  if (signed && match[2] === undefined) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'a signed streaming upload sent a chunk without chunk-signature',
    );
  }
  return { size: Number.parseInt(match[1], 16), ...(match[2] === undefined ? {} : { signature: match[2] }) };
}

async function readTrailers(reader: ByteReader, options: ChunkedOptions): Promise<void> {
  let signature: string | undefined;
  let signedText = '';
  for (;;) {
    // A body may end right after the last chunk when it has no trailer.
    if (await reader.atEnd()) break;
    const line = await reader.line();
    if (line === '') break;
    const at = line.indexOf(':');
    if (at <= 0) throw malformed(`the trailer line '${line.slice(0, 100)}' is not <name>:<value>`);
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    if (name === TRAILER_SIGNATURE) signature = value;
    else {
      options.trailers.set(name, value);
      signedText += `${name}:${value}\n`;
    }
  }
  if (options.chain && options.signed && options.trailers.size > 0) {
    options.chain.verifyTrailer(signature ?? '', signedText);
  }
}

function malformed(detail: string): S3Error {
  return new S3Error('IncompleteBody', `the aws-chunked body is malformed: ${detail}`);
}

/** Lines and byte runs over a stream of chunks, holding at most one line or one input chunk. */
class ByteReader {
  private buffer: Uint8Array = new Uint8Array();
  private done = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buffer = this.buffer.byteLength === 0 ? next.value : Buffer.concat([this.buffer, next.value]);
    return true;
  }

  async atEnd(): Promise<boolean> {
    while (this.buffer.byteLength === 0) if (!(await this.fill())) return true;
    return false;
  }

  /** The next line without its CRLF. */
  async line(): Promise<string> {
    for (;;) {
      const at = Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength).indexOf(
        '\r\n',
      );
      if (at !== -1) {
        const text = Buffer.from(this.buffer.subarray(0, at)).toString('latin1');
        this.buffer = this.buffer.subarray(at + 2);
        return text;
      }
      if (this.buffer.byteLength > MAX_LINE) throw malformed(`a line is longer than ${MAX_LINE} bytes`);
      if (!(await this.fill())) throw new S3Error('IncompleteBody', 'the aws-chunked body ended early');
    }
  }

  /** Up to `max` bytes, at least one. */
  async take(max: number): Promise<Uint8Array> {
    if (this.buffer.byteLength === 0 && !(await this.fill())) {
      throw new S3Error('IncompleteBody', 'the aws-chunked body ended inside a chunk');
    }
    const piece = this.buffer.subarray(0, max);
    this.buffer = this.buffer.subarray(piece.byteLength);
    return piece;
  }
}
