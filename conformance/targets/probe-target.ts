// What a URL target is, asked before any law judges it: whether it answers, whether its requests must
// be signed and whether the given keys sign them, the S3 basics every law stands on (a bucket, PUT, GET,
// HEAD, a listing, DELETE), whether it has the spec's neutral rule API (or, with `--dialect`, the vendor's)
// and the settle call. Each finding is one line for the terminal. What the probe makes it removes.
//
// Keys that would go unused are an error, never silence: a target that accepts a request signed with a
// wrong secret does not check signatures, and a run "with keys" would judge it unsigned without saying so.
// A target that refuses the keys, or refuses unsigned requests when none are set, is an error too: every
// law would fail with 403, a false alarm about the target.

import { randomBytes } from 'node:crypto';
import { ToolError } from '../../errors/tool-error.ts';
import { NotExpressible } from '../../spec/dialects/dialect.ts';
import { errorCode, HttpClient, type HttpResult } from '../client/http-client.ts';
import type { RunConfig } from '../support/run-config.ts';
import type { Target } from './target.ts';
import { keysOf, startUrlTarget } from './url-target.ts';

export interface TargetProbe {
  /** One line per finding, as printed. */
  findings: string[];
  /** Why the target has no mirror rule API, when the probe found none. */
  ruleApiAbsent?: string;
}

interface ProbeOptions {
  /** Probe the rule API (not for `--baseline`, whose laws write no rules). */
  ruleApi: boolean;
}

/** `404 NoSuchBucket`: a status and the S3 error code, if the body has one. */
function answer(result: HttpResult): string {
  const code = errorCode(result);
  return code ? `${result.status} ${code}` : String(result.status);
}

const denied = (result: HttpResult) => result.status === 401 || result.status === 403;
const ok = (result: HttpResult) => result.status === 200 || result.status === 204;

const UNSET_KEYS = 'unset MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY';

/** Probes the URL target of `config`; throws a tool error when the run cannot be a true report. */
export async function probeTarget(config: RunConfig, options: ProbeOptions): Promise<TargetProbe> {
  const endpoint = config.target;
  const keys = keysOf(config);
  const scheme = config.dialect ? `the ${config.dialect} signature` : 'SigV4';
  const findings: string[] = [];

  const plain = new HttpClient(endpoint);
  let root: HttpResult;
  try {
    root = await plain.send({ method: 'GET', path: '/' });
  } catch (error) {
    throw new ToolError(
      'MS_TARGET_UNREACHABLE',
      `nothing answers at ${endpoint} (${(error as Error).cause ?? (error as Error).message}): check the URL and that the target is running`,
    );
  } finally {
    await plain.close();
  }
  findings.push(`reachable: GET / unsigned answered ${answer(root)}`);

  const target = await startUrlTarget({ ...config, ruleApiAbsent: undefined });
  const name = () =>
    `${config.bucketPrefix ?? 'msprobe'}-${randomBytes(4).toString('hex')}${config.bucketSuffix ?? ''}`;
  const bucket = name();
  let created: HttpResult | undefined;
  const result: TargetProbe = { findings };
  try {
    if (config.staticRules !== undefined) {
      // One bucket fixed out of band, and a GET there may fetch from an origin: ask nothing of it.
      if (keys !== undefined) await expectSignaturesChecked(config, target, { method: 'GET', path: '/' });
      findings.push(
        keys !== undefined
          ? `signatures: ${scheme} with the given keys is used; a wrong secret is refused`
          : 'signatures: none sent (no keys set)',
        'S3 basics: not probed: the rules are fixed (--static-rules), so every GET may reach an origin',
        'rule API: none used: the rules are fixed (--static-rules)',
      );
    } else {
      created = await target.client.createBucket(bucket);
      findings.push(await signatures(config, target, bucket, created, scheme));
      if (created.status !== 200) {
        findings.push(
          `S3 basics: creating a bucket (PUT /${bucket}) answered ${answer(created)}; the S3 laws will say more`,
        );
      } else {
        findings.push(await s3Basics(target, bucket));
        if (options.ruleApi) {
          const rules = await ruleApi(target, bucket);
          findings.push(rules.finding);
          if (rules.absent !== undefined) result.ruleApiAbsent = rules.absent;
        } else findings.push('rule API: not probed (--baseline writes no rules)');
      }
    }
    findings.push(
      config.dialect
        ? `settle: a vendor has no settle call; background work is given ${config.settleWaitMs ?? 2000} ms`
        : target.capabilities.settle
          ? 'settle: POST /_mirrorspec/settle answers; background work is waited for through it'
          : `settle: absent (no POST /_mirrorspec/settle); background work is given ${config.settleWaitMs ?? 2000} ms`,
    );
  } finally {
    if (created?.status === 200) {
      const removed = await target.client.deleteBucket(bucket).catch((error: Error) => error);
      findings.push(
        removed instanceof Error || !ok(removed)
          ? `cleanup: deleting bucket ${bucket} failed (${removed instanceof Error ? removed.message : answer(removed)}): remove it by hand`
          : `cleanup: removed bucket ${bucket} and what the probe put in it`,
      );
    }
    await target.close();
  }
  return result;
}

