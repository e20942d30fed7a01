// SARIF's positions found on a thread while the rules run (src/report/snapshot-positions-thread.ts):
// the same lines and columns as SARIF's own scan, and the same one line when the snapshot changed.
// The thread runs compiled code: `npm test` builds dist/ first.
import { appendFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import type { Analysis } from '../src/analyze/types.js';
import type { LoadedSnapshot } from '../src/model/load-snapshot.js';
import { withSnapshotFile } from '../src/model/load-snapshot.js';
import { locateJsonPointersInFile } from '../src/report/json-locator.js';
import { renderSarif } from '../src/report/sarif.js';
import { DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

const compiled = async () =>
  (await import(new URL('../dist/report/snapshot-positions-thread.js', import.meta.url).href)) as typeof import('../src/report/snapshot-positions-thread.js');

function audit(snapshotFile: string) {
  let seen: { analysis: Analysis; snapshot: Pick<LoadedSnapshot, 'file' | 'identity'> } | undefined;
  const result = runAudit({
    snapshotFile,
    displayPath: 'reports/demo/snapshot.json',
    config: demoConfig(),
    ruleDirs: [],
    failOn: 'high',
    allowIncomplete: false,
    onAnalysis: ({ analysis, snapshot }) => (seen = { analysis, snapshot }),
  });
  return { result, ...seen! };
}

describe('SARIF positions found on their own thread', () => {
  it('are where SARIF\'s own scan finds every resource, and give the same SARIF bytes', async () => {
    const thread = await compiled();
    expect(thread.snapshotPositionsThreadAvailable()).toBe(true);
    const { result, analysis, snapshot } = audit(DEMO_SNAPSHOT_FILE);
    const positions = await new thread.SnapshotPositionsThread(snapshot, analysis.resources).positions();
    const pointers = Object.values(analysis.resources).flatMap((items) => items.filter(({ ref }) => ref.file !== 'config').map(({ ref }) => ref.pointer));
    expect(pointers.length).toBeGreaterThan(50);
    const scanned = withSnapshotFile(snapshot, (fd) => locateJsonPointersInFile(fd, pointers));
    for (const pointer of pointers) expect(positions(pointer), pointer).toEqual(scanned.get(pointer === '/' ? '' : pointer));
    expect(positions('/no/such/thing')).toBeUndefined();
    expect([...renderSarif(result, positions)()].join('')).toBe([...renderSarif(result)()].join(''));
  });

  it('say in one line that the snapshot changed since it was loaded', async () => {
    const thread = await compiled();
    const file = join(mkdtempSync(join(tmpdir(), 'jitaudit-positions-')), 'snapshot.json');
    copyFileSync(DEMO_SNAPSHOT_FILE, file);
    const { analysis, snapshot } = audit(file);
    appendFileSync(file, '\n');
    const answer = new thread.SnapshotPositionsThread(snapshot, analysis.resources).positions();
    // An input error (the compiled module's own class): one line, exit code 2.
    await expect(answer).rejects.toMatchObject({ name: 'InputError', message: `${file}: changed while it was being audited; run the audit again` });
  });
});
