// CSV for spreadsheet tools: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark (so
// Excel reads UTF-8 names correctly), and every cell neutralised against formula injection.
//
// Formula injection (CWE-1236): a cell that begins with = + - @ (or tab / carriage return, which some
// tools skip before looking) is evaluated as a formula by Excel, LibreOffice and Google Sheets.
// Such a cell gets a leading apostrophe, which spreadsheet tools show as text and do not evaluate
// (OWASP "CSV Injection"). Leading whitespace before those characters is treated the same way.
// A cell can hold line breaks (a tenant name can): every line in it is neutralised, not only the
// first, since a reader that loses the quoting would start a record (or a tool a formula) there.

import { parse } from 'csv-parse/sync';
import { stringify, type Options } from 'csv-stringify/sync';

export type Cell = string | number | boolean | null | undefined;

const LINE_BREAK = /(\r\n|\r|\n)/;
// Within one line: whitespace other than a line break, then a formula character; or a tab first.
const DANGEROUS_LINE = /^[^\S\r\n]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^\t/;

export function neutralise(value: string): string {
  // split() with a capturing group keeps the breaks at the odd positions.
  const parts = value.split(LINE_BREAK);
  const out = parts.map((part, i) => (i % 2 === 0 && DANGEROUS_LINE.test(part) ? `'${part}` : part)).join('');
  // A cell that begins with a line break begins with an empty first line: tools that skip it see the next.
  return /^[\r\n]/.test(value) ? `'${out}` : out;
}

const text = (value: Cell): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? neutralise(value) : String(value);

// csv-stringify quotes a cell holding the record delimiter, but with CRLF records it leaves a bare
// CR or LF unquoted, and that starts a new record in every reader: quote any CR or LF (RFC 4180
// §2.6). Commas and quotes it quotes itself.
const QUOTING: Options = { quoted_match: /[\r\n]/ };

/** One cell: text (neutralised), quoted when it holds a comma, quote, CR or LF (RFC 4180 §2.6–2.7). */
export function csvCell(value: Cell): string {
  return stringify([[text(value)]], { ...QUOTING, record_delimiter: '' });
}

export const BOM = '\uFEFF';

export interface CsvOptions {
  /**
   * Columns (by position) whose cells are always quoted: identifiers such as account ids. Quoting does
   * not change the value a machine reads; LibreOffice's "Format quoted field as text" import option
   * then keeps such a cell as text (without it, and in Excel, a quoted "012345678901" still becomes
   * the number 12345678901: quotes only delimit there).
   */
  quotedColumns?: ReadonlySet<number>;
}

/** A whole file: header + rows, CRLF after every record (RFC 4180 §2.1), a BOM first. */
export function toCsv(header: string[], rows: Cell[][], options: CsvOptions = {}): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row has ${row.length} cells, header has ${header.length}`);
  }
  const quoted = options.quotedColumns;
  return stringify([header, ...rows].map((r) => r.map(text)), {
    ...QUOTING,
    bom: true,
    record_delimiter: 'windows',
    // Data rows only: the header stays as it was. Neutralisation has already run (text above).
    ...(quoted?.size ? { cast: { string: (value, ctx) => (ctx.header || ctx.records === 0 || !quoted.has(ctx.index ?? -1) ? value : { value, quoted: true }) } } : {}),
  });
}

/** Parse RFC 4180 text (BOM tolerated): for tests and for reading a previous pack. */
export function parseCsv(csv: string): string[][] {
  return parse(csv, { bom: true, relax_column_count: true }) as string[][];
}
