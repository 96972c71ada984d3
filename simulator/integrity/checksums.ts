// The checksums S3 computes over object bytes: the five `x-amz-checksum-*` algorithms and Content-MD5.
// CRC32 is zlib's (node 20.15+); CRC32C and CRC64NVME are table-driven here, the one home of both.
// Each digest is the big-endian bytes of the value, sent base64-encoded, as S3 documents
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** An incremental digest: bytes in, the raw digest out once. */
interface Digest {
  update(chunk: Uint8Array): void;
  digest(): Buffer;
}

/** The reflected CRC-32 table of a polynomial (bit-reversed form). */
function crc32Table(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The reflected CRC-64 table of a polynomial (bit-reversed form). */
function crc64Table(polynomial: bigint): BigUint64Array {
  const table = new BigUint64Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ polynomial : c >> 1n;
    table[n] = c;
  }
  return table;
}

// Castagnoli, RFC 3720 appendix B.4: 0x1EDC6F41, reflected 0x82F63B78.
const CRC32C_TABLE = crc32Table(0x82f63b78);
// NVM Express base specification 2.0, section 5.2.1.3.4: 0xAD93D23594C93659, reflected 0x9A6C9329AC4BC9B5.
const CRC64NVME_TABLE = crc64Table(0x9a6c9329ac4bc9b5n);
const MASK64 = 0xffffffffffffffffn;

function crc32cDigest(): Digest {
  let crc = 0xffffffff;
  return {
    update(chunk) {
      for (const byte of chunk) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
      return out;
    },
  };
}

/**
 * CRC-64/NVME over 32-bit halves: BigInt per byte would cost far more, and objects reach gigabytes.
 * The table's entries are split once into high and low words.
 */
const CRC64_HIGH = Uint32Array.from(CRC64NVME_TABLE, (value) => Number(value >> 32n));
const CRC64_LOW = Uint32Array.from(CRC64NVME_TABLE, (value) => Number(value & 0xffffffffn));

function crc64nvmeDigest(): Digest {
  let high = 0xffffffff;
  let low = 0xffffffff;
  return {
    update(chunk) {
      for (const byte of chunk) {
        const index = (low ^ byte) & 0xff;
        // crc = table[index] ^ (crc >>> 8), on the two halves.
        const shiftedLow = ((low >>> 8) | (high << 24)) >>> 0;
        const shiftedHigh = high >>> 8;
        low = ((CRC64_LOW[index] ?? 0) ^ shiftedLow) >>> 0;
        high = ((CRC64_HIGH[index] ?? 0) ^ shiftedHigh) >>> 0;
      }
    },
    digest() {
      const value = ((BigInt(high) << 32n) | BigInt(low)) ^ MASK64;
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(value);
      return out;
    },
  };
}

function crc32Digest(): Digest {
  let crc = 0;
  return {
    update(chunk) {
      crc = crc32(chunk, crc);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc >>> 0);
      return out;
    },
  };
}

function hashDigest(name: 'md5' | 'sha1' | 'sha256'): Digest {
  const hash = createHash(name);
  return {
    update: (chunk) => void hash.update(chunk),
    digest: () => hash.digest(),
  };
}

export function newDigest(algorithm: ChecksumAlgorithm | 'MD5'): Digest {
  switch (algorithm) {
    case 'CRC32':
      return crc32Digest();
    case 'CRC32C':
      return crc32cDigest();
    case 'CRC64NVME':
      return crc64nvmeDigest();
    case 'SHA1':
      return hashDigest('sha1');
    case 'SHA256':
      return hashDigest('sha256');
    case 'MD5':
      return hashDigest('md5');
  }
}

/** The digest's length in bytes, so a header of another length is refused before any byte is read. */
export function digestLength(algorithm: ChecksumAlgorithm | 'MD5'): number {
  return { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32, MD5: 16 }[algorithm];
}

/** The header that carries an algorithm's checksum: x-amz-checksum-crc32 and so on. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm an `x-amz-checksum-algorithm` value or `x-amz-checksum-<name>` header names, if any. */
export function checksumAlgorithmNamed(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase().replace(/^X-AMZ-CHECKSUM-/, '');
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}
