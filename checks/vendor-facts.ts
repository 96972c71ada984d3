// Each vendor's facts have one home: its record, spec/vendors/<id>/vendor.ts. Its rule API address, its
// own header prefixes and its presigned-URL parameters are spelled nowhere else in the source (tests may
// spell them: they check the records against the vendors' pages), so a change to a vendor is one edit and
// grep finds it once.
import { dialectIds, ruleApiFor, vendorFor, vendorIds } from '../spec/vendors/index.ts';

/** A fact of one vendor as text to find, and the records allowed to hold it. */
interface VendorFact {
  readonly vendor: string;
  readonly kind: 'address' | 'prefix' | 'presigned';
  readonly text: string;
  /** The files the text may appear in: the records of the vendors that share it. */
  readonly homes: readonly string[];
}

/** A place outside a record that may spell a fact, because it is another vendor's documented word. */
interface FactException {
  readonly file: string;
  readonly text: string;
  readonly reason: string;
}

export const factExceptions: readonly FactException[] = [
  {
    file: 'spec/vendors/jdcloud/parse.ts',
    text: 'x-oss-',
    reason:
      'JD Cloud’s own guide names x-oss- as the prefix a header rule may not configure [jd-guide]; the ' +
      'dialect quotes JD’s rule, not OSS’s record',
  },
  {
    file: 'spec/vendors/jdcloud/dialect-arbitraries.ts',
    text: 'x-oss-',
    reason:
      'the dialect tests’ header generator leaves out what JD Cloud’s guide says a rule may not configure, ' +
      'x-oss- among them [jd-guide], written apart from the dialect so the test can catch it',
  },
  {
    file: 'spec/vendors/obs/vendor.ts',
    text: 'x-oss-',
    reason: 'OBS signs x-oss-process as a sub-resource under that name (its SDKs’ resource lists)',
  },
  // OSS, KS3 and OBS kept AWS Signature Version 2's query parameter names [aws-v2]: Signature and Expires
  // are S3's words before any vendor's, and the same names are an HTTP header and a V4 Authorization field.
  {
    file: 'simulator/core/origin-url.ts',
    text: 'Signature',
    reason: 'AWS Signature Version 2 names Signature as a presigned-URL parameter [aws-v2]',
  },
  {
    file: 'simulator/core/origin-url.ts',
    text: 'Expires',
    reason: 'AWS Signature Version 2 names Expires as a presigned-URL parameter [aws-v2]',
  },
  {
    file: 'simulator/protocol/auth/presigned-v2.ts',
    text: 'Signature',
    reason: 'AWS Signature Version 2 names Signature as a presigned-URL parameter [aws-v2]',
  },
  {
    file: 'simulator/protocol/auth/presigned-v2.ts',
    text: 'Expires',
    reason: 'AWS Signature Version 2 names Expires as a presigned-URL parameter [aws-v2]',
  },
  {
    file: 'conformance/client/presign-v2.ts',
    text: 'Signature',
    reason: 'AWS Signature Version 2 names Signature as a presigned-URL parameter [aws-v2]',
  },
  {
    file: 'conformance/client/presign-v2.ts',
    text: 'Expires',
    reason: 'AWS Signature Version 2 names Expires as a presigned-URL parameter [aws-v2]',
  },
  {
    file: 'simulator/operations/post-object.ts',
    text: 'Signature',
    reason: "S3's browser form uploads keep Signature Version 2's field names (signature) [s3-post-object]",
  },
  {
    file: 'simulator/operations/post-object.ts',
    text: 'Expires',
    reason: 'Expires is also a form field a browser upload stores as the object header [s3-post-object]',
  },
  {
    file: 'simulator/operations/post-policy.ts',
    text: 'Signature',
    reason: "S3's browser form uploads keep Signature Version 2's field names (signature) [s3-post-object]",
  },
  {
    file: 'simulator/protocol/auth/post-signature.ts',
    text: 'Signature',
    reason: "S3's browser form uploads keep Signature Version 2's field names (signature) [s3-post-object]",
  },
  {
    file: 'conformance/support/post-object-calls.ts',
    text: 'Signature',
    reason: "S3's browser form uploads keep Signature Version 2's field names (signature) [s3-post-object]",
  },
  {
    file: 'simulator/core/object-headers.ts',
    text: 'Expires',
    reason: 'Expires is also the HTTP response header an object keeps from the request that wrote it',
  },
  {
    file: 'simulator/protocol/auth/sigv4.ts',
    text: 'Signature',
    reason: 'Signature is also a field of the AWS Signature Version 4 Authorization header',
  },
  {
    file: 'simulator/protocol/auth/chunk-signature.ts',
    text: 'Signature',
    reason: 'signature is the chunk signature of an aws-chunked body, a SigV4 field, no vendor parameter',
  },
  {
    file: 'conformance/arbitraries/vendor-credentials.ts',
    text: 'Signature',
    reason: 'the names a signature takes under every vendor prefix, built from the records, not one vendor',
  },
  {
    file: 'conformance/arbitraries/vendor-credentials.ts',
    text: 'security-token',
    reason: 'the names a token takes under every vendor prefix, built from the records, not one vendor',
  },
  {
    file: 'simulator/protocol/auth/v4-signature.ts',
    text: 'Signature',
    reason: 'Signature is also a field of the V4 Authorization header the vendors’ V4 schemes parse',
  },
];

