import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReports, runAudit } from '../src/audit.js';
import type { AccessPath } from '../src/analyze/types.js';
import { jsonThreadWanted } from '../src/cli/heap.js';
import { renderJsonReport, reportedPath } from '../src/report/json-report.js';
import { LineRenderer, WireEncoder } from '../src/report/json-report-wire.js';
import type { Finding } from '../src/rules/evaluate.js';
import { InputError } from '../src/util/errors.js';
import { writeOutputs } from '../src/util/write-outputs.js';
import { DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
const paths = result.analysis.accessPaths;
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

describe('report.json on its own thread', () => {
  it('is off unless JITAUDIT_JSON_THREAD=1, and refuses anything else in one line', () => {
    expect(jsonThreadWanted({})).toBe(false);
    expect(jsonThreadWanted({ JITAUDIT_JSON_THREAD: '0' })).toBe(false);
    expect(jsonThreadWanted({ JITAUDIT_JSON_THREAD: '1' })).toBe(true);
    expect(() => jsonThreadWanted({ JITAUDIT_JSON_THREAD: 'yes' })).toThrow(InputError);
  });

  // The thread runs compiled code: `npm test` builds dist/ first.
  it('writes the same bytes as this thread, and nothing when it cannot write', async () => {
    const compiled = new URL('../dist/report/json-report-thread.js', import.meta.url).href;
    const thread = (await import(compiled)) as typeof import('../src/report/json-report-thread.js');
    expect(thread.jsonReportThreadAvailable()).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-thread-'));
    await writeOutputs(dir, new Map([['report.json', thread.jsonReportOnThread(result)]]));
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe([...renderJsonReport(result)()].join(''));

    const failing = { writeFile: (file: string) => thread.jsonReportOnThread(result).writeFile(join(file, 'no-such-dir', 'x')) };
    const empty = mkdtempSync(join(tmpdir(), 'jitaudit-thread-'));
    await expect(writeOutputs(empty, new Map<string, never>([['report.json', failing as never], ['b.txt', 'text' as never]]))).rejects.toThrow(/cannot write reports \(ENOENT\)/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('is what the audit writes when asked, only when the compiled thread is there', () => {
    const files = renderReports(result, ['json'], { jsonThread: true });
    // The sources run untranspiled here: report.json is made on this thread.
    expect(typeof files.get('report.json')).toBe('function');
  });
});
