// One line of a pre-push template, parsed. Pure: no I/O.
//
// Forms (spec: CreatePrepushJob): an object key; an absolute http(s) origin URL; or CSV
// `source,destination-key` with RFC 4180 quoting. Blank lines and `#` comments are ignored. Fields are
// trimmed of surrounding blanks unless quoted, so a key with edge spaces needs quotes.

import { keyProblem } from '../core/names.ts';

export type TemplateLine =
  | { kind: 'ignored' }
  | { kind: 'invalid'; source: string; reason: string }
  | { kind: 'entry'; source: string; key: string; url?: URL };

/** Lines longer than this are invalid: a template line names one object, not a document. */
export const MAX_LINE_BYTES = 8 * 1024;

export function parseTemplateLine(text: string): TemplateLine {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'ignored' };
  const fields = splitCsv(text);
  if (fields === undefined) return { kind: 'invalid', source: trimmed, reason: 'unbalanced quotes' };
  const [source = '', key = '', ...extra] = fields;
  if (extra.length > 0) {
    return {
      kind: 'invalid',
      source,
      reason: `${fields.length} fields; a line has a source and at most a destination key`,
    };
  }
  if (source === '') return { kind: 'invalid', source, reason: 'the source is empty' };

  if (/^https?:\/\//i.test(source)) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      return { kind: 'invalid', source, reason: 'the source looks like a URL but does not parse as one' };
    }
    if (url.username !== '' || url.password !== '') {
      return { kind: 'invalid', source, reason: 'origin URLs may not carry a user name or password' };
    }
    let destination = key;
    if (destination === '') {
      try {
        destination = decodeURIComponent(url.pathname).slice(1);
      } catch {
        return { kind: 'invalid', source, reason: 'the URL path is not valid percent-encoded UTF-8' };
      }
      if (destination === '') {
        return {
          kind: 'invalid',
          source,
          reason: 'the URL has no path to name the object: add ",<destination key>"',
        };
      }
    }
    const problem = keyProblem(destination);
    if (problem) return { kind: 'invalid', source, reason: problem };
    return { kind: 'entry', source, key: destination, url };
  }

  const destination = key === '' ? source : key;
  const problem = keyProblem(destination);
  if (problem) return { kind: 'invalid', source, reason: problem };
  return { kind: 'entry', source, key: destination };
}

/** RFC 4180 fields of one line, or undefined when a quote is left open. */
export function splitCsv(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const next = line.indexOf('"', i);
        if (next === -1) return undefined;
        value += line.slice(i, next);
        if (line[next + 1] === '"') {
          value += '"';
          i = next + 2;
          continue;
        }
        i = next + 1;
        break;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return undefined;
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(i, end).trim());
      i = end;
    }
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** A CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}
