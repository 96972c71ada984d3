// The judgement of law s3.post-object, shared by the law (conformance/laws/s3.post-object.test.ts) and
// the test that proves it can fail (conformance/post-object-fault.test.ts): HTML form uploads as S3
// takes them [s3-post-object], the forms signed here as a browser's server would sign them.

import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { type Keys, signedFetch } from '../client/signed-fetch.ts';

type Condition = Record<string, string> | [string, string | number, string | number];

interface FormSpec {
  /** The form's fields before the file, in order. */
  fields: Record<string, string>;
  /** The policy's conditions; the expiration is an hour ahead unless given (null: none). */
  conditions: Condition[];
  expiration?: string | null;
  /** 'v4' (default), 'v2', or 'none' for a form with no policy nor signature. */
  signature?: 'v4' | 'v2' | 'none';
  /** Signs with this secret instead of the keys' own. */
  secret?: string;
  /** Sent as the policy instead of the document built. */
  rawPolicy?: string;
  file: string;
  filename?: string;
}

const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The form's multipart body: its fields, the signature's, then the file. */
function formData(bucket: string, keys: Keys, spec: FormSpec, region: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(spec.fields)) form.set(name, value);
  const signature = spec.signature ?? 'v4';
  if (signature !== 'none') {
    const now = new Date();
    const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const day = amzDate.slice(0, 8);
    const credential = `${keys.accessKeyId}/${day}/${region}/s3/aws4_request`;
    const v4Fields = {
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': credential,
      'x-amz-date': amzDate,
    };
    const conditions: Condition[] = [{ bucket }, ...spec.conditions];
    if (signature === 'v4')
      for (const [name, value] of Object.entries(v4Fields)) conditions.push({ [name]: value });
    const expiration =
      spec.expiration === undefined ? new Date(Date.now() + 3_600_000).toISOString() : spec.expiration;
    const document = { ...(expiration === null ? {} : { expiration }), conditions };
    const policy = spec.rawPolicy ?? Buffer.from(JSON.stringify(document)).toString('base64');
    const secret = spec.secret ?? keys.secretAccessKey;
    form.set('policy', policy);
    if (signature === 'v4') {
      for (const [name, value] of Object.entries(v4Fields)) form.set(name, value);
      const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
      form.set('x-amz-signature', createHmac('sha256', signingKey).update(policy).digest('hex'));
    } else {
      form.set('AWSAccessKeyId', keys.accessKeyId);
      form.set('signature', createHmac('sha1', secret).update(policy).digest('base64'));
    }
  }
  form.set('file', new Blob([spec.file]), spec.filename ?? 'upload.bin');
  return form;
}

async function post(endpoint: string, bucket: string, keys: Keys, spec: FormSpec): Promise<Response> {
  return fetch(`${endpoint}/${bucket}`, {
    method: 'POST',
    body: formData(bucket, keys, spec, 'us-east-1'),
    redirect: 'manual',
  });
}

const codeOf = (text: string) => /<Code>([^<]*)<\/Code>/.exec(text)?.[1];

/**
 * Stores through forms signed with Signature Version 4 and 2 (the file's bytes, its Content-Type,
 * metadata and ACL; answered 201, 303 or 204 as asked), and refuses every bad form with S3's answer,
 * storing nothing.
 */
export async function judgePostObject(endpoint: string, keys: Keys, bucket: string): Promise<void> {
  await judgeStored(endpoint, keys, bucket);
  await judgeRefused(endpoint, keys, bucket);
}

