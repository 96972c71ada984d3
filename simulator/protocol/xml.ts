// The simulator's XML: one escaper and one element builder for every S3 response body.

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export type XmlChild = [name: string, content: string | number | boolean | XmlChild[] | undefined];

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function render(children: XmlChild[]): string {
  return children
    .filter(([, content]) => content !== undefined)
    .map(([name, content]) => {
      const inner = Array.isArray(content) ? render(content) : escapeXml(String(content));
      return `<${name}>${inner}</${name}>`;
    })
    .join('');
}

export function xmlDocument(root: string, children: XmlChild[], namespaced = true): string {
  const attributes = namespaced ? ` xmlns="${S3_NAMESPACE}"` : '';
  return `${XML_DECLARATION}<${root}${attributes}>${render(children)}</${root}>`;
}
