// access-review.xlsx: the access review as a workbook, for people who open it in Excel or
// LibreOffice. Three sheets: the access paths (the CSV's columns, typed: ids as text cells, times as
// date cells in UTC, a list for the reviewer's decision, header frozen, autofilter), the findings, and
// the controls (each rule's outcome with its framework references).
//
// Tenant strings are hostile. Every string is written as a string value (exceljs makes a formula
// only from a { formula } object, never from text that begins with "="), characters XML 1.0 cannot
// hold are written visibly as \uXXXX (a raw one makes the file unreadable), and text longer than a
// cell can hold is cut with a note (Excel "repairs" such a file by dropping content).
//
// Same input, same bytes: exceljs stamps docProps/core.xml with the workbook's created/modified
// times (set here to the snapshot's collection time) and every zip entry with the time of writing.
// The package it makes is therefore unpacked and packed again with JSZip, entries in a fixed order,
// each dated at the collection time (JSZip writes DOS times in UTC: no time-zone dependence).
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { AuditResult } from './audit-result.js';
import { ACCESS_REVIEW_COLUMNS, ACCESS_REVIEW_KINDS, accessReviewRows, DECISIONS } from './access-review.js';
import { ruleOutcomes } from './controls.js';
import type { Cell } from './csv.js';

export const XLSX_SHEETS = ['Access paths', 'Findings', 'Controls'] as const;

/** Excel's limit on the characters of one cell. */
const CELL_MAX = 32_767;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

