// Generated sections of a Markdown file: the text between `<!-- generated:<id> begin -->` and
// `<!-- generated:<id> end -->` belongs to a generator, the rest to people.

function sectionMarkers(id: string): { begin: string; end: string } {
  return { begin: `<!-- generated:${id} begin -->`, end: `<!-- generated:${id} end -->` };
}

/** The body of section `id`, or undefined when the file has no such section. */
export function readSection(text: string, id: string): string | undefined {
  const { begin, end } = sectionMarkers(id);
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to < from) return undefined;
  return text
    .slice(from + begin.length, to)
    .replace(/^\n/, '')
    .replace(/\n$/, '');
}

/** `text` with section `id`'s body replaced by `body`; throws when the markers are missing. */
export function replaceSection(text: string, id: string, body: string): string {
  const { begin, end } = sectionMarkers(id);
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to < from) {
    throw new Error(`no generated section '${id}': the file needs the lines ${begin} and ${end}`);
  }
  return `${text.slice(0, from + begin.length)}\n${body.trimEnd()}\n${text.slice(to)}`;
}
