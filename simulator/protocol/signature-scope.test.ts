// What a SigV4 signature authorises, end to end in-process: a header added after signing, or a signature
// for one operation sent as another, is refused and changes nothing.

import { describe, expect, it } from 'vitest';
import { errorCode as code, signedSimulator } from './signed-requests.ts';

const { signedHeaders, send } = signedSimulator({
  accessKeyId: 'scope-key',
  secretAccessKey: 'scope-secret',
});

describe('a SigV4 signature', () => {
  it('does not cover an x-amz-* header added after signing: the request is refused and makes nothing', async () => {
    const headers = await signedHeaders('PUT', '/scoped-acl');
    const response = await send('PUT', '/scoped-acl', { ...headers, 'x-amz-acl': 'public-read' });
    expect(response.status).toBe(403);
    expect(await code(response)).toBe('AccessDenied');
    const listed = await send('GET', '/', await signedHeaders('GET', '/'));
    expect(await listed.text()).not.toContain('scoped-acl');
  });

  it('accepts the same request with the header signed', async () => {
    const headers = await signedHeaders('PUT', '/scoped-signed', { 'x-amz-acl': 'public-read' });
    expect((await send('PUT', '/scoped-signed', headers)).status).toBe(200);
  });
});
