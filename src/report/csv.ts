// CSV for spreadsheet tools: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark (so
// Excel reads UTF-8 names correctly), and every cell neutralised against formula injection.
//
// Formula injection (CWE-1236): a cell that begins with = + - @ (or tab / carriage return, which some
// tools skip before looking) is evaluated as a formula by Excel, LibreOffice and Google Sheets.
// Such a cell gets a leading apostrophe, which spreadsheet tools show as text and do not evaluate
// (OWASP "CSV Injection"). Leading whitespace before those characters is treated the same way.

export type Cell = string | number | boolean | null | undefined;

const DANGEROUS = /^[\s\u00a0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

export function neutralise(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

/** One cell: text (neutralised), then quoted when it holds a comma, quote, CR or LF (RFC 4180 §2.6–2.7). */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutralise(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const BOM = '\uFEFF';

/** A whole file: header + rows, CRLF after every record (RFC 4180 §2.1), a BOM first. */
export function toCsv(header: string[], rows: Cell[][]): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row has ${row.length} cells, header has ${header.length}`);
  }
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).map((line) => `${line}\r\n`).join('');
}

/** Parse RFC 4180 text (BOM tolerated): for tests and for reading a previous pack. */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && src[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
