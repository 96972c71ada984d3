// Each vendor's facts have one home: its record, spec/vendors/<id>/vendor.ts. Its rule API address and its
// own header prefixes are spelled nowhere else in the source (tests may spell them: they check the
// records against the vendors' pages), so a change to a vendor is one edit and grep finds it once.
import { dialectIds, ruleApiFor, vendorFor, vendorIds } from '../spec/vendors/index.ts';

/** A fact of one vendor as text to find, and the records allowed to hold it. */
interface VendorFact {
  readonly vendor: string;
  readonly kind: 'address' | 'prefix';
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
    file: 'spec/vendors/obs/vendor.ts',
    text: 'x-oss-',
    reason: 'OBS signs x-oss-process as a sub-resource under that name (its SDKs’ resource lists)',
  },
];

const recordOf = (id: string) => `spec/vendors/${id}/vendor.ts`;

/** Every vendor's rule API address, as a rule call spells it, and its header prefixes. */
export function vendorFacts(): VendorFact[] {
  const addresses = dialectIds.map((id) => {
    const address = ruleApiFor(id).address;
    const text = address.kind === 'subresource' ? `?${address.name}` : address.template;
    return { vendor: id, kind: 'address' as const, text };
  });
  const prefixes = vendorIds.flatMap((id) =>
    vendorFor(id).headerPrefixes.map((prefix) => ({ vendor: id, kind: 'prefix' as const, text: prefix })),
  );
  return [...addresses, ...prefixes].map((fact) => ({
    ...fact,
    homes: [...addresses, ...prefixes]
      .filter((other) => other.text.toLowerCase() === fact.text.toLowerCase())
      .map((other) => recordOf(other.vendor)),
  }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where a fact is spelled outside its homes, in the non-test `.ts` files outside spec/generated/ and
 * checks/ (the checks are the tree's tests, and name vendors' facts as examples of what they look for). A
 * prefix counts where it starts a word (`x-oss-`, not the `oss-` inside it, nor a citation key
 * `[oss-put]` or a path); an address counts where it ends one (`?mirror`, not `?mirrorBackToSource`).
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
      const pattern =
        fact.kind === 'prefix'
          ? new RegExp(`(?<![\\w\\-[/.])${escapeRegExp(fact.text)}`, 'i')
          : new RegExp(`${escapeRegExp(fact.text)}(?!\\w)`, 'i');
      const line = text.split('\n').findIndex((row) => pattern.test(row));
      if (line >= 0) found.push(`${path}:${line + 1} spells ${fact.vendor}'s ${fact.text}`);
    }
  }
  return found;
}
