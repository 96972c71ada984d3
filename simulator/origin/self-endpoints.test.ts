import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { canonicalAddress, SelfEndpoints } from './self-endpoints.ts';

describe('canonicalAddress', () => {
  it('reads IPv4-mapped IPv6 forms as the IPv4 address they are', () => {
    expect(canonicalAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalAddress('[::ffff:7f00:1]')).toBe('127.0.0.1');
    expect(canonicalAddress('0:0:0:0:0:ffff:a00:1')).toBe('10.0.0.1');
  });

  it('compresses IPv6 and leaves names alone', () => {
    expect(canonicalAddress('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalAddress('[FE80::1%eth0]')).toBe('fe80::1');
    expect(canonicalAddress('example.test')).toBeUndefined();
  });
});

describe('SelfEndpoints', () => {
  const onLoopback = new SelfEndpoints();
  onLoopback.add({ address: '127.0.0.1', port: 9000 });

  it('counts the listening address, its mapped forms and the unspecified addresses, at its port only', () => {
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '0.0.0.0', '::']) {
      expect(onLoopback.includes(address, 9000), address).toBe(true);
      expect(onLoopback.includes(address, 9001), address).toBe(false);
    }
    expect(onLoopback.includes('127.0.0.2', 9000)).toBe(false);
  });

  it('on an unspecified address, counts every loopback and interface address', () => {
    const everywhere = new SelfEndpoints();
    everywhere.add({ address: '::', port: 9000 });
    const interfaces = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
    for (const { address } of interfaces) expect(everywhere.includes(address, 9000), address).toBe(true);
    expect(everywhere.includes('127.0.0.5', 9000)).toBe(true);
    expect(everywhere.includes('192.0.2.1', 9000)).toBe(false);
  });

  it('refuses origins that name it by another address or the host name, leaving loopback names to the bucket check', () => {
    expect(onLoopback.originProblem('http://0.0.0.0:9000/b/')).toMatch(/is this simulator itself/);
    expect(onLoopback.originProblem('http://[::ffff:127.0.0.1]:9000/')).toMatch(/is this simulator itself/);
    expect(onLoopback.originProblem(`http://${hostname()}:9000/b/`)).toMatch(/is this simulator itself/);
    expect(onLoopback.originProblem('http://127.0.0.1:9000/b/')).toBeUndefined();
    expect(onLoopback.originProblem('http://localhost:9000/b/')).toBeUndefined();
    expect(onLoopback.originProblem('http://0.0.0.0:9001/b/')).toBeUndefined();
    expect(onLoopback.originProblem('http://origin.test:9000/')).toBeUndefined();
  });
});
