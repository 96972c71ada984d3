// Checks an origin body against the Content-MD5 it announced, when the rule asks for it (OSS
// MirrorCheckMd5: a mismatch is not stored [oss-put][oss-424]; no Content-MD5 means no check [oss-put]).

import { createHash, type Hash } from 'node:crypto';

export interface BodyCheck {
  update(chunk: Uint8Array): void;
  /** Throws when the body does not match what the origin announced. */
  verify(): void;
}

const NO_CHECK: BodyCheck = { update() {}, verify() {} };

export function bodyCheck(checkMd5: boolean, headers: Record<string, string>): BodyCheck {
  const announced = headers['content-md5']?.trim();
  if (!checkMd5 || announced === undefined) return NO_CHECK;
  const hash: Hash = createHash('md5');
  return {
    update: (chunk) => hash.update(chunk),
    verify: () => {
      const actual = hash.digest('base64');
      if (actual !== announced) {
        throw new Error(`the body's MD5 is ${actual} but the origin's Content-MD5 says ${announced}`);
      }
    },
  };
}