/** Forms signed with Signature Version 4 and 2 store as asked, and are answered as asked. */
async function judgeStored(endpoint: string, keys: Keys, bucket: string): Promise<void> {
  const signedGet = (key: string) =>
    signedFetch(endpoint, keys, { method: 'GET', path: `/${bucket}/${key}` });

  const first = await post(endpoint, bucket, keys, {
    fields: {
      key: 'up/${filename}',
      acl: 'public-read',
      'Content-Type': 'image/png',
      'x-amz-meta-colour': 'blue',
      success_action_status: '201',
    },
    conditions: [
      ['starts-with', '$key', 'up/'],
      { acl: 'public-read' },
      ['starts-with', '$Content-Type', 'image/'],
      { 'x-amz-meta-colour': 'blue' },
      ['eq', '$success_action_status', '201'],
      ['content-length-range', 1, 1024],
    ],
    file: 'png bytes',
    filename: 'photo.png',
  });
  const created = await first.text();
  expect(first.status, `a Signature Version 4 form with success_action_status 201: ${created}`).toBe(201);
  expect(created).toMatch(/<PostResponse[\s\S]*<Key>up\/photo\.png<\/Key>/);
  const stored = await signedGet('up/photo.png');
  expect(await stored.text(), 'the file is stored under the key, ${filename} expanded').toBe('png bytes');
  expect(stored.headers.get('content-type')).toBe('image/png');
  expect(stored.headers.get('x-amz-meta-colour')).toBe('blue');
  expect((await fetch(`${endpoint}/${bucket}/up/photo.png`)).status, 'acl public-read is kept').toBe(200);

  const redirect = 'http://app.test/done';
  const second = await post(endpoint, bucket, keys, {
    fields: { key: 'v2.txt', success_action_redirect: redirect },
    conditions: [{ key: 'v2.txt' }, { success_action_redirect: redirect }],
    signature: 'v2',
    file: 'v2 bytes',
  });
  expect(second.status, `a Signature Version 2 form with a redirect: ${await second.clone().text()}`).toBe(
    303,
  );
  expect(second.headers.get('location')).toMatch(/^http:\/\/app\.test\/done\?bucket=[^&]+&key=v2\.txt&etag=/);
  expect(await (await signedGet('v2.txt')).text()).toBe('v2 bytes');

  const plain = await post(endpoint, bucket, keys, {
    fields: { key: 'plain.txt' },
    conditions: [['starts-with', '$key', '']],
    file: 'plain',
  });
  expect(plain.status, 'a form that asks for no status').toBe(204);
}

/** Every bad form is refused with S3's answer, and stores nothing. */
async function judgeRefused(endpoint: string, keys: Keys, bucket: string): Promise<void> {
  const signedGet = (key: string) =>
    signedFetch(endpoint, keys, { method: 'GET', path: `/${bucket}/${key}` });

  const hour = new Date(Date.now() - 3_600_000).toISOString();
  const refused: [string, Partial<FormSpec> & Pick<FormSpec, 'conditions'>, number, string, RegExp][] = [
    [
      'a policy without expiration',
      { expiration: null, conditions: [] },
      400,
      'InvalidPolicyDocument',
      /expiration/,
    ],
    [
      'a policy that is not JSON',
      { rawPolicy: 'bm90IGpzb24=', conditions: [] },
      400,
      'InvalidPolicyDocument',
      /JSON/,
    ],
    [
      'a signature by another secret',
      { secret: 'not-the-secret', conditions: [] },
      403,
      'SignatureDoesNotMatch',
      /./,
    ],
    ['an expired policy', { expiration: hour, conditions: [] }, 403, 'AccessDenied', /expired/],
    [
      'a condition the form fails',
      { conditions: [['starts-with', '$key', 'other/']] },
      403,
      'AccessDenied',
      /Condition failed/,
    ],
    [
      'a field no condition names',
      { fields: { key: 'refused.txt', 'x-amz-meta-x': '1' }, conditions: [] },
      403,
      'AccessDenied',
      /Extra input fields: x-amz-meta-x/,
    ],
    ['a file over the range', { conditions: [['content-length-range', 0, 3]] }, 400, 'EntityTooLarge', /./],
    [
      'a file under the range',
      { conditions: [['content-length-range', 100, 200]] },
      400,
      'EntityTooSmall',
      /./,
    ],
    ['an unsigned form', { signature: 'none', conditions: [] }, 403, 'AccessDenied', /./],
    [
      'a field not honoured',
      { fields: { key: 'refused.txt', tagging: '<Tagging/>' }, conditions: [{ tagging: '<Tagging/>' }] },
      501,
      'NotImplemented',
      /tagging/,
    ],
  ];
  for (const [what, spec, status, code, message] of refused) {
    const response = await post(endpoint, bucket, keys, {
      fields: { key: 'refused.txt' },
      file: 'refused bytes',
      ...spec,
      conditions: [{ key: 'refused.txt' }, ...spec.conditions],
    });
    const text = await response.text();
    expect(response.status, `${what}: ${text}`).toBe(status);
    expect(codeOf(text), what).toBe(code);
    expect(text, what).toMatch(message);
    expect((await signedGet('refused.txt')).status, `${what} stores nothing`).toBe(404);
  }
}
