import { describe, expect, it } from 'vitest';
import { behaviourIds, CatalogueError, loadCatalogue, parseCatalogue } from './catalogue.ts';

// The ids the suite and the reports are written against; renaming one is a breaking change.
const agreedIds = [
  'hit.no-origin',
  'miss.no-rule',
  'rules.first-match',
  'origins.in-order',
  'origin.ok-relayed-and-stored',
  'stored.served-from-bucket',
  'origin.not-found',
  'origin.failure-424',
  'origin.url',
  'origin.key-rewrite',
  'origin.query-string',
  'origin.headers-policy',
  'origin.headers-never-forwarded',
  'origin.redirect-follow',
  'origin.redirect-relay',
  'origin.chunked',
  'origin.empty-object',
  'stored.no-refresh',
  'stored.delete-refetch',
  'origin.size-cap',
  'head.miss-no-origin',
  'config.replace',
  'config.invalid-unchanged',
  's3.object-basics',
  'prepush.stored',
  'prepush.outcomes',
  'prepush.result-file',
  'prepush.skip-existing',
  'prepush.overwrite',
  'prepush.limit',
  'prepush.cancel',
  'miss.single-flight',
  'writeback.atomic',
  'origin.md5-check',
  'writeback.client-disconnect',
  'race.put-wins',
  'race.delete-wins',
  'race.rules-snapshot',
  'origin.slow-isolated',
  'origin.redirect-loop',
  'ssrf.literal-refused',
  'ssrf.resolved-refused',
  'ssrf.redirect-refused',
  'origin.credentials-never-forwarded',
  'config.hostile-input',
  's3.invalid-names',
  'auth.sigv4',
  'auth.anonymous-private-denied',
  'auth.public-read-mirrors',
  'auth.public-read-bucket',
  'auth.public-read-write-bucket',
  'model.commands',
  'race.scheduled',
  'head.trigger',
  'origin.failover-policy',
  'origin.follow-off-fails',
  'origin.chunked-fails',
  'range.not-forwarded',
  'range.on-miss',
  'stored.headers-kept',
  'config.rule-limit',
  'config.prefix-unique',
  'config.prefix-nested',
  'config.https-origins',
  'config.origin-url-form',
  'config.rewrite-exclusive',
  'config.header-limits',
  'config.id-format',
  'config.self-origin',
  'rules.literal-wildcards',
  'rules.empty-prefix',
  'rules.no-condition',
  'rules.suffix-and-prefix',
  'origin.query-verbatim',
  'origin.refused-424',
  'origin.timeout-424',
  'origin.short-body-424',
  'stored.last-modified',
  'stored.storage-class',
  'stored.etag-md5',
  'writeback.off',
  'mode.redirect',
  'mode.redirect-async',
  'mode.redirect-async-repeat',
  'origin.https-invalid-cert',
  's3.list-objects',
  's3.range-get',
  's3.put-get-roundtrip',
  'rules.header-condition',
  'origin.failover-list',
  'mode.redirect-status',
  'origin.url-hostile-keys',
  's3.hostile-keys',
  's3.copy-object',
  's3.copy-conditions',
  'miss.copy-source',
  's3.unhonoured-refused',
  's3.conditional-read',
  's3.multipart-complete',
  's3.multipart-part-rules',
  's3.multipart-abort',
  's3.multipart-listing',
  's3.content-md5',
  's3.checksum-verified',
  's3.multipart-checksum',
  'origin.size-cap-chunked',
  'auth.payload-hash',
  'auth.region',
  'auth.presigned-v2',
  'auth.presigned-expires-range',
  'auth.bucket-policy',
  'auth.users-own-buckets',
  'auth.users-public-read',
  'auth.users-upload-initiator',
  'ssrf.self-address-refused',
  'ssrf.loop-refused',
  'config.prepush-bounded',
  's3.list-objects-v1',
  's3.list-objects-v2-details',
  's3.delete-objects',
  's3.delete-objects-checked',
  's3.bucket-location',
  's3.create-bucket-again',
  's3.post-object',
  's3.lifecycle-abort-uploads',
  's3.response-overrides',
  's3.missing-bucket-first',
  's3.conditional-write',
  's3.conditional-write-conflict',
  'stored.conditional-write',
  's3.upload-part-copy',
  's3.list-object-versions',
];

const validEntry = [
  '  - id: hit.no-origin',
  '    statement: A hit is served from the bucket.',
  '    level: must',
  '    sources: [seeds/003_30f6b55cf6d9ff35.txt]',
  '    basis: documented',
  '    vendorStatements: [28]',
];

function catalogueText(...entries: string[][]): string {
  return ['behaviours:', ...entries.flat()].join('\n');
}

function withLine(prefix: string, replacement: string | undefined): string[] {
  return validEntry.flatMap((line) =>
    line.startsWith(prefix) ? (replacement === undefined ? [] : [replacement]) : [line],
  );
}

describe('behaviour catalogue', () => {
  it('loads', () => {
    expect(loadCatalogue().length).toBeGreaterThan(0);
  });

  it('holds exactly the agreed behaviour ids', () => {
    expect([...behaviourIds()].sort()).toEqual([...agreedIds].sort());
  });

  it('has unique ids', () => {
    const ids = loadCatalogue().map((behaviour) => behaviour.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cites at least one source for every behaviour', () => {
    for (const behaviour of loadCatalogue()) {
      expect(behaviour.sources.length, behaviour.id).toBeGreaterThan(0);
    }
  });

  it('rests every documented behaviour on a vendor statement or a seed vendor document', () => {
    for (const behaviour of loadCatalogue().filter((entry) => entry.basis === 'documented')) {
      const evidence =
        behaviour.vendorStatements.length +
        behaviour.sources.filter((source) => source.startsWith('seeds/')).length;
      expect(evidence, behaviour.id).toBeGreaterThan(0);
    }
  });
});

describe('catalogue validation', () => {
  it('accepts a well-formed entry', () => {
    expect(parseCatalogue(catalogueText(validEntry))).toHaveLength(1);
  });

  it.each([
    ['a missing field', withLine('    level:', undefined), /behaviour hit\.no-origin: missing field "level"/],
    [
      'an unknown level',
      withLine('    level:', '    level: may'),
      /behaviour hit\.no-origin: unknown level "may"/,
    ],
    [
      'an unknown basis',
      withLine('    basis:', '    basis: rumoured'),
      /behaviour hit\.no-origin: unknown basis "rumoured"/,
    ],
    [
      'empty sources',
      withLine('    sources:', '    sources: []'),
      /behaviour hit\.no-origin: sources is empty/,
    ],
    ['a nameless entry', withLine('  - id:', '  - title: x'), /behaviour #1: unknown field "title"/],
  ])('rejects %s, naming the entry', (_, entry, message) => {
    expect(() => parseCatalogue(catalogueText(entry))).toThrow(message);
  });

  it('rejects a duplicate id, naming it', () => {
    expect(() => parseCatalogue(catalogueText(validEntry, validEntry))).toThrow(
      /behaviour hit\.no-origin: duplicate id/,
    );
  });

  it('rejects a document without a behaviours list', () => {
    expect(() => parseCatalogue('rules: []')).toThrow(CatalogueError);
  });
});
