// The judgement of law s3.lifecycle-abort-uploads, shared by the law
// (conformance/laws/s3.lifecycle.test.ts) and the test that proves it can fail
// (conformance/lifecycle-fault.test.ts). The target's clock is the judge's to move (`advance`): an
// upload is aborted once its rule's days have passed, rounded up to the next midnight UTC [s3-lifecycle].

import { expect } from 'vitest';

const DAY = 24 * 60 * 60 * 1000;

const configuration = (rules: string) =>
  `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</LifecycleConfiguration>`;
const rule = (id: string, prefix: string, status: string, days: number, extra = '') =>
  `<Rule><ID>${id}</ID><Filter><Prefix>${prefix}</Prefix></Filter><Status>${status}</Status>` +
  `<AbortIncompleteMultipartUpload><DaysAfterInitiation>${days}</DaysAfterInitiation></AbortIncompleteMultipartUpload>${extra}</Rule>`;

/**
 * `endpoint` answers unsigned requests; `advance(ms)` moves its clock, which starts at `start`. An
 * upload under an enabled rule's prefix is aborted when its days are up; others stay.
 */
export async function judgeLifecycle(
  endpoint: string,
  bucket: string,
  start: Date,
  advance: (ms: number) => void,
): Promise<void> {
  const send = (method: string, path: string, body?: string) =>
    fetch(`${endpoint}/${bucket}${path}`, { method, ...(body === undefined ? {} : { body }) });
  expect((await send('PUT', '')).status).toBe(200);
  const uploadId = async (key: string) => {
    const created = await send('POST', `/${key}?uploads`);
    const text = await created.text();
    expect(created.status, text).toBe(200);
    return /<UploadId>([^<]+)<\/UploadId>/.exec(text)?.[1] ?? '';
  };
  const expiring = await uploadId('test1/a.bin');
  const disabled = await uploadId('test2/b.bin');
  const elsewhere = await uploadId('other/c.bin');
  const put = await send(
    'PUT',
    '?lifecycle',
    configuration(rule('rule1', 'test1/', 'Enabled', 2) + rule('rule2', 'test2/', 'Disabled', 1)),
  );
  expect(put.status, `PutBucketLifecycleConfiguration: ${await put.clone().text()}`).toBe(200);
  const stored = await (await send('GET', '?lifecycle')).text();
  expect(stored).toMatch(/<ID>rule1<\/ID>[\s\S]*<DaysAfterInitiation>2<\/DaysAfterInitiation>/);
  expect(stored).toMatch(/<ID>rule2<\/ID>[\s\S]*<Status>Disabled<\/Status>/);

  const listed = async () =>
    [...(await (await send('GET', '?uploads')).text()).matchAll(/<UploadId>([^<]+)</g)].map((m) => m[1]);
  // Two days after the start, rounded up to the next midnight UTC, is when the rule acts.
  const due = Math.ceil((start.getTime() + 2 * DAY) / DAY) * DAY;
  advance(due - start.getTime() - 1);
  expect((await listed()).sort(), 'not yet due: every upload is there').toEqual(
    [expiring, disabled, elsewhere].sort(),
  );
  advance(1);
  expect((await listed()).sort(), "due: the enabled rule's upload is aborted").toEqual(
    [disabled, elsewhere].sort(),
  );
  const part = await send('PUT', `/test1/a.bin?partNumber=1&uploadId=${encodeURIComponent(expiring)}`, 'x');
  expect(part.status, 'an aborted upload takes no part').toBe(404);
  expect(await part.text()).toContain('<Code>NoSuchUpload</Code>');

  const refused: [string, number, string][] = [
    [
      configuration(rule('r', '', 'Enabled', 1, '<Expiration><Days>1</Days></Expiration>')),
      501,
      'NotImplemented',
    ],
    [configuration(rule('r', '', 'Sometimes', 1)), 400, 'MalformedXML'],
    [configuration(rule('r', '', 'Enabled', 0)), 400, 'InvalidArgument'],
    ['not xml', 400, 'MalformedXML'],
  ];
  for (const [body, status, code] of refused) {
    const response = await send('PUT', '?lifecycle', body);
    const text = await response.text();
    expect(response.status, `${body}: ${text}`).toBe(status);
    expect(text).toContain(`<Code>${code}</Code>`);
  }
  expect(await (await send('GET', '?lifecycle')).text(), 'a refused configuration changes nothing').toBe(
    stored,
  );
  expect((await send('DELETE', '?lifecycle')).status).toBe(204);
  const gone = await send('GET', '?lifecycle');
  expect(gone.status).toBe(404);
  expect(await gone.text()).toContain('<Code>NoSuchLifecycleConfiguration</Code>');
}
