// CSV: RFC 4180 quoting, formula neutralisation, BOM + CRLF, and the access-review file itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formulaLines, PYTHON_CSV, pythonCsvRows } from './helpers/csv-readers.js';
import { runAudit } from '../src/audit.js';
import { ACCESS_REVIEW_COLUMNS, renderAccessReview } from '../src/report/access-review.js';
import { BOM, csvCell, neutralise, parseCsv, toCsv } from '../src/report/csv.js';
import { tempDir } from './helpers/cli.js';
import { demoConfig, demoSnapshot } from './helpers/demo.js';
import { HOSTILE, HOSTILE_LINES, makeHostile } from './helpers/hostile.js';

describe('neutralise', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', ' =cmd', '\u00a0=x', '＝1', '=HYPERLINK("http://x")'])('neutralises %j', (v) => {
    expect(neutralise(v)).toBe(`'${v}`);
  });
  it.each([
    ['a\n=cmd', "a\n'=cmd"],
    ['a\r@x', "a\r'@x"],
    ['a\r\n +1\n\t-2', "a\r\n' +1\n'\t-2"],
    ['\n=x', "'\n'=x"],
    ['=a\n-b', "'=a\n'-b"],
    ['a\n\nb=c', 'a\n\nb=c'],
  ])('neutralises every line of %j', (v, want) => {
    expect(neutralise(v)).toBe(want);
  });
  it.each(['alice', 'AWS - Prod Admins', '1', '2026-10-01', "'already", '', 'a=b', 'x@y'])('leaves %j alone', (v) => {
    expect(neutralise(v)).toBe(v);
  });
});

