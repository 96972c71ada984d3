// The ACL sub-resource of buckets and objects (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html),
// as far as the simulator keeps ACLs: a bucket or an object is private or public-read. GetBucketAcl and
// GetObjectAcl answer the owner's FULL_CONTROL and, when public-read, the AllUsers group's READ.
// PutBucketAcl sets a bucket's; PutObjectAcl confirms an object's (an object keeps the ACL it was
// written with). A canned x-amz-acl or an AccessControlPolicy body of exactly those grants is honoured;
// grants to anyone else or of other permissions are refused, and nothing changes when refused.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/s3-error.ts';
import { receiveUpload } from '../integrity/receive-upload.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import type { BucketAcl } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

/** What the simulator keeps of an ACL; objects are only private or public-read. */
type CannedAcl = BucketAcl;

/** The one canonical user id the simulator reports as owner (listings name it too). */
const OWNER_ID = 'mirrorspec';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const MAX_POLICY_BODY = 64 * 1024;
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const parser = new XMLParser({ isArray: (name) => name === 'Grant', parseTagValue: false, trimValues: true });

const xmlHeaders = { 'content-type': 'application/xml' };

export async function getBucketAcl(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const acl = (await context.store.bucketAcl(bucket)) ?? 'private';
  return new Response(policyDocument(acl), { headers: xmlHeaders });
}

export async function getObjectAcl(context: Context, bucket: string, key: string): Promise<Response> {
  return new Response(policyDocument(await objectAcl(context, bucket, key)), { headers: xmlHeaders });
}

export async function putBucketAcl(context: Context, request: Request, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  await context.store.setBucketAcl(bucket, await askedAcl(context, request, { bucket }));
  return new Response(null, { status: 200 });
}

export async function putObjectAcl(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
): Promise<Response> {
  const current = await objectAcl(context, bucket, key);
  const asked = await askedAcl(context, request, { bucket, key });
  if (asked !== current) {
    throw new S3Error(
      'NotImplemented',
      `changing the ACL of a stored object is not implemented: the object is ${current}; write it again with x-amz-acl: ${asked}`,
      { bucket, key },
    );
  }
  return new Response(null, { status: 200 });
}

async function objectAcl(context: Context, bucket: string, key: string): Promise<CannedAcl> {
  await requireBucket(context, bucket);
  const meta = await context.store.head(bucket, key);
  if (meta === undefined) throw new S3Error('NoSuchKey', 'the specified key does not exist', { bucket, key });
  return meta.acl === 'public-read' ? 'public-read' : 'private';
}

function policyDocument(acl: CannedAcl): string {
  const owner: XmlChild[] = [
    ['ID', OWNER_ID],
    ['DisplayName', OWNER_ID],
  ];
  const grants: XmlChild[] = [
    [
      'Grant',
      [
        ['GranteeCanonicalUser', owner],
        ['Permission', 'FULL_CONTROL'],
      ],
    ],
  ];
  const toAllUsers = (permission: string): XmlChild => [
    'Grant',
    [
      ['GranteeGroup', [['URI', ALL_USERS]]],
      ['Permission', permission],
    ],
  ];
  if (acl !== 'private') grants.push(toAllUsers('READ'));
  if (acl === 'public-read-write') grants.push(toAllUsers('WRITE'));
  // The grantee's type is an xsi:type attribute, which the element builder does not write.
  return xmlDocument('AccessControlPolicy', [
    ['Owner', owner],
    ['AccessControlList', grants],
  ])
    .replace(/<Grantee(CanonicalUser|Group)>/g, `<Grantee ${XSI} xsi:type="$1">`)
    .replace(/<\/Grantee(CanonicalUser|Group)>/g, '</Grantee>');
}

/** The ACL asked for: x-amz-acl (protocol/honoured.ts lets only the two through), or the body's grants. */
async function askedAcl(
  context: Context,
  request: Request,
  where: { bucket: string; key?: string },
): Promise<CannedAcl> {
  const canned = request.headers.get('x-amz-acl');
  const body = await verifiedBody(context, request, where);
  if (canned === 'public-read' || canned === 'public-read-write') return canned;
  if (canned !== null) return 'private';
  const malformed = new S3Error(
    'MalformedXML',
    'the XML you provided was not well-formed or did not validate against the AccessControlPolicy schema: send x-amz-acl or an AccessControlPolicy',
    where,
  );
  if (body.trim() === '' || XMLValidator.validate(body) !== true) throw malformed;
  const root = (parser.parse(body) as Record<string, Record<string, unknown> | undefined>)
    .AccessControlPolicy;
  const list = root?.AccessControlList as { Grant?: unknown[] } | undefined;
  if (root === undefined || list === undefined) throw malformed;
  let publicRead = false;
  let publicWrite = false;
  for (const raw of list.Grant ?? []) {
    const grant = raw as { Grantee?: { ID?: unknown; URI?: unknown }; Permission?: unknown };
    const { ID: id, URI: uri } = grant.Grantee ?? {};
    if (id === OWNER_ID && grant.Permission === 'FULL_CONTROL') continue;
    if (uri === ALL_USERS && grant.Permission === 'READ') {
      publicRead = true;
      continue;
    }
    // A bucket's WRITE grant to everyone, beside their READ: public-read-write.
    if (uri === ALL_USERS && grant.Permission === 'WRITE' && where.key === undefined) {
      publicWrite = true;
      continue;
    }
    if (typeof id === 'string' && id !== OWNER_ID) {
      throw new S3Error(
        'InvalidArgument',
        `the grantee id '${id}' names no user: the simulator's one id is ${OWNER_ID}`,
        where,
      );
    }
    throw new S3Error(
      'NotImplemented',
      'only the owner FULL_CONTROL and AllUsers READ grants are implemented (a private or public-read ACL)',
      where,
    );
  }
  if (publicWrite && !publicRead) {
    throw new S3Error(
      'NotImplemented',
      'a WRITE grant to AllUsers without READ is not implemented: use public-read-write',
      where,
    );
  }
  return publicWrite ? 'public-read-write' : publicRead ? 'public-read' : 'private';
}

/** The body, checked against its Content-MD5 or x-amz-checksum-* when sent (SDKs send one). */
export async function verifiedBody(
  context: Context,
  request: Request,
  where: { bucket: string; key?: string },
) {
  const chunks: Uint8Array[] = [];
  try {
    await receiveUpload(
      request,
      {
        write: (chunk) => {
          chunks.push(chunk);
        },
      },
      {
        maxSize: MAX_POLICY_BODY,
        ...(context.settings.credentials ? { credentials: context.settings.credentials } : {}),
      },
    );
  } catch (error) {
    if (error instanceof S3Error && error.fields.bucket === undefined) {
      throw new S3Error(error.code, error.message, where);
    }
    throw error;
  }
  return Buffer.concat(chunks).toString('utf8');
}
