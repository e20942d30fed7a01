import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { renderReports, runAudit } from '../src/audit.js';
import type { AccessPath } from '../src/analyze/types.js';
import { jsonThreadWanted } from '../src/cli/heap.js';
import { analysedPart } from '../src/report/audit-result.js';
import { renderJsonReport, reportedPath } from '../src/report/json-report.js';
import { LineRenderer, WireEncoder } from '../src/report/json-report-wire.js';
import type { Finding } from '../src/rules/evaluate.js';
import { InputError } from '../src/util/errors.js';
import { writeOutputs, type Output } from '../src/util/write-outputs.js';
import { DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
const paths = result.analysis.accessPaths;
const analysed = analysedPart(result);
const findings = result.findings.map((f) => f.finding);

/** Lines through encoder and renderer, in batches of `size` (parts met in one batch are used by the next). */
function lines(size: number, ps: readonly AccessPath[], fs: readonly Finding[]): { paths: string[]; findings: string[] } {
  const encoder = new WireEncoder();
  const renderer = new LineRenderer();
  const out = { paths: [] as string[], findings: [] as string[] };
  for (let i = 0; i < ps.length; i += size) out.paths.push(...renderer.pathLines(encoder.paths(ps.slice(i, i + size))));
  for (let i = 0; i < fs.length; i += size) out.findings.push(...renderer.findingLines(encoder.findings(fs.slice(i, i + size))));
  return out;
}

const hostile = 'a "quoted" \\ back\nslash \u2028 \u0000 \ud800 lone, é 🙂';

describe('report.json lines from wire batches', () => {
  it('are JSON.stringify of each reported path and finding, whatever the batch size', () => {
    expect(paths.length).toBeGreaterThan(10);
    expect(findings.length).toBeGreaterThan(10);
    for (const size of [1, 3, 1000]) {
      const made = lines(size, paths, findings);
      expect(made.paths).toEqual(paths.map((p) => JSON.stringify(reportedPath(p))));
      expect(made.findings).toEqual(findings.map((f) => JSON.stringify(f)));
    }
  });

  it('keep hostile strings, missing parts, waivers and left-out evidence exactly as JSON.stringify does', () => {
    const base = findings[0]!;
    const shared = { id: hostile, list: [1, undefined, { x: hostile }] };
    const odd: Finding[] = [
      { ruleId: 'r', severity: 'high', status: 'waived', resource: { type: 't', id: hostile, name: hostile }, message: hostile, evidence: {}, fingerprint: 'f', waiver: { reason: hostile, owner: 'o', expires: '2027-01-01' } },
      { ...base, message: hostile, evidence: { [hostile]: hostile, gone: undefined, n: 1.5, big: 2 ** 53, t: true, nil: null, shared, again: shared } },
      { ...base, evidence: { only: undefined } },
    ];
    const odd2 = { ...paths[0]!, id: hostile, group: null, window: null };
    const made = lines(2, [odd2], odd);
    expect(made.paths).toEqual([JSON.stringify(reportedPath(odd2))]);
    expect(made.findings).toEqual(odd.map((f) => JSON.stringify(f)));
  });
});

describe('report.json lines of one rule\'s findings', () => {
  it('follow each finding\'s own evidence keys, whatever the finding before it had', () => {
    const base = findings[0]!;
    const evidence: Record<string, unknown>[] = [
      { a: 1, b: 'x' },
      { a: 1, b: undefined },
      { b: 'x', a: 1 },
      { a: 1, b: 'x', c: { d: 2 } },
      { a: 1 },
      {},
      { a: undefined, b: 'x' },
      { a: 1, b: 'x' },
    ];
    const same = evidence.map((e) => ({ ...base, evidence: e }));
    for (const size of [1, 3, 8]) expect(lines(size, [], same).findings).toEqual(same.map((f) => JSON.stringify(f)));
  });
});

describe('report.json on its own thread', () => {
  it('is on unless JITAUDIT_JSON_THREAD=0, and refuses anything else in one line', () => {
    expect(jsonThreadWanted({})).toBe(true);
    expect(jsonThreadWanted({ JITAUDIT_JSON_THREAD: '' })).toBe(true);
    expect(jsonThreadWanted({ JITAUDIT_JSON_THREAD: '0' })).toBe(false);
    expect(jsonThreadWanted({ JITAUDIT_JSON_THREAD: '1' })).toBe(true);
    expect(() => jsonThreadWanted({ JITAUDIT_JSON_THREAD: 'yes' })).toThrow(InputError);
  });

  // The thread runs compiled code: `npm test` builds dist/ first.
  const compiledThread = async () =>
    (await import(new URL('../dist/report/json-report-thread.js', import.meta.url).href)) as typeof import('../src/report/json-report-thread.js');

  it('writes the same bytes as this thread: paths first (after the head\'s room), then head and findings', async () => {
    const thread = await compiledThread();
    expect(thread.jsonReportThreadAvailable()).toBe(true);
    // As audited; with nothing found and no paths; with a head of multi-byte text (the room is bytes, not characters).
    const audits = {
      demo: result,
      empty: { ...result, findings: [], analysis: { ...result.analysis, accessPaths: [] } },
      multiByte: { ...result, analysis: { ...result.analysis, warnings: [...result.analysis.warnings, `aws.iamUsers: account "Zoë ☃ 🙂" ${hostile}`] } },
    };
    for (const [name, audit] of Object.entries(audits)) {
      const expected = [...renderJsonReport(audit)()].join('');
      // Batches of 3 and 5000 (one): parts met in one batch are used by later ones, paths and findings.
      for (const batch of [3, 5000]) {
        const dir = join(mkdtempSync(join(tmpdir(), 'jitaudit-thread-')), 'reports');
        const writing = new thread.JsonReportThread(analysedPart(audit), dir, { batch });
        expect(existsSync(dir)).toBe(true);
        await writeOutputs(dir, new Map([['report.json', writing.writer(audit, 'report.json')]]));
        expect(readFileSync(join(dir, 'report.json'), 'utf8'), `${name}, batch ${batch}`).toBe(expected);
        expect(readdirSync(dir)).toEqual(['report.json']);
      }
      expect(JSON.parse(expected).summary.warnings, name).toEqual(audit.analysis.warnings);
    }
  });

  it('leaves nothing behind when it cannot write, or when the audit gives up before its reports', async () => {
    const thread = await compiledThread();
    const empty = mkdtempSync(join(tmpdir(), 'jitaudit-thread-'));
    const writing = new thread.JsonReportThread(analysed, empty, { batch: 2 });
    // A folder where report.json's temporary file goes: the thread cannot open it.
    const inTheWay = `report.json.tmp-${process.pid}`;
    mkdirSync(join(empty, inTheWay));
    await expect(writeOutputs(empty, new Map<string, Output>([['report.json', writing.writer(result, 'report.json')], ['b.txt', 'text']]))).rejects.toThrow(/cannot write reports \(EISDIR\)/);
    expect(readdirSync(empty)).toEqual([inTheWay]);

    // A rule fails after the thread started on the paths: the output folders it made go again.
    const parent = mkdtempSync(join(tmpdir(), 'jitaudit-thread-'));
    const started = new thread.JsonReportThread(analysed, join(parent, 'reports', 'nightly'), { batch: 2 });
    expect(existsSync(join(parent, 'reports', 'nightly'))).toBe(true);
    await started.abort();
    expect(readdirSync(parent)).toEqual([]);
    // A folder that was there already stays, with what else it holds.
    const kept = mkdtempSync(join(tmpdir(), 'jitaudit-thread-'));
    writeFileSync(join(kept, 'notes.txt'), 'mine');
    await new thread.JsonReportThread(analysed, kept).abort();
    expect(readdirSync(kept)).toEqual(['notes.txt']);

    // The audit gives up once the thread is writing report.json (it waits for the findings): that goes too.
    const told = mkdtempSync(join(tmpdir(), 'jitaudit-thread-'));
    const telling = new thread.JsonReportThread(analysed, told, { batch: 2 });
    telling.writer(result, 'report.json');
    const temporary = join(told, `report.json.tmp-${process.pid}`);
    await vi.waitFor(() => expect(existsSync(temporary)).toBe(true), { timeout: 5000 });
    await telling.abort();
    expect(readdirSync(told)).toEqual([]);
  });

  it('is what the audit writes report.json with when given, else report.json is made on this thread', async () => {
    const thread = await compiledThread();
    const writing = new thread.JsonReportThread(analysed, mkdtempSync(join(tmpdir(), 'jitaudit-thread-')));
    const files = renderReports(result, ['json'], { jsonThread: writing });
    expect(typeof files.get('report.json')).toBe('object');
    await writing.abort();
    expect(typeof renderReports(result, ['json']).get('report.json')).toBe('function');
  });
});
