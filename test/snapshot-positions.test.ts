// SARIF's own scan of the snapshot for its results' positions: where a full JSON parser puts the
// objects, only for the results the file keeps, and one line when the snapshot changed since the audit.
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as momoa from '@humanwhocodes/momoa';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import { buildSarif, renderSarif } from '../src/report/sarif.js';
import { tempDir } from './helpers/cli.js';
import { DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

const audit = (snapshotFile: string) =>
  runAudit({ snapshotFile, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });

/** Where a full JSON parser's syntax tree starts the value a pointer names. */
function parsedPosition(doc: momoa.DocumentNode, pointer: string) {
  let node: momoa.AnyNode = doc.body;
  const keys = pointer === '/' || pointer === '' ? [] : pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const key of keys) {
    node = node.type === 'Object' ? node.members.find((m) => m.name.type === 'String' && m.name.value === key)!.value : (node as momoa.ArrayNode).elements[Number(key)]!.value;
  }
  return { startLine: node.loc.start.line, startColumn: node.loc.start.column };
}

describe('SARIF positions in the snapshot', () => {
  it('are where a full JSON parser finds each result\'s object', () => {
    const result = audit(DEMO_SNAPSHOT_FILE);
    const doc = momoa.parse(readFileSync(DEMO_SNAPSHOT_FILE, 'utf8'), { mode: 'json' });
    const results = buildSarif(result).runs[0]!.results!;
    const inSnapshot = result.findings.filter(({ ref }) => ref.file !== 'config');
    expect(inSnapshot.length).toBeGreaterThan(40);
    for (const [i, { ref, finding }] of result.findings.entries()) {
      if (ref.file === 'config') continue;
      expect(results[i]!.locations![0]!.physicalLocation!.region, `${finding.ruleId} ${ref.pointer}`).toEqual(parsedPosition(doc, ref.pointer));
    }
  });

  it('are the same for the results a cut file keeps', () => {
    const result = audit(DEMO_SNAPSHOT_FILE);
    const all = buildSarif(result).runs[0]!.results!;
    const byFingerprint = new Map(all.map((r) => [r.partialFingerprints!['jitauditFinding/v1'], r.locations]));
    const cut = buildSarif(result, { maxResults: 7 }).runs[0]!.results!;
    expect(cut).toHaveLength(7);
    for (const r of cut) expect(r.locations).toEqual(byFingerprint.get(r.partialFingerprints!['jitauditFinding/v1']));
  });

  it('say in one line that the snapshot changed since it was audited', () => {
    const file = join(tempDir(), 'snapshot.json');
    copyFileSync(DEMO_SNAPSHOT_FILE, file);
    const result = audit(file);
    appendFileSync(file, '\n');
    // An input error: one line, exit code 2.
    expect(() => [...renderSarif(result)()]).toThrow(expect.objectContaining({ name: 'InputError', message: `${file}: changed while it was being audited; run the audit again` }));
  });
});
