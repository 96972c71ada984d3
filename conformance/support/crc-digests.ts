// The checksums S3 names, computed by the AWS SDK's own implementations (@aws-sdk/checksums) and Node's
// hashes, so the laws never check a target's digests with the target's code.

import { createHash } from 'node:crypto';
import { Crc32, Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';

export const ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** The base64 checksum of `bytes`, as the x-amz-checksum-* headers carry it. */
export async function checksum(algorithm: Algorithm, bytes: Uint8Array): Promise<string> {
  if (algorithm === 'SHA1' || algorithm === 'SHA256') {
    return createHash(algorithm.toLowerCase()).update(bytes).digest('base64');
  }
  const crc = algorithm === 'CRC32' ? new Crc32() : algorithm === 'CRC32C' ? new Crc32c() : new Crc64Nvme();
  crc.update(bytes);
  return Buffer.from(await crc.digest()).toString('base64');
}
