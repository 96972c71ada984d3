// Splits a byte stream into lines without holding more than one line (capped) in memory.

import { MAX_LINE_BYTES } from './template-line.ts';

interface RawLine {
  /** The line's bytes without its end (\n or \r\n), cut at MAX_LINE_BYTES + 1. */
  bytes: Uint8Array;
  /** True when the line was longer than MAX_LINE_BYTES. */
  overlong: boolean;
}

export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<RawLine> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let overlong = false;
  const finish = (): RawLine => {
    let bytes = Buffer.concat(parts);
    const tooLong = overlong || size > MAX_LINE_BYTES;
    if (!tooLong && bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    const line = { bytes, overlong: tooLong };
    parts = [];
    size = 0;
    overlong = false;
    return line;
  };
  const keep = (piece: Uint8Array) => {
    const room = MAX_LINE_BYTES + 1 - size;
    if (room <= 0) {
      overlong = true;
      return;
    }
    const kept = piece.byteLength > room ? piece.subarray(0, room) : piece;
    if (piece.byteLength > room) overlong = true;
    parts.push(kept);
    size += kept.byteLength;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      keep(chunk.subarray(start, newline));
      yield finish();
      start = newline + 1;
    }
    if (start < chunk.byteLength) keep(chunk.subarray(start));
  }
  // A last line without a newline still counts; an empty tail after a final newline does not.
  if (size > 0 || overlong) yield finish();
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** The line as text, or undefined when it is not valid UTF-8. */
export function decodeLine(line: RawLine): string | undefined {
  try {
    return strict.decode(line.bytes);
  } catch {
    return undefined;
  }
}
