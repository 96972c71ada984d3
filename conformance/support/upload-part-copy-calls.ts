// The judgement of s3.upload-part-copy, spoken through the AWS SDK: written once, run by the law against
// the target and by upload-part-copy-fault.test.ts against simulators with a planted fault.

import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'vitest';

/** One run: a source of `extra` bytes past 5 MiB, part 1 a 5 MiB slice from `offset`, part 2 `last`. */
export interface CopySample {
  extra: number;
  offset: number;
  /** Part 2's range, or undefined for the whole source. */
  last: { start: number; end: number } | undefined;
}

const MIB5 = 5 * 1024 ** 2;

/** Bytes that differ at every offset within a few MiB, so a misplaced slice never hashes the same. */
function sourceBytes(size: number): Buffer {
  const bytes = Buffer.alloc(Math.ceil(size / 4) * 4);
  for (let index = 0; index < size; index += 4) bytes.writeUInt32LE(index, index);
  return bytes.subarray(0, size);
}

const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/**
 * Copies two parts out of a stored source (one by a 5 MiB range, one by `last`), checks each part's
 * ETag and the completed object's bytes; then the refusals: a range past the end, a malformed range and
 * an if-match that fails, none of which adds a part.
 */
export async function judgeUploadPartCopy(s3: S3Client, bucket: string, sample: CopySample) {
  const source = sourceBytes(MIB5 + sample.extra);
  const sourceEtag = await putSource(s3, bucket, source);
  const copySource = `${bucket}/source%20object`;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copied' }));
  const where = { Bucket: bucket, Key: 'copied', UploadId, CopySource: copySource };
  const first = source.subarray(sample.offset, sample.offset + MIB5);
  const part1 = await s3.send(
    new UploadPartCopyCommand({
      ...where,
      PartNumber: 1,
      CopySourceRange: `bytes=${sample.offset}-${sample.offset + MIB5 - 1}`,
    }),
  );
  expect(part1.CopyPartResult?.ETag, 'the ranged part is the MD5 of those bytes').toBe(md5(first));
  const second = sample.last === undefined ? source : source.subarray(sample.last.start, sample.last.end + 1);
  const range = sample.last && `bytes=${sample.last.start}-${sample.last.end}`;
  const part2 = await s3.send(
    new UploadPartCopyCommand({
      ...where,
      PartNumber: 2,
      CopySourceIfMatch: sourceEtag,
      ...(range ? { CopySourceRange: range } : {}),
    }),
  );
  expect(part2.CopyPartResult?.ETag, 'the second part is the MD5 of its bytes').toBe(md5(second));
  await expectRefusals(s3, where, source.byteLength);
  const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'copied', UploadId }));
  expect(
    listed.Parts?.map((part) => part.PartNumber),
    'refused copies add no part',
  ).toEqual([1, 2]);
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'copied',
      UploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: part1.CopyPartResult?.ETag },
          { PartNumber: 2, ETag: part2.CopyPartResult?.ETag },
        ],
      },
    }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied' }));
  const body = await got.Body?.transformToByteArray();
  expect(md5(body ?? new Uint8Array()), 'the object is the copied parts in order').toBe(
    md5(Buffer.concat([first, second])),
  );
}

/**
 * The source, stored by a multipart upload of its own (a PUT may be capped below 5 MiB: the suite's is);
 * its ETag.
 */
async function putSource(s3: S3Client, bucket: string, source: Buffer) {
  const key = { Bucket: bucket, Key: 'source object' };
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand(key));
  const pieces = [source.subarray(0, MIB5), source.subarray(MIB5)].filter((piece) => piece.length > 0);
  const Parts = [];
  for (const [index, Body] of pieces.entries()) {
    const sent = await s3.send(new UploadPartCommand({ ...key, UploadId, PartNumber: index + 1, Body }));
    Parts.push({ PartNumber: index + 1, ETag: sent.ETag });
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({ ...key, UploadId, MultipartUpload: { Parts } }),
  );
  return done.ETag;
}

async function expectRefusals(
  s3: S3Client,
  where: { Bucket: string; Key: string; UploadId: string | undefined; CopySource: string },
  size: number,
) {
  const refused = async (extra: Record<string, string>, status: number, code: string, why: string) => {
    const error = await s3.send(new UploadPartCopyCommand({ ...where, PartNumber: 3, ...extra })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, why).toBeInstanceOf(S3ServiceException);
    const answer = error as S3ServiceException;
    expect({ status: answer.$metadata.httpStatusCode, code: answer.name }, why).toEqual({ status, code });
  };
  await refused({ CopySourceRange: `bytes=0-${size}` }, 416, 'InvalidRange', 'a range past the end');
  await refused({ CopySourceRange: 'bytes=0-' }, 400, 'InvalidArgument', 'an open-ended range');
  await refused({ CopySourceIfMatch: '"0"' }, 412, 'PreconditionFailed', 'an if-match that fails');
}