describe('csvCell and toCsv (RFC 4180)', () => {
  it('quotes cells with comma, quote, CR or LF and doubles quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(false)).toBe('false');
    // Neutralised first, then quoted.
    expect(csvCell('=cmd|"/c calc"!A0')).toBe('"\'=cmd|""/c calc""!A0"');
  });
  it('writes a BOM, CRLF after every record, and round-trips', () => {
    const rows = [['x', 'a,b', 'q"q', 'line\r\nbreak', '-5', 'Zoë 東京']];
    const text = toCsv(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], rows);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(4); // header, the row (its quoted cell holds a CRLF), ''
    expect(parseCsv(text)).toEqual([['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], ['x', 'a,b', 'q"q', 'line\r\nbreak', "'-5", 'Zoë 東京']]);
  });
  it('quotes a bare LF or CR too (csv-stringify leaves them bare with CRLF records)', () => {
    const text = toCsv(['h1', 'h2', 'h3'], [['a\nb', 'c\rd', 'e']]);
    expect(text).toBe(`${BOM}h1,h2,h3\r\n"a\nb","c\rd",e\r\n`);
    expect(parseCsv(text)).toEqual([['h1', 'h2', 'h3'], ['a\nb', 'c\rd', 'e']]);
  });
  it('refuses a row of the wrong width', () => {
    expect(() => toCsv(['a', 'b'], [['1']])).toThrow(/1 cells, header has 2/);
  });
});

describe('access-review.csv', () => {
  const audit = (mutate?: (s: ReturnType<typeof demoSnapshot>) => void) => {
    const s = demoSnapshot();
    mutate?.(s);
    const file = join(tempDir(), 'snapshot.json');
    writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
    return runAudit({ snapshotFile: file, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
  };

  it('has one row per access path with the documented columns', () => {
    const result = audit();
    const rows = parseCsv(renderAccessReview(result));
    expect(rows[0]).toEqual([...ACCESS_REVIEW_COLUMNS]);
    expect(rows).toHaveLength(result.analysis.accessPaths.length + 1);
    const col = (name: string) => ACCESS_REVIEW_COLUMNS.indexOf(name as (typeof ACCESS_REVIEW_COLUMNS)[number]);
    const frank = rows.find((r) => r[col('person')] === 'frank.hall@northwind.example' && r[col('account id')] === '222222222222')!;
    expect(frank[col('standing or JIT')]).toBe('JIT');
    expect(frank[col('path kind')]).toBe('owner');
    expect(frank[col('activation maximum')]).toBe('1 h');
    expect(frank[col('effective window')]).toBe('10 h 40 min');
    expect(frank[col('effective window (ISO 8601)')]).toBe('PT10H40M');
    expect(frank[col('open finding rules')]).toContain('effective-window-too-long');
    const carol = rows.find((r) => r[col('person')] === 'carol.diaz@northwind.example')!;
    expect(carol[col('standing or JIT')]).toBe('standing');
    expect(carol[col('effective window')]).toBe('not applicable (standing)');
    // bob.lee fetched credentials for data-prod (the demo's access-after-activation-expired event).
    const bob = rows.find((r) => r[col('person')] === 'bob.lee@northwind.example' && r[col('account name')] === 'data-prod')!;
    expect(bob[col('last used')]).toMatch(/^2026-\d\d-\d\dT/);
    expect(bob[col('last activation')]).toMatch(/^2026-\d\d-\d\dT/);
  });

  it('counts on each path the open findings whose impact includes it (a finding is about an object, not a path); takeovers apart', () => {
    const result = audit();
    const col = (name: string) => ACCESS_REVIEW_COLUMNS.indexOf(name as (typeof ACCESS_REVIEW_COLUMNS)[number]);
    const byId = new Map(parseCsv(renderAccessReview(result)).slice(1).map((r) => [r[col('path id')], r]));
    let grouped = 0;
    let takenOver = 0;
    result.analysis.accessPaths.forEach((p, i) => {
      const all = result.findings.filter((f) => f.finding.status === 'open' && f.finding.impact?.paths.includes(i));
      // Findings about someone who can take the path over (a Groups Administrator…) are counted apart.
      const open = all.filter((f) => !f.rule.type.takesOver);
      const row = byId.get(p.id)!;
      expect(row[col('open findings')], p.id).toBe(String(open.length));
      expect(row[col('open finding rules')], p.id).toBe([...new Set(open.map((f) => f.finding.ruleId))].join('; '));
      expect(row[col('takeover findings')], p.id).toBe(String(all.length - open.length));
      grouped += open.filter((f) => f.finding.impact!.paths.length > 1).length;
      takenOver += all.length - open.length;
    });
    expect(grouped).toBeGreaterThan(0);
    expect(takenOver).toBeGreaterThan(0);
  });

  it('neutralises a hostile group name and stays parseable', () => {
    const text = renderAccessReview(audit(makeHostile));
    const rows = parseCsv(text);
    const groupCol = ACCESS_REVIEW_COLUMNS.indexOf('group');
    const cells = rows.map((r) => r[groupCol]);
    expect(cells).toContain(`'${HOSTILE.csv}`);
    expect(cells).not.toContain(HOSTILE.csv);
    expect(rows.every((r) => r.length === ACCESS_REVIEW_COLUMNS.length)).toBe(true);
    // No cell anywhere begins with a formula character.
    expect(rows.flat().filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  // Two independent readers: csv-parse, and Python's csv module (as a spreadsheet import or a
  // script would read the file). Both must see the same rows, and no line of any cell may begin
  // with a formula character, a tab or a CR.
  it.runIf(PYTHON_CSV)('keeps a group name with line breaks in one cell, every line neutralised, for csv-parse and Python alike', () => {
    const text = renderAccessReview(
      audit((s) => {
        const names: [string, string][] = [
          ['AWS - Prod Admins', HOSTILE_LINES.lf],
          ['AWS - ReadOnly All', HOSTILE_LINES.cr],
          ['AWS - Dev PowerUsers', HOSTILE_LINES.crlf],
        ];
        for (const [from, to] of names) {
          for (const g of [...(s.entra.groups.data ?? []), ...(s.aws.identityStore.data?.groups ?? [])]) if (g.displayName === from) g.displayName = to;
        }
      }),
    );
    const byCsvParse = parseCsv(text);
    const byPython = pythonCsvRows(Buffer.from(text, 'utf8'));
    const result = audit();
    expect(byCsvParse).toHaveLength(result.analysis.accessPaths.length + 1);
    expect(byPython).toEqual(byCsvParse);
    expect(byCsvParse.every((r) => r.length === ACCESS_REVIEW_COLUMNS.length)).toBe(true);
    const groupCol = ACCESS_REVIEW_COLUMNS.indexOf('group');
    const groups = new Set(byCsvParse.map((r) => r[groupCol]));
    expect(groups).toContain("X\n'=cmd|' /C calc'!A0");
    expect(groups).toContain("Y\r'@SUM(1+1)*cmd|' /C calc'!A0");
    expect(groups).toContain("Z\r\n'  +1+cmd|' /C calc'!A0\n'\t-2");
    expect(formulaLines(byCsvParse)).toEqual([]);
    expect(formulaLines(byPython)).toEqual([]);
    // Outside quoted cells, no physical line of the file starts a formula either.
    expect(text.split('\r\n').filter((line) => /^[=+\-@\t]/.test(line))).toEqual([]);
  });
});
