// CDNetworks object storage: no rule API found [cdn-mirror], so the suite judges it through the spec's
// neutral API, unsigned. Its own header and presigned-URL names are not listed: the suite never speaks
// its API.
// [cdn-mirror] https://documents.cdnetworks.com/document/object-storage/mirroring-storage

import type { Vendor } from '../vendor.ts';

export const cdnetworks = {
  headerPrefixes: [],
  rulesMaySetPrefixedHeaders: true,
  presignedParameters: [],
  addressing: 'path',
  region: { kind: 'none' },
} satisfies Vendor;
