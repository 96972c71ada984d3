// A signature authorises one request: nothing that changes what a request does may be left out of it.

import { describe, expect, it } from 'vitest';
import { ruleApiSubresources } from '../../../spec/vendors/index.ts';
import { headerSignatureSchemes, stringsToSign } from './header-signature.ts';

const request = (method: string, target: string) => ({
  method,
  target,
  host: '127.0.0.1:9000',
  headers: new Headers({ date: 'Wed, 02 Dec 2026 00:00:00 GMT' }),
});

describe('header signatures of the HMAC-SHA1 family', () => {
  for (const scheme of headerSignatureSchemes()) {
    it.each(
      ruleApiSubresources(),
    )(`${scheme}: signs the rule sub-resource %s, so a bucket call cannot be replayed as a rule call`, (name) => {
      for (const method of ['PUT', 'GET', 'DELETE']) {
        const bucket = stringsToSign(scheme, request(method, '/b'), []);
        const rule = stringsToSign(scheme, request(method, `/b?${name}`), []);
        for (const text of rule) expect(bucket, `${method} /b?${name}`).not.toContain(text);
      }
    });
  }
});
