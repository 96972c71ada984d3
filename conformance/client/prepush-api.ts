// The pre-push API as a command uses it: the template is streamed as the request body, and answers are
// values, as in the rest of the suite's clients: a store's S3 error is a result with its code, not an
// exception. Only a store that cannot be reached (refused, unknown host, cut connection) throws.

import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { PrepushJob, PrepushMode } from '../../spec/model.ts';

/** An answer that is not the one asked for: an S3 error body, or something that is not a job. */
export interface PrepushRefusal {
  status: number;
  code: string;
  message: string;
}

type PrepushResult = { ok: true; job: PrepushJob } | ({ ok: false } & PrepushRefusal);

interface PrepushSubmission {
  bucket: string;
  /** The template, sent as it is read: a 100,000-line list never has to sit in memory. */
  template: Readable;
  mode?: PrepushMode;
  concurrency?: number;
}

export class PrepushApi {
  /** No trailing slash. */
  readonly endpoint: string;

  constructor(endpoint: string) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  /** Where a job is read and cancelled. */
  jobUrl(bucket: string, id: string): string {
    return `${this.endpoint}/_mirrorspec/buckets/${encodeURIComponent(bucket)}/prepush/${encodeURIComponent(id)}`;
  }

  /** Where a job's result file is: its key percent-encoded segment by segment, as any object key. */
  resultUrl(job: Pick<PrepushJob, 'bucket' | 'resultKey'>): string {
    const key = job.resultKey.split('/').map(encodeURIComponent).join('/');
    return `${this.endpoint}/${encodeURIComponent(job.bucket)}/${key}`;
  }

  async submit(submission: PrepushSubmission): Promise<PrepushResult> {
    const query = new URLSearchParams();
    if (submission.mode !== undefined) query.set('mode', submission.mode);
    if (submission.concurrency !== undefined) query.set('concurrency', String(submission.concurrency));
    const search = query.size > 0 ? `?${query}` : '';
    const url = `${this.endpoint}/_mirrorspec/buckets/${encodeURIComponent(submission.bucket)}/prepush${search}`;
    return this.send('POST', url, 202, submission.template);
  }

  job(bucket: string, id: string): Promise<PrepushResult> {
    return this.send('GET', this.jobUrl(bucket, id), 200);
  }

  cancel(bucket: string, id: string): Promise<PrepushResult> {
    return this.send('DELETE', this.jobUrl(bucket, id), 200);
  }

  private async send(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    expected: number,
    template?: Readable,
  ): Promise<PrepushResult> {
    const response = await request(url, {
      method,
      ...(template ? { body: template, headers: { 'content-type': 'text/plain' } } : {}),
    });
    const text = await response.body.text();
    if (response.statusCode === expected) {
      try {
        return { ok: true, job: JSON.parse(text) as PrepushJob };
      } catch {
        // Falls through to a refusal: a 2xx that is not a job is as unusable as an error.
      }
    }
    return { ok: false, ...refusal(response.statusCode, text) };
  }
}

function refusal(status: number, body: string): PrepushRefusal {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  if (code !== undefined) return { status, code: unescapeXml(code), message: unescapeXml(message ?? '') };
  const excerpt = body.trim().slice(0, 200);
  return {
    status,
    code: `HTTP ${status}`,
    message: excerpt === '' ? 'the answer has no body' : `unexpected answer: ${excerpt}`,
  };
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    const named = NAMED_ENTITIES[lower];
    if (named !== undefined) return named;
    const point = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    return Number.isInteger(point) && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
  });
}
