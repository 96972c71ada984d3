// The operations section of docs/s3-compatibility.md, from operationRows(): rendered here, written by
// `npm run docs:s3` (write-s3-compatibility.ts), compared by checks/s3-compatibility-doc.test.ts.

import { type OperationRow, operationRows, ownOperations } from './s3-operations.ts';

export const OPERATIONS_SECTION = 's3-operations';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

function renderOperations(rows: readonly OperationRow[], own: readonly string[]): string {
  const count = (status: string) => rows.filter((row) => row.status.startsWith(status)).length;
  const lines = [
    `${rows.length} operations of S3 (the operations of \`@aws-sdk/client-s3\`): ` +
      `${count('served')} served, ${count('refused')} refused, ${count('not applicable')} not applicable.`,
    '',
    '| Operation | Request the SDK sends | Simulator | Answer to that request, or why | Honoured headers and parameters |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.operation} | ${row.request === '—' ? '—' : `\`${row.request}\``} | ${row.status} | ${escapeCell(row.detail)} | ${escapeCell(row.honoured ?? '')} |`,
    ),
    '',
    `The simulator's own APIs, outside S3 (not applicable to an S3 client): ${own.map((name) => `\`${name}\``).join(', ')}.`,
  ];
  return lines.join('\n');
}

/** The section's body as the code of this tree makes it. */
export async function operationsSection(): Promise<string> {
  return renderOperations(await operationRows(), ownOperations());
}
