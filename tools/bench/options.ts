// What the benches' command lines share.

import { ToolError } from '../../errors/tool-error.ts';

/** A whole-number option of at least 1, or a usage error naming it. */
export function whole(raw: string, option: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ToolError('MS_USAGE', `${option} takes a whole number of at least 1, got '${raw}'`);
  }
  return Number(raw);
}
