// Opens the gateway store of an s3:// store URL (store-url.ts): the S3 client, and the backing bucket,
// created when missing. Loaded only for an s3:// URL, so the memory store never loads the AWS SDK.

import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ToolError } from '../../errors/tool-error.ts';
import type { ObjectStore } from './object-store.ts';
import { S3GatewayStore } from './s3-gateway-store.ts';
import { statusOf } from './s3-gateway-writer.ts';
import type { GatewayUrl } from './store-url.ts';

export async function openGatewayStore(
  url: GatewayUrl,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<ObjectStore> {
  const client = new S3Client({
    region: url.region,
    credentials,
    ...(url.endpoint !== undefined ? { endpoint: url.endpoint, forcePathStyle: true } : {}),
    // Streaming checksums (aws-chunked with a trailer) are refused by RGW 16.2 (411) and Swift (501):
    // feasibility.md. Bodies here have a known length; their integrity is the ETag's.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const where = `${url.endpoint ?? 'AWS S3'} bucket ${url.bucket}`;
  try {
    await ensureBucket(client, url.bucket);
  } catch (error) {
    client.destroy();
    const status = statusOf(error);
    if (status === 403)
      throw new ToolError('MS_CREDENTIALS', `the store's keys are refused by ${where}: check them`);
    if (status === undefined)
      throw new ToolError(
        'MS_TARGET_UNREACHABLE',
        `the store at ${where} does not answer (${(error as Error).message}): is it running?`,
      );
    throw new ToolError(
      'MS_TARGET_UNREACHABLE',
      `the store at ${where} answered ${status} ${(error as Error).name}`,
    );
  }
  return new S3GatewayStore({ client, bucket: url.bucket, prefix: url.prefix });
}

async function ensureBucket(client: S3Client, Bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket }));
    return;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket }));
  } catch (error) {
    // Another process created it first.
    if (statusOf(error) !== 409) throw error;
  }
}
