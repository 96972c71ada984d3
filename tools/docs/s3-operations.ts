// The table of every S3 operation in docs/s3-compatibility.md, generated from the code: each operation
// of the AWS SDK for JavaScript's S3 client (its model is S3's API), built by the SDK itself into the
// request it sends, is answered by a simulator made here. A 501 NotImplemented is "refused" with the
// simulator's own message; any other answer means the router served it (a 404 NoSuchUpload for a made-up
// upload is served). For served operations the headers and parameters listed are honoured.ts's table.
//
//   npm run docs:s3            # rewrites the table in docs/s3-compatibility.md
//   checks/s3-compatibility-doc.test.ts fails when the committed table is not what this prints

import * as sdk from '@aws-sdk/client-s3';
import { createSimulator } from '../../simulator/index.ts';
import { honouredVocabularies, type Vocabulary } from '../../simulator/protocol/honoured.ts';

/** S3 operations outside what an S3 server of general purpose buckets serves, with why. */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  CreateSession: 'S3 Express One Zone (directory buckets) only',
  ListDirectoryBuckets: 'S3 Express One Zone (directory buckets) only',
  WriteGetObjectResponse: 'S3 Object Lambda: answered to Lambda functions, not by a bucket',
};

export interface OperationRow {
  operation: string;
  /** `PUT /{Bucket}/{Key}?partNumber&uploadId` with `x-amz-copy-source`. */
  request: string;
  /** `refused (405 MethodNotAllowed)` where the router knows no operation at that address and method. */
  status: 'served' | 'not applicable' | `refused (${string})`;
  /** The simulator's answer or message, or why the operation is not applicable. */
  detail: string;
  /** For served operations: what honoured.ts says the operation honours. */
  honoured?: string;
}

type Captured = {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
};

/** Values the SDK needs to build a request: path labels, and the members that select an operation. */
const INPUT = {
  Bucket: 'example-bucket',
  Key: 'example-key',
  UploadId: 'example-upload',
  CopySource: 'example-bucket/source-key',
  Id: 'example-id',
  RenameSource: '/example-bucket/source-key',
};

class RequestBuilt extends Error {
  constructor(readonly request: Captured) {
    super('request built');
  }
}

/** The request the SDK builds for `command`, without sending it anywhere. */
async function sdkRequest(Command: new (input: object) => object, input: object): Promise<Captured> {
  const client = new sdk.S3Client({
    endpoint: 'http://s3.example.test',
    region: 'us-east-1',
    forcePathStyle: true,
    disableHostPrefix: true,
    credentials: { accessKeyId: 'EXAMPLE', secretAccessKey: 'EXAMPLE' },
    requestHandler: {
      handle: async (request: Captured) => {
        throw new RequestBuilt(request);
      },
    },
  });
  try {
    await client.send(new Command(input) as Parameters<typeof client.send>[0]);
  } catch (error) {
    if (error instanceof RequestBuilt) return error.request;
    throw error;
  } finally {
    client.destroy();
  }
  throw new Error('the SDK sent no request');
}

/** `?uploads&uploadId=x`, as the SDK would put it on the wire; the SDK's own `x-id` tag left out. */
function queryOf(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query).sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'x-id') continue;
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      parts.push(
        one === null || one === undefined || one === '' ? name : `${name}=${encodeURIComponent(String(one))}`,
      );
    }
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** The request's shape for the table: method, path with labels, query names, selecting headers. */
function shapeOf(request: Captured): string {
  const path = request.path.replace(INPUT.Bucket, '{Bucket}').replace(INPUT.Key, '{Key}');
  const names = Object.keys(request.query)
    .filter((name) => name !== 'x-id')
    .sort()
    .map((name) => (['uploadId', 'partNumber', 'id'].includes(name) ? name : name));
  const selecting = ['x-amz-copy-source', 'x-amz-rename-source'].filter((name) => name in request.headers);
  const query = names.length === 0 ? '' : `?${names.join('&')}`;
  return `${request.method} ${path}${query}${selecting.map((name) => ` + ${name}`).join('')}`;
}

