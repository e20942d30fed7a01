// CSV for spreadsheet tools: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark (so
// Excel reads UTF-8 names correctly), and every cell neutralised against formula injection.
//
// Formula injection (CWE-1236): a cell that begins with = + - @ (or tab / carriage return, which some
// tools skip before looking) is evaluated as a formula by Excel, LibreOffice and Google Sheets.
// Such a cell gets a leading apostrophe, which spreadsheet tools show as text and do not evaluate
// (OWASP "CSV Injection"). Leading whitespace before those characters is treated the same way.

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | boolean | null | undefined;

const DANGEROUS = /^[\s\u00a0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

export function neutralise(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

const text = (value: Cell): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? neutralise(value) : String(value);

/** One cell: text (neutralised), quoted when it holds a comma, quote, CR or LF (RFC 4180 §2.6–2.7). */
export function csvCell(value: Cell): string {
  return stringify([[text(value)]], { record_delimiter: '' });
}

export const BOM = '\uFEFF';

/** A whole file: header + rows, CRLF after every record (RFC 4180 §2.1), a BOM first. */
export function toCsv(header: string[], rows: Cell[][]): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row has ${row.length} cells, header has ${header.length}`);
  }
  return stringify([header, ...rows].map((r) => r.map(text)), { bom: true, record_delimiter: 'windows' });
}

/** Parse RFC 4180 text (BOM tolerated): for tests and for reading a previous pack. */
export function parseCsv(csv: string): string[][] {
  return parse(csv, { bom: true, relax_column_count: true }) as string[][];
}
