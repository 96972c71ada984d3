// The suite never reaches the network by accident: every origin host and redirect Location a law makes
// up is a reserved name (`.invalid`, `.test`) or loopback, so a target that fetches a generated origin
// or follows a generated redirect stays on this machine.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reservedHostArb, reservedUrlArb } from './hosts.ts';
import { breakageArb, configurationArb } from './mirror-rules.ts';

const conformance = new URL('..', import.meta.url).pathname;

/**
 * RFC 6761 reserved names (`.invalid`, `.test`, and `localhost`, which is loopback), 127.0.0.0/8 and ::1;
 * written here apart from hosts.ts so a slip there shows.
 */
function isReservedOrLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)) return true;
  return /(?:^|\.)(?:invalid|test|localhost)$/.test(host);
}

/** The host of every http(s) URL written out in `text`. */
function hostsIn(text: string): string[] {
  return [
    ...text.matchAll(/\bhttps?:\/\/(?:[^/@\s"'`]*@)?(\[[0-9a-f:]+\]|[A-Za-z0-9][^/:?#\s"'`\\]*)/gi),
  ].map((match) => match[1] ?? '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const SAMPLES = 3000;

describe('generated hosts', () => {
  it('recognises public names as neither reserved nor loopback', () => {
    for (const host of ['a.aa', 'example.com', 'origin.example', 'invalid.com', '128.0.0.1', 'test'])
      expect(isReservedOrLoopback(host), host).toBe(host === 'test');
    expect(hostsIn("['http://a.aa/x', `https://u@b.test:80/`, 'http://[::1]:9/']")).toEqual([
      'a.aa',
      'b.test',
      '[::1]',
    ]);
  });

  it('every reserved host and URL a law draws is under .invalid or .test', () => {
    for (const host of fc.sample(reservedHostArb, SAMPLES))
      expect(isReservedOrLoopback(host), host).toBe(true);
    for (const url of fc.sample(reservedUrlArb, SAMPLES)) {
      expect(isReservedOrLoopback(new URL(url).hostname), url).toBe(true);
    }
  });

  it('every origin of a generated mirror configuration is reserved', () => {
    for (const { rules } of fc.sample(configurationArb, SAMPLES / 3)) {
      for (const origin of rules.flatMap((rule) => rule.origins)) {
        expect(isReservedOrLoopback(new URL(origin).hostname), origin).toBe(true);
      }
    }
  });

  it('every URL in a broken configuration document is reserved', () => {
    const valid = { rules: [{ id: 'r', origins: ['http://origin.invalid/'] }] };
    for (const breakage of fc.sample(breakageArb, SAMPLES / 3)) {
      const body = breakage.body(valid);
      const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
      // A document cut short may end inside a host name; only whole documents name whole hosts.
      if (!isJson(text)) continue;
      for (const host of hostsIn(text)) expect(isReservedOrLoopback(host), breakage.name).toBe(true);
    }
  });

  it('no law or arbitrary writes out a public host or draws one from fast-check', () => {
    const files = [
      ...sourceFiles(join(conformance, 'laws')),
      ...sourceFiles(join(conformance, 'arbitraries')),
    ];
    for (const file of files.filter((path) => !path.endsWith('generated-hosts.test.ts'))) {
      // Comments cite vendor pages; only code can hand a host to a target.
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      // fast-check's web arbitraries draw resolvable public names such as `a.aa`.
      expect(text, file).not.toMatch(
        /fc\.(?:domain|webUrl|webAuthority|emailAddress|ipV4|ipV6|ipV4Extended)\(/,
      );
      for (const host of hostsIn(text)) expect(isReservedOrLoopback(host), `${file}: ${host}`).toBe(true);
    }
  });
});
