import { describe, expect, it } from 'vitest';
import { readLines } from './read-lines.ts';
import { csvField, parseTemplateLine, splitCsv } from './template-line.ts';

describe('pre-push template lines', () => {
  it.each([
    ['', { kind: 'ignored' }],
    ['   ', { kind: 'ignored' }],
    ['  # a comment', { kind: 'ignored' }],
    ['img/logo.png', { kind: 'entry', source: 'img/logo.png', key: 'img/logo.png' }],
    ['img/logo.png,assets/logo.png', { kind: 'entry', source: 'img/logo.png', key: 'assets/logo.png' }],
    ['"a,b.txt", "c ""d"".txt"', { kind: 'entry', source: 'a,b.txt', key: 'c "d".txt' }],
  ])('%j is %j', (line, expected) => {
    expect(parseTemplateLine(line)).toMatchObject(expected);
  });

  it('stores an origin URL under its decoded path without the query', () => {
    const line = parseTemplateLine('https://old.example/a%20b/c.jpg?v=2');
    expect(line).toMatchObject({ kind: 'entry', key: 'a b/c.jpg' });
    expect(line.kind === 'entry' && line.url?.href).toBe('https://old.example/a%20b/c.jpg?v=2');
  });

  it.each([
    ['a,b,c', '3 fields'],
    ['"open', 'unbalanced quotes'],
    ['https://old.example/', 'no path'],
    ['https://user:pw@old.example/x', 'user name'],
    [`${'k'.repeat(1025)}`, '1024 bytes'],
    [',dest', 'source is empty'],
  ])('%j is invalid: %s', (line, reason) => {
    const parsed = parseTemplateLine(line);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.reason).toContain(reason);
  });

  it('quotes CSV fields only when needed, and splitCsv reads them back', () => {
    for (const value of ['plain', 'a,b', 'say "hi"', ' edge ', 'line\nbreak']) {
      expect(splitCsv(csvField(value))).toEqual([value]);
    }
  });

  it('splits a byte stream into lines across chunk edges, with CRLF and a last line without newline', async () => {
    async function* chunks() {
      yield Buffer.from('a\r\nb');
      yield Buffer.from('c\n\nd');
    }
    const lines: string[] = [];
    for await (const line of readLines(chunks())) lines.push(Buffer.from(line.bytes).toString());
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });
});