/** Whether requests must be signed and the keys sign them; a finding, or a tool error. */
async function signatures(
  config: RunConfig,
  target: Target,
  bucket: string,
  created: HttpResult,
  scheme: string,
): Promise<string> {
  const keys = keysOf(config);
  if (keys === undefined) {
    if (denied(created)) {
      throw new ToolError(
        'MS_CREDENTIALS',
        `the target refuses unsigned requests (PUT /${bucket} answered ${answer(created)}): set MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY, and every request is signed with SigV4`,
      );
    }
    return `signatures: none needed: PUT /${bucket} unsigned answered ${answer(created)}`;
  }
  if (denied(created)) {
    throw new ToolError(
      'MS_CREDENTIALS',
      `the target refuses requests signed with the given keys (${scheme}): PUT /${bucket} answered ${answer(created)}: check MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY${config.dialect ? '' : ', and MIRRORSPEC_REGION (default us-east-1)'}`,
    );
  }
  const wrong = await expectSignaturesChecked(config, target, {
    method: 'GET',
    path: `/${bucket}?list-type=2`,
    cleanup: created.status === 200 ? bucket : undefined,
  });
  const plain = new HttpClient(config.target);
  const unsigned = await plain
    .send({ method: 'GET', path: `/${bucket}?list-type=2` })
    .finally(() => plain.close());
  return (
    `signatures: ${scheme} with the given keys works; a wrong secret is refused (${answer(wrong)}); ` +
    `unsigned requests are ${denied(unsigned) ? `refused (${answer(unsigned)})` : `accepted (${answer(unsigned)})`}`
  );
}

/**
 * The answer to a request signed with a wrong secret, which must be a refusal: otherwise the target does
 * not check signatures, and the keys would be unused (a tool error, after removing `cleanup`).
 */
async function expectSignaturesChecked(
  config: RunConfig,
  target: Target,
  request: { method: string; path: string; cleanup?: string | undefined },
): Promise<HttpResult> {
  const keys = keysOf(config);
  if (keys === undefined) throw new Error('expectSignaturesChecked needs keys');
  const forged = await startUrlTarget(
    { ...config, ruleApiAbsent: undefined },
    { accessKeyId: keys.accessKeyId, secretAccessKey: `${keys.secretAccessKey}-wrong` },
  );
  let result: HttpResult;
  try {
    result = await forged.client.http.send({ method: request.method, path: request.path });
  } finally {
    await forged.close();
  }
  if (!denied(result)) {
    if (request.cleanup !== undefined)
      await target.client.deleteBucket(request.cleanup).catch(() => undefined);
    throw new ToolError(
      'MS_CREDENTIALS',
      `the keys would be unused: the target does not check signatures (${request.method} ${request.path} signed with a wrong secret answered ${answer(result)}): ${UNSET_KEYS} to judge it unsigned`,
    );
  }
  return result;
}

