// The signature schemes the simulator verifies, as the vendor records name them: every vendor's object
// API and rule API. A vendor whose scheme belongs to a known family needs no code here.

import { vendorFor, vendorIds } from '../../../spec/vendors/index.ts';
import type { SignatureScheme } from '../../../spec/vendors/vendor.ts';

export function vendorSchemes<F extends SignatureScheme['family']>(
  family: F,
): Extract<SignatureScheme, { family: F }>[] {
  const schemes = vendorIds.flatMap((id) => {
    const vendor = vendorFor(id);
    return [vendor.signature, vendor.ruleApi?.signature];
  });
  const seen = new Set<string>();
  return schemes.filter((scheme): scheme is Extract<SignatureScheme, { family: F }> => {
    if (scheme?.family !== family) return false;
    const key = JSON.stringify(scheme);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
