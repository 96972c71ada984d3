// CompleteMultipartUpload: the listed parts become the object, whole and at once
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html). The parts are
// checked first (ascending order, known ETags, every part but the last at least 5 MiB); then the object
// is written to the store and committed, so no reader ever sees part of it (nothing is visible before the
// commit), and the commit bumps the key's generation, so a mirror fetch in flight loses to it as it loses
// to a PUT.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/s3-error.ts';
import { type ChecksumAlgorithm, newDigest } from '../integrity/checksums.ts';
import { xmlDocument } from '../protocol/xml.ts';
import type { StoredPart, Upload } from '../storage/part-store.ts';
import { checkWriteCondition, conditionalConflict } from './conditional-write.ts';
import type { Context } from './context.ts';
import { readSmallBody } from './read-body.ts';

/** The smallest part but the last: 5 MiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
const MIN_PART_SIZE = 5 * 1024 ** 2;
/** 10,000 parts of about 150 bytes of XML each, with room to spare. */
const MAX_COMPLETE_BODY = 4 * 1024 ** 2;
const CHECKSUM_ELEMENTS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'].map((name) => `Checksum${name}`);

const parser = new XMLParser({ isArray: (name) => name === 'Part', parseTagValue: false, trimValues: true });

interface ListedPart {
  partNumber: number;
  etag: string;
  checksum?: string;
}

export async function completeMultipartUpload(
  context: Context,
  request: Request,
  upload: Upload,
): Promise<Response> {
  const listed = parseCompleteBody(await readSmallBody(request, MAX_COMPLETE_BODY), upload);
  const condition = await checkWriteCondition(context, request, upload.bucket, upload.key);
  const parts = chosenParts(upload, listed);
  const where = { bucket: upload.bucket, key: upload.key };
  const etag = multipartEtag(parts);
  const algorithm = upload.checksum?.algorithm as ChecksumAlgorithm | undefined;
  const whole = upload.checksum?.type === 'FULL_OBJECT' && algorithm ? newDigest(algorithm) : undefined;
  const size = parts.reduce((total, part) => total + part.size, 0);
  const writer = await context.store.beginWrite(upload.bucket, upload.key, { expectedSize: size });
  try {
    for (const part of parts) {
      for (const chunk of part.chunks) {
        await writer.write(chunk);
        whole?.update(chunk);
      }
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const checksum =
    algorithm === undefined || upload.checksum === undefined
      ? undefined
      : {
          algorithm,
          type: upload.checksum.type,
          value: whole ? whole.digest().toString('base64') : compositeChecksum(algorithm, parts),
        };
  const stored = await writer.commit(
    { ...upload.meta, ...(checksum ? { checksum } : {}) },
    { etag, ...condition },
  );
  if (
    stored === undefined &&
    condition.ifGeneration !== undefined &&
    (await context.store.hasBucket(upload.bucket))
  )
    throw conditionalConflict(upload.bucket, upload.key);
  if (stored === undefined)
    throw new S3Error('NoSuchBucket', `the bucket '${upload.bucket}' was deleted`, where);
  context.parts.remove(upload);
  const body = xmlDocument('CompleteMultipartUploadResult', [
    ['Location', `/${upload.bucket}/${upload.key.split('/').map(encodeURIComponent).join('/')}`],
    ['Bucket', upload.bucket],
    ['Key', upload.key],
    ['ETag', etag],
    [`Checksum${checksum?.algorithm ?? ''}`, checksum?.value],
    ['ChecksumType', checksum?.type],
  ]);
  return new Response(body, { status: 200, headers: { 'content-type': 'application/xml' } });
}

function parseCompleteBody(body: Uint8Array, upload: Upload): ListedPart[] {
  const text = Buffer.from(body).toString('utf8');
  const where = { bucket: upload.bucket, key: upload.key };
  const malformed = () =>
    new S3Error(
      'MalformedXML',
      'the XML you provided was not well-formed or did not validate against the CompleteMultipartUpload schema',
      where,
    );
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformed();
  const root = (parser.parse(text) as Record<string, unknown>).CompleteMultipartUpload;
  const parts = (root as { Part?: unknown[] } | undefined)?.Part;
  if (!Array.isArray(parts) || parts.length === 0) throw malformed();
  return parts.map((raw) => {
    const part = raw as Record<string, unknown>;
    const number = String(part.PartNumber ?? '');
    if (!/^\d+$/.test(number) || typeof part.ETag !== 'string') throw malformed();
    const element = CHECKSUM_ELEMENTS.find((name) => typeof part[name] === 'string');
    const checksum = element === undefined ? undefined : String(part[element]);
    return { partNumber: Number(number), etag: part.ETag, ...(checksum ? { checksum } : {}) };
  });
}

/** The stored parts the list names, in its order, checked as S3 checks them. */
function chosenParts(upload: Upload, listed: ListedPart[]): StoredPart[] {
  const where = { bucket: upload.bucket, key: upload.key };
  const chosen: StoredPart[] = [];
  listed.forEach((entry, index) => {
    const previous = listed[index - 1];
    if (previous !== undefined && entry.partNumber <= previous.partNumber) {
      throw new S3Error(
        'InvalidPartOrder',
        'the list of parts was not in ascending order: parts must be ordered by part number',
        where,
      );
    }
    const part = upload.parts.get(entry.partNumber);
    const etag = part === undefined ? undefined : part.md5.toString('hex');
    if (part === undefined || entry.etag.replace(/^"|"$/g, '').toLowerCase() !== etag) {
      throw invalidPart(entry.partNumber, where);
    }
    if (upload.checksum?.type === 'COMPOSITE') {
      if (entry.checksum === undefined) {
        throw new S3Error(
          'InvalidRequest',
          `the upload was created with a ${upload.checksum.algorithm} checksum: the complete request must include the checksum of each part`,
          where,
        );
      }
      if (entry.checksum !== part.checksum) throw invalidPart(entry.partNumber, where);
    }
    chosen.push(part);
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_SIZE) {
      throw new S3Error(
        'EntityTooSmall',
        `your proposed upload is smaller than the minimum allowed object size: part ${part.partNumber} has ${part.size} bytes, every part but the last needs ${MIN_PART_SIZE}`,
        where,
      );
    }
  });
  return chosen;
}

function invalidPart(partNumber: number, where: { bucket: string; key: string }): S3Error {
  return new S3Error(
    'InvalidPart',
    `one or more of the specified parts could not be found: part ${partNumber} was not uploaded, or its entity tag or checksum does not match`,
    where,
  );
}

/** The `-N` ETag: the MD5 of the parts' binary MD5s, then the part count (how S3 forms it). */
function multipartEtag(parts: StoredPart[]): string {
  const digest = newDigest('MD5');
  for (const part of parts) digest.update(part.md5);
  return `"${digest.digest().toString('hex')}-${parts.length}"`;
}

/** The checksum of checksums: the algorithm over the parts' binary checksums, then `-N`. */
function compositeChecksum(algorithm: ChecksumAlgorithm, parts: StoredPart[]): string {
  const digest = newDigest(algorithm);
  for (const part of parts) digest.update(Buffer.from(part.checksum ?? '', 'base64'));
  return `${digest.digest().toString('base64')}-${parts.length}`;
}
