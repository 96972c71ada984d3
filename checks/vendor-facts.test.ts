import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSourceTree } from './source-files.ts';
import { factExceptions, findStrayFacts, vendorFacts } from './vendor-facts.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe("a vendor's rule API address, header prefixes and presigned parameters live in its record only", () => {
  it('spells no address, no prefix and no presigned parameter in a source file other than the records', () => {
    expect(findStrayFacts(readSourceTree(root, ['.ts']))).toEqual([]);
  });

  it('knows every vendor with a rule API by its address, and OSS by each of its prefixes', () => {
    const facts = vendorFacts().map((fact) => `${fact.vendor} ${fact.text}`);
    expect(facts).toEqual(expect.arrayContaining(['obs ?mirrorBackToSource', 'oss x-oss-', 'oss oss-']));
    expect(facts).toContain('jdcloud /v1/regions/{region}/buckets/{bucket}/backSource');
  });

  it('knows every presigned parameter of a vendor, and lets the vendors that share one each hold it', () => {
    const facts = vendorFacts().map((fact) => `${fact.vendor} ${fact.kind} ${fact.text}`);
    expect(facts).toEqual(expect.arrayContaining(['cos presigned q-ak', 'tos presigned X-Tos-Credential']));
    const expires = vendorFacts().find((fact) => fact.vendor === 'oss' && fact.text === 'Expires');
    expect([...(expires?.homes ?? [])].sort()).toEqual([
      'spec/vendors/ks3/vendor.ts',
      'spec/vendors/obs/vendor.ts',
      'spec/vendors/oss/vendor.ts',
    ]);
  });

  it('lets vendors that share an address each hold it in their own record', () => {
    const mirror = vendorFacts().find((fact) => fact.vendor === 'ks3' && fact.text === '?mirror');
    expect(mirror?.homes).toEqual(['spec/vendors/ks3/vendor.ts', 'spec/vendors/tos/vendor.ts']);
  });

  it('gives every exception a reason', () => {
    for (const exception of factExceptions) expect(exception.reason.length).toBeGreaterThan(20);
  });
});

describe('a stray spelling is found', () => {
  it("reports an address in a dialect's message and a prefix in the simulator, with the line", () => {
    const tree = new Map([
      ['spec/vendors/obs/dialect.ts', "const a = 1;\nthrow new Error('DELETE /?mirrorBackToSource');\n"],
      ['simulator/core/policy.ts', "const prefixes = ['X-Obs-'];\n"],
      ['spec/vendors/obs/dialect.test.ts', "const body = 'PUT /?mirrorBackToSource';\n"],
      ['spec/vendors/obs/vendor.ts', "const name = '?mirrorBackToSource';\n"],
    ]);
    expect(findStrayFacts(tree)).toEqual([
      "simulator/core/policy.ts:1 spells obs's x-obs-",
      "spec/vendors/obs/dialect.ts:2 spells obs's ?mirrorBackToSource",
    ]);
  });

  it('reports a presigned parameter planted as a string or a query name outside its record', () => {
    const tree = new Map([
      ['simulator/core/origin-url.ts', "const cos = ['q-sign-time'];\n"],
      ['conformance/client/presign.ts', 'const url = `${base}?OSSAccessKeyId=${id}`;\n'],
      ['spec/vendors/cos/vendor.ts', "const names = ['q-sign-time'];\n"],
    ]);
    expect(findStrayFacts(tree)).toEqual([
      "conformance/client/presign.ts:1 spells oss's OSSAccessKeyId",
      "simulator/core/origin-url.ts:1 spells cos's q-sign-time",
    ]);
  });

  it('does not take a word of prose or a longer name for a presigned parameter', () => {
    const tree = new Map([['simulator/x.ts', "// the q-ak of the signature\nconst name = 'q-akx';\n"]]);
    expect(findStrayFacts(tree)).toEqual([]);
  });

  it('does not take a longer name, a citation key or a path for a fact', () => {
    const tree = new Map([
      ['simulator/x.ts', "// OBS's ?mirrorBackToSource [oss-put] x.test/oss-error\nconst q = '?mirrors';\n"],
    ]);
    expect(findStrayFacts(tree)).toEqual(["simulator/x.ts:1 spells obs's ?mirrorBackToSource"]);
  });
});