const recordOf = (id: string) => `spec/vendors/${id}/vendor.ts`;

/** Every vendor's rule API address, as a rule call spells it, its header prefixes and presigned parameters. */
export function vendorFacts(): VendorFact[] {
  const addresses = dialectIds.map((id) => {
    const address = ruleApiFor(id).address;
    const text = address.kind === 'subresource' ? `?${address.name}` : address.template;
    return { vendor: id, kind: 'address' as const, text };
  });
  const prefixes = vendorIds.flatMap((id) =>
    vendorFor(id).headerPrefixes.map((prefix) => ({ vendor: id, kind: 'prefix' as const, text: prefix })),
  );
  const presigned = vendorIds.flatMap((id) =>
    vendorFor(id).presignedParameters.map((name) => ({ vendor: id, kind: 'presigned' as const, text: name })),
  );
  const facts = [...addresses, ...prefixes, ...presigned];
  return facts.map((fact) => ({
    ...fact,
    homes: facts
      .filter((other) => other.text.toLowerCase() === fact.text.toLowerCase())
      .map((other) => recordOf(other.vendor)),
  }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How a fact is found in a line. A prefix counts where it starts a word (`x-oss-`, not the `oss-` inside
 * it, nor a citation key `[oss-put]` or a path); an address counts where it ends one (`?mirror`, not
 * `?mirrorBackToSource`); a presigned parameter counts as a whole string or a query's name (`'q-ak'`,
 * `&Expires=`), not as a word of prose (`the signature`).
 */
function factPattern(fact: VendorFact): RegExp {
  const text = escapeRegExp(fact.text);
  if (fact.kind === 'prefix') return new RegExp(`(?<![\\w\\-[/.])${text}`, 'i');
  if (fact.kind === 'address') return new RegExp(`${text}(?!\\w)`, 'i');
  return new RegExp(`(?<=['"\`?&])${text}(?=['"\`=])`, 'i');
}

/**
 * Where a fact is spelled outside its homes, in the non-test `.ts` files outside spec/generated/ and
 * checks/ (the checks are the tree's tests, and name vendors' facts as examples of what they look for).
 */
export function findStrayFacts(
  tree: ReadonlyMap<string, string>,
  facts: readonly VendorFact[] = vendorFacts(),
  exceptions: readonly FactException[] = factExceptions,
): string[] {
  const found: string[] = [];
  for (const [path, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.endsWith('.ts') || path.endsWith('.test.ts')) continue;
    if (path.startsWith('spec/generated/') || path.startsWith('checks/')) continue;
    for (const fact of facts) {
      if (fact.homes.includes(path)) continue;
      if (exceptions.some((exception) => exception.file === path && exception.text === fact.text)) continue;
      const pattern = factPattern(fact);
      const line = text.split('\n').findIndex((row) => pattern.test(row));
      if (line >= 0) found.push(`${path}:${line + 1} spells ${fact.vendor}'s ${fact.text}`);
    }
  }
  return found;
}