// XML 1.0 Char: no C0 control but tab, LF, CR; no U+FFFE/U+FFFF; no lone surrogate.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string as a cell can hold it: XML-forbidden characters visible as \uXXXX, cut at Excel's limit. */
export function cellText(value: string): string {
  const safe = value.replace(XML_FORBIDDEN, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  if (safe.length <= CELL_MAX) return safe;
  const note = ` … (cut: ${safe.length} characters; the full text is in access-review.csv and report.json)`;
  let cut = CELL_MAX - note.length;
  // Do not split a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(safe[cut - 1]!)) cut--;
  return safe.slice(0, cut) + note;
}

type XlsxValue = string | number | Date | null;

const str = (v: Cell): XlsxValue => (v === null || v === undefined || v === '' ? null : typeof v === 'number' ? v : cellText(String(v)));

/** Excel column letters of a 1-based column number. */
function letters(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

interface SheetSpec {
  name: (typeof XLSX_SHEETS)[number];
  columns: { header: string; width: number; numFmt?: string }[];
  rows: XlsxValue[][];
  decisionColumn?: number;
}

function accessPathsSheet(reviewRows: Cell[][]): SheetSpec {
  const kinds = ACCESS_REVIEW_KINDS;
  const rows = reviewRows.map((r) =>
    r.map((v, i): XlsxValue => {
      // A date cell: the ISO text the CSV holds, as a date. Empty stays empty (its note says why).
      if (kinds[i] === 'date' && typeof v === 'string' && v !== '') return new Date(v);
      return str(v);
    }),
  );
  return {
    name: 'Access paths',
    columns: ACCESS_REVIEW_COLUMNS.map((header, i) => {
      const kind = kinds[i]!;
      // Text format on id and reviewer columns: what is typed there later stays text too.
      const numFmt = kind === 'date' || kind === 'review-date' ? DATE_FORMAT : kind === 'id' || kind === 'review' || kind === 'decision' ? '@' : undefined;
      const width = kind === 'date' || kind === 'review-date' ? 20 : kind === 'note' ? 26 : kind === 'count' ? 8 : 18;
      return { header, width, ...(numFmt ? { numFmt } : {}) };
    }),
    rows,
    decisionColumn: kinds.indexOf('decision') + 1,
  };
}

const FINDINGS_COLUMNS = [
  'rule',
  'severity',
  'status',
  'object type',
  'object id',
  'object name',
  'account id',
  'paths',
  'people',
  'accounts',
  'prod accounts',
  'worst window',
  'waiver owner',
  'waiver reason',
  'waiver expires',
  'message',
  'fingerprint',
];

function findingsSheet(result: AuditResult): SheetSpec {
  return {
    name: 'Findings',
    columns: FINDINGS_COLUMNS.map((header) => ({ header, width: header === 'message' ? 60 : 18, ...(/ id$/.test(header) ? { numFmt: '@' } : {}) })),
    // In report order: most severe and widest impact first.
    rows: result.findings.map(({ finding: f }) =>
      [
        f.ruleId,
        f.severity,
        f.status,
        f.object.type,
        f.object.id,
        f.object.name,
        f.account?.id ?? null,
        f.impact ? f.impact.paths.length : null,
        f.impact?.people ?? null,
        f.impact?.accounts ?? null,
        f.impact?.prodAccounts ?? null,
        f.impact?.worstWindow ?? null,
        f.waiver?.owner ?? null,
        f.waiver?.reason ?? null,
        f.waiver?.expires ?? null,
        f.message,
        f.fingerprint,
      ].map(str),
    ),
  };
}

const OUTCOME_WORDS = { failed: 'failed', passed: 'passed', 'not-evaluable': 'not evaluable' } as const;

function controlsSheet(result: AuditResult): SheetSpec {
  const rows: XlsxValue[][] = [];
  // One row per rule and framework control it maps to, so the sheet filters by framework.
  for (const o of ruleOutcomes(result)) {
    for (const ref of o.rule.def.references) {
      rows.push(
        [o.rule.def.id, o.rule.def.title, o.rule.def.severity, OUTCOME_WORDS[o.status], o.open, o.waived, o.missing.join('; '), ref.framework, ref.id].map(str),
      );
    }
  }
  return {
    name: 'Controls',
    columns: ['rule', 'title', 'severity', 'outcome', 'open findings', 'waived findings', 'missing sections', 'framework', 'control'].map((header) => ({
      header,
      width: header === 'title' ? 50 : 18,
    })),
    rows,
  };
}

async function writeSheets(specs: SheetSpec[], at: Date): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  // Loaded when a workbook is made (the evidence pack): exceljs takes 0.15 s to load, at every start otherwise.
  const { default: excel } = await import('exceljs');
  // The streaming writer: a workbook of 300,000 paths is written row by row, not held as cell objects.
  const wb = new excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  wb.creator = 'jitaudit';
  wb.lastModifiedBy = 'jitaudit';
  wb.created = at;
  wb.modified = at;
  for (const spec of specs) {
    const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = spec.columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    const last = letters(spec.columns.length);
    ws.autoFilter = `A1:${last}${Math.max(spec.rows.length + 1, 1)}`;
    if (spec.decisionColumn) {
      const col = letters(spec.decisionColumn);
      // The streaming worksheet has dataValidations; exceljs's typings do not say so.
      (ws as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations.add(`${col}2:${col}${Math.max(spec.rows.length + 1, 2)}`, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${DECISIONS.join(',')}"`],
        showErrorMessage: true,
        errorTitle: 'decision',
        error: `One of: ${DECISIONS.join(', ')}`,
      });
    }
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const values of spec.rows) {
      const r = ws.addRow(values);
      values.forEach((v, i) => {
        if (v instanceof Date) r.getCell(i + 1).numFmt = DATE_FORMAT;
      });
      r.commit();
    }
    ws.commit();
  }
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/** The package again, byte for byte the same for the same content: fixed entry order and dates. */
async function normalised(xlsx: Buffer, at: Date): Promise<Buffer> {
  const { default: JSZip } = await import('jszip');
  const source = await JSZip.loadAsync(xlsx);
  const names = Object.keys(source.files).filter((n) => !source.files[n]!.dir);
  // [Content_Types].xml first, as Office writes it; the rest in code-point order.
  const ordered = names.sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const target = new JSZip();
  for (const name of ordered) target.file(name, await source.files[name]!.async('nodebuffer'), { date: at, createFolders: false });
  return target.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}

/** access-review.xlsx: the same bytes for the same audit (dated at the snapshot's collection time). */
export async function renderAccessReviewXlsx(result: AuditResult, reviewRows: Cell[][] = accessReviewRows(result)): Promise<Buffer> {
  const at = new Date(result.analysis.now);
  if (Number.isNaN(at.getTime())) throw new Error(`collection time ${JSON.stringify(result.analysis.now)} is not a date`);
  const raw = await writeSheets([accessPathsSheet(reviewRows), findingsSheet(result), controlsSheet(result)], at);
  return normalised(raw, at);
}
