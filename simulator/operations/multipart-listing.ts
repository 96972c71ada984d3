// ListParts and ListMultipartUploads, with their pagination parameters
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html).

import { S3Error } from '../errors/s3-error.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import type { Upload } from '../storage/part-store.ts';
import type { Context } from './context.ts';

/**
 * Who initiated an upload and owns it, as S3 names them: the user who signed CreateMultipartUpload (a
 * key pair, named by its access key id), or the simulator's one owner without access control.
 */
function initiator(upload: Upload): XmlChild[] {
  const id = upload.initiator ?? 'mirrorspec';
  return [
    ['ID', id],
    ['DisplayName', id],
  ];
}
const XML_HEADERS = { 'content-type': 'application/xml' };

export function listParts(upload: Upload, query: URLSearchParams): Response {
  const maxParts = whole(query.get('max-parts'), 'max-parts', 1000);
  const marker = whole(query.get('part-number-marker'), 'part-number-marker', 0);
  const after = [...upload.parts.values()]
    .filter((part) => part.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  const checksum = upload.checksum;
  const parts: XmlChild[] = page.map((part) => [
    'Part',
    [
      ['PartNumber', part.partNumber],
      ['LastModified', part.lastModified.toISOString()],
      ['ETag', `"${part.md5.toString('hex')}"`],
      ['Size', part.size],
      [`Checksum${checksum?.algorithm ?? ''}`, checksum ? part.checksum : undefined],
    ],
  ]);
  const body = xmlDocument('ListPartsResult', [
    ['Bucket', upload.bucket],
    ['Key', upload.key],
    ['UploadId', upload.uploadId],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', page.at(-1)?.partNumber ?? marker],
    ['MaxParts', maxParts],
    ['IsTruncated', truncated],
    ...parts,
    ['Initiator', initiator(upload)],
    ['Owner', initiator(upload)],
    ['StorageClass', 'STANDARD'],
    ['ChecksumAlgorithm', checksum?.algorithm],
    ['ChecksumType', checksum?.type],
  ]);
  return new Response(body, { status: 200, headers: XML_HEADERS });
}

export function listMultipartUploads(context: Context, bucket: string, query: URLSearchParams): Response {
  const maxUploads = whole(query.get('max-uploads'), 'max-uploads', 1000);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  // Without key-marker, upload-id-marker is ignored (ListMultipartUploads).
  const idMarker = keyMarker === '' ? '' : (query.get('upload-id-marker') ?? '');
  const encoding = query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') {
    throw new S3Error('InvalidArgument', `encoding-type must be 'url', got '${encoding}'`, { bucket });
  }
  const encode = (text: string) => (encoding === 'url' ? encodeURIComponent(text) : text);
  const marker = Buffer.from(keyMarker);
  const entries: ({ upload: Upload } | { prefix: string })[] = [];
  let truncated = false;
  let last: { key: string; uploadId: string } | undefined;
  for (const upload of context.parts.list(bucket)) {
    if (!upload.key.startsWith(prefix)) continue;
    const order = Buffer.compare(Buffer.from(upload.key), marker);
    if (keyMarker !== '' && (order < 0 || (order === 0 && (idMarker === '' || upload.uploadId <= idMarker))))
      continue;
    const rest = upload.key.slice(prefix.length);
    const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
    const common = cut === -1 ? undefined : prefix + rest.slice(0, cut + delimiter.length);
    const previous = entries.at(-1);
    if (common !== undefined && previous !== undefined && 'prefix' in previous && previous.prefix === common)
      continue;
    if (
      common !== undefined &&
      Buffer.compare(Buffer.from(common), marker) <= 0 &&
      keyMarker.startsWith(common)
    )
      continue;
    if (entries.length === maxUploads) {
      truncated = true;
      break;
    }
    entries.push(common === undefined ? { upload } : { prefix: common });
    last =
      common === undefined ? { key: upload.key, uploadId: upload.uploadId } : { key: common, uploadId: '' };
  }
  const children: XmlChild[] = entries.map((entry) =>
    'prefix' in entry
      ? ['CommonPrefixes', [['Prefix', encode(entry.prefix)]]]
      : ['Upload', uploadElement(entry.upload, encode)],
  );
  const body = xmlDocument('ListMultipartUploadsResult', [
    ['Bucket', bucket],
    ['KeyMarker', encode(keyMarker)],
    ['UploadIdMarker', idMarker],
    ['NextKeyMarker', truncated ? encode(last?.key ?? '') : undefined],
    ['NextUploadIdMarker', truncated ? (last?.uploadId ?? '') : undefined],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter)],
    ['Prefix', encode(prefix)],
    ['MaxUploads', maxUploads],
    ['IsTruncated', truncated],
    ['EncodingType', encoding ?? undefined],
    ...children,
  ]);
  return new Response(body, { status: 200, headers: XML_HEADERS });
}

function uploadElement(upload: Upload, encode: (text: string) => string): XmlChild[] {
  return [
    ['Key', encode(upload.key)],
    ['UploadId', upload.uploadId],
    ['Initiator', initiator(upload)],
    ['Owner', initiator(upload)],
    ['StorageClass', 'STANDARD'],
    ['Initiated', upload.initiated.toISOString()],
    ['ChecksumAlgorithm', upload.checksum?.algorithm],
    ['ChecksumType', upload.checksum?.type],
  ];
}

/** A whole-number query parameter (a count capped at 1000, or a marker), or its default. */
function whole(raw: string | null, name: string, fallback: number): number {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw))
    throw new S3Error('InvalidArgument', `${name} must be a whole number, got '${raw}'`);
  return name.startsWith('max-') ? Math.min(Number(raw), 1000) : Number(raw);
}
