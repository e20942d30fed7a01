import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import { analysedPart } from '../src/report/audit-result.js';
import { jsonReportHead, jsonReportHeadRoom, jsonReportPrefix, renderJsonReport, reportedPath } from '../src/report/json-report.js';
import { parseReportJson } from '../src/report/read-report.js';
import { DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
const text = [...renderJsonReport(result)()].join('');

/** The lines of a top-level array, one element each (without the comma that separates them). */
function elementLines(key: string): unknown[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`  "${key}": [`);
  const end = lines.findIndex((line, i) => i > start && /^  \],?$/.test(line));
  expect(start).toBeGreaterThan(0);
  return lines.slice(start + 1, end).map((line) => JSON.parse(line.replace(/,$/, '')));
}

describe('report.json', () => {
  it('has each access path on one line, in the analysis order, with exactly the reported fields', () => {
    const paths = elementLines('accessPaths');
    expect(paths).toEqual(JSON.parse(JSON.stringify(result.analysis.accessPaths.map(reportedPath))));
    expect(Object.keys(paths[0] as object)).toEqual(['id', 'kind', 'standing', 'principal', 'group', 'account', 'permissionSet', 'window']);
  });

  it('has each finding on one line, and parses as a whole to the same report', () => {
    expect(elementLines('findings')).toEqual(JSON.parse(JSON.stringify(result.findings.map((f) => f.finding))));
    const report = JSON.parse(text);
    expect(report.accessPaths).toHaveLength(result.analysis.accessPaths.length);
    expect(report.summary.accessPaths).toBe(result.analysis.accessPaths.length);
  });
});

describe('report.json\'s head room', () => {
  const room = jsonReportHeadRoom(analysedPart(result));
  const head = jsonReportHead(result);
  const waived = result.findings.map((f) => ({ ...f, finding: { ...f.finding, status: 'waived' as const } }));
  const heads = {
    asAudited: head,
    noFindings: jsonReportHead({ ...result, findings: [], gate: { ...result.gate, passed: true, failing: 0 } }),
    allWaived: jsonReportHead({ ...result, findings: waived, gate: { ...result.gate, passed: true, failing: 0 } }),
  };

  it('puts the access paths at the same byte whatever the rules found: the head is filled out with spaces', () => {
    expect(Buffer.byteLength(text.slice(0, text.indexOf('\n    {"id"')))).toBe(room + 1);
    for (const [name, h] of Object.entries(heads)) {
      const prefix = jsonReportPrefix(h, room);
      expect(Buffer.byteLength(prefix), name).toBe(room);
      expect(JSON.parse(`${prefix}[]}`), name).toEqual({ ...h, accessPaths: [] });
      // The spaces are at the end of the summary's line, and nowhere else.
      expect(prefix.replace(/^ {2}\}, *$/gm, '  },'), name).toBe(`${JSON.stringify(h, null, 2).slice(0, -2)},\n  "accessPaths": `);
    }
    // Fewer digits, more spaces.
    const spaces = (prefix: string) => /\},( *)\n {2}"accessPaths": $/.exec(prefix)![1]!.length;
    expect(spaces(jsonReportPrefix(heads.noFindings, room))).toBeGreaterThan(spaces(jsonReportPrefix(head, room)));
  });

  it('is the head at its widest: every count at one finding per rule and item, the gate failed', () => {
    const most = result.rules.reduce((n, rule) => n + (result.analysis.resources[rule.def.resource]?.length ?? 0), 0);
    const widest = jsonReportHead({ ...result, findings: [], gate: { ...result.gate, passed: false, failing: most } });
    widest.summary.bySeverity = { critical: most, high: most, medium: most, low: most, info: most };
    widest.summary.waived = most;
    expect(jsonReportPrefix(widest, room)).not.toMatch(/\}, +\n/);
    // A head wider than that is a bug, never a report cut short.
    widest.summary.waived = most * 10;
    expect(() => jsonReportPrefix(widest, room)).toThrow(/more than the \d+ kept for it/);
  });
});

describe('parseReportJson', () => {
  it('reads a report line by line past a size, to the same value as reading it whole', () => {
    const bytes = Buffer.from(text, 'utf8');
    const whole = parseReportJson(bytes);
    expect(parseReportJson(bytes, 0)).toEqual(whole);
    expect(whole).toEqual(JSON.parse(text));
  });

  it('reads empty arrays and refuses a cut-off report', () => {
    const empty = [...renderJsonReport({ ...result, findings: [], analysis: { ...result.analysis, accessPaths: [] } })()].join('');
    expect(parseReportJson(Buffer.from(empty), 0)).toEqual(JSON.parse(empty));
    const cut = text.slice(0, text.indexOf('"findings": [') + 2000);
    expect(() => parseReportJson(Buffer.from(cut.slice(0, cut.lastIndexOf('\n'))), 0)).toThrow(SyntaxError);
  });
});