/** A simulator with the bucket and the objects the requests name. */
async function seeded() {
  const simulator = createSimulator({});
  const put = (path: string) =>
    simulator.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method: 'PUT',
        body: path === '/example-bucket' ? null : 'x',
      }),
      {
        target: path,
      },
    );
  for (const path of ['/example-bucket', '/example-bucket/example-key', '/example-bucket/source-key']) {
    const answer = await put(path);
    await answer.arrayBuffer();
  }
  return simulator;
}

/** The simulator's answer to the SDK's request: `501 NotImplemented: …` or `404 NoSuchUpload`. */
async function answerOf(request: Captured): Promise<{ status: number; code: string; message: string }> {
  const simulator = await seeded();
  try {
    const target = `${request.path}${queryOf(request.query)}`;
    const body = typeof request.body === 'string' || request.body instanceof Uint8Array ? request.body : null;
    const headers = Object.entries(request.headers).filter(
      ([name]) => !['host', 'content-length'].includes(name.toLowerCase()),
    );
    const init: RequestInit = { method: request.method, headers };
    if (body !== null && !['GET', 'HEAD'].includes(request.method))
      init.body = typeof body === 'string' ? body : new Uint8Array(body);
    const answer = await simulator.fetch(new Request(`http://127.0.0.1${target}`, init), { target });
    const text = await answer.text();
    return {
      status: answer.status,
      code: unescapeXml(/<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? ''),
      message: unescapeXml(/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? ''),
    };
  } finally {
    await simulator.close();
  }
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What an operation honours, compactly: `x-amz-acl (private), x-amz-meta-*, prefix, …`. */
function honouredText(vocabulary: Vocabulary): string {
  const entries = [...Object.entries(vocabulary.headers), ...Object.entries(vocabulary.query)];
  if (entries.length === 0) return '—';
  return entries
    .map(([name, values]) => {
      const shown = name === 'x-amz-meta-' ? 'x-amz-meta-*' : name;
      return values === true ? shown : `${shown} (${values.join(', ')})`;
    })
    .join(', ');
}

/** Every S3 operation of the SDK, in name order, as the simulator of this tree answers it. */
export async function operationRows(): Promise<OperationRow[]> {
  const vocabularies = honouredVocabularies();
  const names = Object.keys(sdk)
    .filter((name) => /^[A-Z]\w+Command$/.test(name))
    .sort((a, b) => a.slice(0, -7).localeCompare(b.slice(0, -7), 'en'));
  const rows: OperationRow[] = [];
  for (const name of names) {
    const operation = name.slice(0, -'Command'.length);
    const Command = (sdk as unknown as Record<string, new (input: object) => object>)[name];
    if (Command === undefined) continue;
    // A part number selects the part of an upload; on GetObject and HeadObject it is an option.
    const input = operation.startsWith('UploadPart') ? { ...INPUT, PartNumber: 1 } : INPUT;
    const request = await sdkRequest(Command, input);
    const shape = shapeOf(request);
    const notApplicable = NOT_APPLICABLE[operation];
    if (notApplicable !== undefined) {
      rows.push({ operation, request: '—', status: 'not applicable', detail: notApplicable });
      continue;
    }
    const answer = await answerOf(request);
    const said = `${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
    if (answer.code === 'NotImplemented' || answer.code === 'MethodNotAllowed') {
      const status = answer.status === 501 ? 'refused (501)' : (`refused (${said})` as const);
      // The value the SDK happened to send (a fresh client token) is no part of what is refused.
      const detail = answer.message.replace(/ \(here '[^']*'\)/, '') || said;
      rows.push({ operation, request: shape, status, detail });
      continue;
    }
    const vocabulary = vocabularies.get(operation);
    rows.push({
      operation,
      request: shape,
      status: 'served',
      detail: `answers ${said}`,
      ...(vocabulary !== undefined && vocabulary !== 'not-s3' ? { honoured: honouredText(vocabulary) } : {}),
    });
  }
  return rows;
}

/** The simulator's own APIs, beside S3's: honoured.ts names them 'not-s3'. */
export function ownOperations(): string[] {
  return [...honouredVocabularies().entries()]
    .filter(([, value]) => value === 'not-s3')
    .map(([name]) => name);
}
