// The access review as spreadsheet tools open it: access-review.csv read back with Python's csv
// module (ids exact, one date format, notes instead of words in date columns, explicit "not
// applicable (standing)", the reviewer's columns), and access-review.xlsx read back with exceljs
// (sheets, text-typed ids, date cells, no formula from a hostile name, byte-identical twice).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { ACCESS_REVIEW_COLUMNS, DECISIONS, NOTES, renderAccessReview } from '../src/report/access-review.js';
import { cellText, renderAccessReviewXlsx, XLSX_SHEETS } from '../src/report/access-review-xlsx.js';
import { PYTHON_CSV, pythonCsvRows } from './helpers/csv-readers.js';
import { tempDir } from './helpers/cli.js';
import { demoConfig, demoSnapshot } from './helpers/demo.js';
import { HOSTILE, makeHostile } from './helpers/hostile.js';

// An account id with a leading zero: a spreadsheet that reads it as a number makes it 12345678901.
const ZERO_ID = '012345678901';

function audit(mutate?: (s: Snapshot) => void) {
  let s = demoSnapshot();
  mutate?.(s);
  // Every mention of the data-prod account, wherever the snapshot names it.
  s = JSON.parse(JSON.stringify(s).replaceAll('333333333333', ZERO_ID)) as Snapshot;
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  return runAudit({ snapshotFile: file, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
}

const col = (name: (typeof ACCESS_REVIEW_COLUMNS)[number]) => ACCESS_REVIEW_COLUMNS.indexOf(name);
const DATE_COLUMNS = ['eligible until', 'active assignment until', 'last activation', 'last used'] as const;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const CONTROL_COLUMNS = ['activation maximum', 'effective window', 'effective window (ISO 8601)', 'MFA required', 'approval required', 'justification required'] as const;

describe('access-review.csv for spreadsheets', () => {
  const result = audit();
  const text = renderAccessReview(result);

  it('quotes the id columns, so a quoted-as-text import keeps them exact', () => {
    expect(text).toContain(`,"${ZERO_ID}",`);
    // The header is not quoted; a non-id cell is not quoted for nothing.
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${ACCESS_REVIEW_COLUMNS.join(',')}`);
    expect(text).not.toContain('"data-prod"');
  });

  it.runIf(PYTHON_CSV)('reads back in Python with ids exact, ISO 8601 UTC or empty date columns, a note for every empty date, the reviewer columns', () => {
    const rows = pythonCsvRows(Buffer.from(text, 'utf8'));
    expect(rows[0]).toEqual(ACCESS_REVIEW_COLUMNS);
    expect(rows[0]!.slice(-4)).toEqual(['reviewer', 'decision', 'comment', 'reviewed at']);
    const data = rows.slice(1);
    expect(data).toHaveLength(result.analysis.accessPaths.length);
    expect(data.filter((r) => r[col('account id')] === ZERO_ID).length).toBeGreaterThan(0);
    expect(data.every((r) => /^\d{12}$/.test(r[col('account id')]!))).toBe(true);
    let dates = 0;
    for (const r of data) {
      for (const name of DATE_COLUMNS) {
        const value = r[col(name)]!;
        const note = r[col(`${name} note` as (typeof ACCESS_REVIEW_COLUMNS)[number])]!;
        if (value) {
          dates++;
          expect(value, name).toMatch(ISO_UTC);
          expect(new Date(value).toISOString().replace('.000Z', 'Z')).toBe(value);
          expect(note).toBe('');
        } else {
          expect(Object.values(NOTES), `${name} note`).toContain(note);
        }
      }
      expect(r.slice(-4)).toEqual(['', '', '', '']);
    }
    expect(dates).toBeGreaterThan(10);
  });

  it('fills the control columns of a standing path with "not applicable (standing)", and says unknown, none or a value for JIT', () => {
    const rows = pythonOrParse(text).slice(1);
    const standing = rows.filter((r) => r[col('standing or JIT')] === 'standing');
    expect(standing.length).toBeGreaterThan(0);
    for (const r of standing) {
      for (const name of CONTROL_COLUMNS) expect(r[col(name)], name).toBe('not applicable (standing)');
      expect(r[col('eligible until note')]).toBe('not applicable (standing)');
    }
    for (const r of rows.filter((x) => x[col('standing or JIT')] === 'JIT')) {
      for (const name of CONTROL_COLUMNS) expect(r[col(name)], name).not.toBe('');
    }
    // Notes tell "none on record" from "not collected".
    expect(rows.some((r) => r[col('last used note')] === 'none')).toBe(true);
    const noTrail = renderAccessReview(
      audit((s) => {
        s.aws.cloudTrail = { provenance: { status: 'missing', error: { status: 403, code: 'AccessDenied', message: 'no' }, fix: 'cloudtrail:LookupEvents' }, data: null } as unknown as Snapshot['aws']['cloudTrail'];
      }),
    );
    expect(pythonOrParse(noTrail).slice(1).every((r) => r[col('last used')] === '' && r[col('last used note')] === 'unknown')).toBe(true);
  });
});

function pythonOrParse(text: string): string[][] {
  return PYTHON_CSV ? pythonCsvRows(Buffer.from(text, 'utf8')) : (text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).map((l) => l.split(',')) as string[][]);
}

async function readWorkbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

describe('access-review.xlsx', () => {
  const hostile = audit((s) => {
    makeHostile(s);
    const g = (s.entra.groups.data ?? []).find((x) => x.displayName === 'AWS - Platform Break-Fix')!;
    g.displayName = 'Break\u0001Fix\u0008\uFFFF';
  });

  it('has the three sheets, account ids as text cells, times as date cells, the decision list, header frozen and filtered', async () => {
    const wb = await readWorkbook(await renderAccessReviewXlsx(hostile));
    expect(wb.worksheets.map((w) => w.name)).toEqual([...XLSX_SHEETS]);
    const paths = wb.getWorksheet('Access paths')!;
    expect((paths.getRow(1).values as unknown[]).slice(1)).toEqual(ACCESS_REVIEW_COLUMNS);
    expect(paths.rowCount).toBe(hostile.analysis.accessPaths.length + 1);
    const idCells = paths.getColumn(col('account id') + 1).values.slice(2) as unknown[];
    expect(idCells).toContain(ZERO_ID);
    expect(idCells.every((v) => typeof v === 'string' && /^\d{12}$/.test(v))).toBe(true);
    const eligible = paths.getColumn(col('eligible until') + 1);
    const dates = (eligible.values.slice(2) as unknown[]).filter((v) => v !== undefined && v !== null);
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((v) => v instanceof Date)).toBe(true);
    expect(paths.getCell(2, col('eligible until') + 1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(paths.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(paths.autoFilter).toBeTruthy();
    const decision = paths.getCell(2, col('decision') + 1);
    expect(decision.dataValidation).toMatchObject({ type: 'list', formulae: [`"${DECISIONS.join(',')}"`] });

    const findings = wb.getWorksheet('Findings')!;
    expect(findings.rowCount).toBe(hostile.findings.length + 1);
    expect((findings.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['rule', 'severity', 'status', 'object type', 'object id', 'object name']);
    const controls = wb.getWorksheet('Controls')!;
    const outcomes = new Set((controls.getColumn(4).values.slice(2) as string[]));
    expect([...outcomes].every((o) => ['passed', 'failed', 'not evaluable'].includes(o))).toBe(true);
    expect(outcomes.has('failed') && outcomes.has('passed')).toBe(true);
    expect(controls.getColumn(8).values.slice(2).every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
  });

  it('writes a name that starts with "=" as a string, never a formula, and XML-forbidden characters visibly', async () => {
    const bytes = await renderAccessReviewXlsx(hostile);
    const wb = await readWorkbook(bytes);
    const paths = wb.getWorksheet('Access paths')!;
    const groups = paths.getColumn(col('group') + 1);
    let found = 0;
    groups.eachCell((cell) => {
      if (cell.value === HOSTILE.csv) {
        found++;
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
      }
    });
    expect(found).toBeGreaterThan(0);
    expect(groups.values).toContain('Break\\u0001Fix\\u0008\\uFFFF');
    // No formula element anywhere in the package.
    const zip = await JSZip.loadAsync(bytes);
    for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/'))) {
      expect(await zip.files[name]!.async('string'), name).not.toMatch(/<f[ >]/);
    }
    expect(await zip.files['xl/sharedStrings.xml']!.async('string')).not.toMatch(/[\u0000-\u0008]/);
  });

  it('cuts text past the 32,767 characters a cell holds, without splitting a surrogate pair', () => {
    expect(cellText('a'.repeat(32_767))).toHaveLength(32_767);
    const long = cellText('😀'.repeat(20_000));
    expect(long.length).toBeLessThanOrEqual(32_767);
    expect(long).toMatch(/… \(cut: 40000 characters/);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('is byte-identical across two runs, whatever the time zone, dated at the collection time', async () => {
    const a = await renderAccessReviewXlsx(hostile);
    await new Promise((r) => setTimeout(r, 2100)); // zip times have a 2-second resolution
    const tz = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    let b: Buffer;
    try {
      b = await renderAccessReviewXlsx(hostile);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(b.equals(a)).toBe(true);
    const zip = await JSZip.loadAsync(a);
    expect(await zip.files['docProps/core.xml']!.async('string')).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${hostile.analysis.now}</dcterms:modified>`);
    expect(Object.keys(zip.files)[0]).toBe('[Content_Types].xml');
  });
});
