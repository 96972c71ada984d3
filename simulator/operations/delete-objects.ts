// DeleteObjects, `POST /bucket?delete` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html):
// up to 1000 keys in one XML body, every batch delete of every client. S3 requires the body's
// Content-MD5 or an x-amz-checksum-* value, and verifies it; each key is then deleted as DeleteObject
// deletes it (a key that is not there is deleted all the same), in the order listed. The answer lists
// every key deleted and every key that could not be, or, in quiet mode, only those that could not.
// The whole body is checked before any key is deleted, so a refused request changes nothing.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { keyProblem } from '../core/names.ts';
import { S3Error } from '../errors/s3-error.ts';
import { receiveUpload } from '../integrity/receive-upload.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

/** S3's limit on keys per request. */
const MAX_KEYS = 1000;
/** 1000 keys of 1024 bytes, each character escaped in the XML at worst as a six-byte reference, and room. */
const MAX_BODY = 8 * 1024 ** 2;

// Values untrimmed and unparsed: a key may start or end with spaces, and `007` is a key, not a number.
// Entities are XML's own, decoded here (xmlText): the parser knows numeric references only among HTML's.
const parser = new XMLParser({
  isArray: (name) => name === 'Object',
  parseTagValue: false,
  trimValues: false,
  ignoreAttributes: true,
  processEntities: false,
});

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Element text with XML's five named entities and its character references decoded. */
function xmlText(raw: string, bucket: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    const named = NAMED_ENTITIES[entity];
    if (named !== undefined) return named;
    const code = entity.startsWith('#x') ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    if (entity.startsWith('#') && code <= 0x10ffff) return String.fromCodePoint(code);
    throw new S3Error('MalformedXML', `the XML you provided names an unknown entity ${whole}`, { bucket });
  });
}

interface DeleteRequest {
  keys: string[];
  quiet: boolean;
}

export async function deleteObjects(context: Context, request: Request, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const asked = parseDelete(await readVerifiedBody(request, bucket), bucket);
  const results: XmlChild[] = [];
  for (const key of asked.keys) {
    const problem = keyProblem(key);
    if (problem !== undefined) {
      const code = key === '' ? 'InvalidArgument' : 'KeyTooLongError';
      results.push([
        'Error',
        [
          ['Key', key],
          ['Code', code],
          ['Message', problem],
        ],
      ]);
      continue;
    }
    await context.store.deleteObject(bucket, key);
    if (!asked.quiet) results.push(['Deleted', [['Key', key]]]);
  }
  return new Response(xmlDocument('DeleteResult', results), {
    headers: { 'content-type': 'application/xml' },
  });
}

/** The body, checked against its Content-MD5 or x-amz-checksum-* (one of them is required). */
async function readVerifiedBody(request: Request, bucket: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  try {
    const received = await receiveUpload(
      request,
      {
        write: (chunk) => {
          chunks.push(chunk);
        },
      },
      { maxSize: MAX_BODY },
    );
    if (!request.headers.has('content-md5') && received.checksum === undefined) {
      throw new S3Error(
        'InvalidRequest',
        'Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header over the body)',
        { bucket },
      );
    }
  } catch (error) {
    await request.body?.cancel().catch(() => undefined);
    if (error instanceof S3Error && error.fields.bucket === undefined) {
      throw new S3Error(error.code, error.message, { bucket });
    }
    throw error;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseDelete(text: string, bucket: string): DeleteRequest {
  const malformed = (why: string) =>
    new S3Error(
      'MalformedXML',
      `the XML you provided was not well-formed or did not validate against the Delete schema: ${why}`,
      { bucket },
    );
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformed('it is not XML');
  const root = (parser.parse(text) as Record<string, unknown>).Delete as Record<string, unknown> | undefined;
  const objects = root?.Object;
  if (!Array.isArray(objects) || objects.length === 0)
    throw malformed('a <Delete> holds one <Object> or more');
  if (objects.length > MAX_KEYS)
    throw malformed(`${objects.length} objects, at most ${MAX_KEYS} are allowed`);
  const keys = objects.map((raw) => {
    const object = raw as Record<string, unknown>;
    if (object.VersionId !== undefined) {
      throw new S3Error(
        'NotImplemented',
        'a VersionId in DeleteObjects is not implemented: the bucket keeps no versions',
        {
          bucket,
        },
      );
    }
    if (typeof object.Key !== 'string') throw malformed('every <Object> has one <Key>');
    return xmlText(object.Key, bucket);
  });
  const quiet = String(root?.Quiet ?? 'false')
    .trim()
    .toLowerCase();
  if (quiet !== 'true' && quiet !== 'false') throw malformed(`<Quiet> is true or false, not '${quiet}'`);
  return { keys, quiet: quiet === 'true' };
}
