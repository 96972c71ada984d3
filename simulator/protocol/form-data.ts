// A multipart/form-data body (RFC 7578) read as S3 reads a browser POST upload [s3-post-object]: the
// fields up to the one named `file` are read whole (bounded), the file's bytes are streamed as they
// arrive, and whatever follows the file is not read. The file is never buffered whole.

import { S3Error } from '../errors/s3-error.ts';

interface FormField {
  /** As sent; S3 matches field names without regard to case. */
  name: string;
  value: string;
}

export interface FormFile {
  /** The part's filename parameter, if any (a form's `${filename}`). */
  filename: string | undefined;
  /** The file's bytes, in the chunks they arrive in; rejects with MalformedPOSTRequest when cut short. */
  body: AsyncGenerator<Uint8Array>;
}

interface Form {
  fields: FormField[];
  /** Absent when the body ends without a `file` field. */
  file?: FormFile;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
/** The longest part headers read before a part's content begins. */
const MAX_PART_HEADERS = 8 * 1024;

function malformed(why: string): S3Error {
  return new S3Error(
    'MalformedPOSTRequest',
    `The body of your POST request is not well-formed multipart/form-data: ${why}`,
  );
}

/** The boundary of a `multipart/form-data` Content-Type, or undefined for any other. */
export function formBoundary(contentType: string | null): string | undefined {
  if (contentType === null) return undefined;
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const param of params) {
    const at = param.indexOf('=');
    if (param.slice(0, at).trim().toLowerCase() !== 'boundary') continue;
    const value = param
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (value.length >= 1 && value.length <= 70) return value;
  }
  return undefined;
}

/** Bytes from a stream, buffered as far as a reader asks. */
class Buffered {
  private buffer = Buffer.alloc(0);
  private ended = false;
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  get bytes(): Buffer {
    return this.buffer;
  }

  /** Reads one more chunk; false once the stream has ended. */
  async more(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length === 0 ? Buffer.from(value) : Buffer.concat([this.buffer, value]);
    return true;
  }

  /** The index of `needle`, reading until it is there or `limit` bytes are held without it. */
  async find(needle: Buffer, limit: number, from = 0): Promise<number> {
    for (;;) {
      const at = this.buffer.indexOf(needle, from);
      if (at !== -1) return at;
      if (this.buffer.length > limit || !(await this.more())) return -1;
    }
  }

  take(length: number): Buffer {
    const taken = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return taken;
  }

  cancel(): void {
    this.reader.cancel().catch(() => undefined);
  }
}

/** The name and filename of a part's Content-Disposition: form-data header. */
function disposition(headerText: string): { name: string; filename: string | undefined } {
  const line = headerText
    .split('\r\n')
    .find((header) => header.toLowerCase().startsWith('content-disposition:'));
  if (line === undefined) throw malformed('a part has no Content-Disposition');
  const param = (name: string) =>
    new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(line)?.[1] ??
    new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(line)?.[1];
  const name = param('name');
  if (name === undefined) throw malformed('a part has no name');
  return { name, filename: param('filename') };
}

/**
 * Reads `body` as multipart/form-data with `boundary`: the fields before `file` (at most `maxPreData`
 * bytes of them, else 400 MaxPostPreDataLengthExceededError), and the file as a stream.
 */
export async function readForm(
  body: ReadableStream<Uint8Array> | null,
  boundary: string,
  maxPreData: number,
): Promise<Form> {
  if (body === null) throw malformed('the body is empty');
  const input = new Buffered(body.getReader());
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const start = await input.find(opening, maxPreData);
  if (start === -1) throw malformed('no boundary opens the body');
  input.take(start + opening.length);
  const fields: FormField[] = [];
  let read = 0;
  for (;;) {
    // After a boundary: `--` ends the body, CRLF opens a part.
    while (input.bytes.length < 2 && (await input.more())) {}
    if (input.bytes.subarray(0, 2).toString() === '--') break;
    if (!input.bytes.subarray(0, 2).equals(CRLF)) throw malformed('a boundary is not followed by CRLF');
    input.take(2);
    const headersEnd = await input.find(HEADERS_END, MAX_PART_HEADERS);
    if (headersEnd === -1) throw malformed('a part has no end to its headers');
    const { name, filename } = disposition(input.take(headersEnd + HEADERS_END.length).toString('utf8'));
    if (name.toLowerCase() === 'file') {
      return { fields, file: { filename, body: fileBytes(input, delimiter) } };
    }
    const end = await input.find(delimiter, maxPreData - read);
    if (end === -1) {
      if (input.bytes.length > maxPreData - read) {
        input.cancel();
        throw new S3Error(
          'MaxPostPreDataLengthExceededError',
          `Your POST request fields preceding the upload file were too large: at most ${maxPreData} bytes`,
        );
      }
      throw malformed(`the field '${name}' has no closing boundary`);
    }
    read += headersEnd + end;
    fields.push({ name, value: input.take(end).toString('utf8') });
    input.take(delimiter.length);
  }
  input.cancel();
  return { fields };
}

/** The file part's bytes up to the delimiter; the rest of the body is not read. */
async function* fileBytes(input: Buffered, delimiter: Buffer): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      const at = input.bytes.indexOf(delimiter);
      if (at !== -1) {
        if (at > 0) yield new Uint8Array(input.take(at));
        return;
      }
      // Hold back what could be the start of the delimiter.
      const safe = input.bytes.length - (delimiter.length - 1);
      if (safe > 0) yield new Uint8Array(input.take(safe));
      if (!(await input.more())) throw malformed('the file has no closing boundary');
    }
  } finally {
    input.cancel();
  }
}