/** Put, get, head, list and delete one object: a finding naming every step that did not answer as S3 does. */
async function s3Basics(target: Target, bucket: string): Promise<string> {
  const { client } = target;
  const key = 'probe/object.txt';
  const body = 'mirrorspec probe';
  const wrong: string[] = [];
  const put = await client.putObject(bucket, key, body, { 'content-type': 'text/plain' });
  if (put.status !== 200) wrong.push(`PUT answered ${answer(put)}`);
  const got = await client.getObject(bucket, key);
  if (got.status !== 200 || Buffer.from(got.body).toString('utf8') !== body)
    wrong.push(`GET answered ${answer(got)}${got.status === 200 ? ' with other bytes' : ''}`);
  const head = await client.headObject(bucket, key);
  if (head.status !== 200 || head.headers['content-length'] !== String(body.length))
    wrong.push(`HEAD answered ${answer(head)} (Content-Length ${head.headers['content-length'] ?? 'none'})`);
  const listed = await client.listObjects(bucket);
  if (listed.status !== 200 || !Buffer.from(listed.body).toString('utf8').includes(`<Key>${key}</Key>`))
    wrong.push(`a listing answered ${answer(listed)}${listed.status === 200 ? ' without the key' : ''}`);
  const deleted = await client.deleteObject(bucket, key);
  if (!ok(deleted)) wrong.push(`DELETE answered ${answer(deleted)}`);
  const gone = await client.getObject(bucket, key);
  if (gone.status !== 404) wrong.push(`GET after DELETE answered ${answer(gone)}`);
  return wrong.length === 0
    ? 'S3 basics: create bucket, PUT, GET, HEAD, list and DELETE answer as S3 does'
    : `S3 basics: ${wrong.join('; ')}; the S3 laws will say more`;
}

/** Whether rules can be put on the bucket, read back (neutral API) and removed. */
async function ruleApi(target: Target, bucket: string): Promise<{ finding: string; absent?: string }> {
  const api = target.rules.api;
  const title = api === 'neutral' ? 'neutral rule API' : `${api} rule API`;
  const where = api === 'neutral' ? `PUT /_mirrorspec/buckets/${bucket}/mirror` : `the ${api} rule API`;
  // A reserved name (RFC 2606): the probe never fetches, and no generated host may resolve.
  const probeRule = { id: 'probe', origins: ['http://probe.invalid/'], condition: { keyPrefix: 'probe/' } };
  let put: HttpResult;
  try {
    put = await target.rules.put(bucket, [probeRule]);
  } catch (error) {
    if (error instanceof NotExpressible)
      return { finding: `${title}: not probed (${error.message}); the laws will say what it does` };
    throw error;
  }
  if (put.status !== 200 && put.status !== 201) {
    const absent = `${where} answered ${answer(put)}`;
    return { finding: `${title}: absent (${absent}): laws that write rules are reported absent`, absent };
  }
  if (api === 'neutral') {
    // An S3 server would store the document as an object in a bucket `_mirrorspec`: read it back, and
    // check that a document that is not a configuration is refused as the spec says.
    const read = await target.client.getMirror(bucket);
    const refused = await target.client.putMirror(bucket, '{"rules":7}');
    let readBack = false;
    try {
      readBack =
        (JSON.parse(Buffer.from(read.body).toString('utf8')) as { rules?: { id?: string }[] }).rules?.[0]
          ?.id === 'probe';
    } catch {
      readBack = false;
    }
    if (!readBack || refused.status !== 400) {
      await target.rules.delete(bucket).catch(() => undefined);
      const absent = `${where} answered ${answer(put)}, but reading the rules back answered ${answer(read)}${readBack ? '' : ' without them'} and a document that is no configuration answered ${answer(refused)}`;
      return { finding: `${title}: absent (${absent}): laws that write rules are reported absent`, absent };
    }
  }
  const removed = await target.rules.delete(bucket);
  return {
    finding: `${title}: present (rules put${api === 'neutral' ? ', read back' : ''} and removed: ${answer(put)}, ${answer(removed)})`,
  };
}
