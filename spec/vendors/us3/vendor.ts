// UCloud US3: mirror rules are set in the console only [us3-guide], so it has no rule API here and the
// suite judges it through the spec's neutral API, unsigned. Its own header and presigned-URL names are
// not listed: the suite never speaks US3's API.
// [us3-guide] https://ucloud-global.com/en/docs/ufile/guide/mirror

import type { Vendor } from '../vendor.ts';

export const us3 = {
  headerPrefixes: [],
  rulesMaySetPrefixedHeaders: true,
  presignedParameters: [],
  addressing: 'path',
  region: { kind: 'none' },
} satisfies Vendor;
