// Shared fixtures: the demo snapshot and config, analysed, and ways to make variants of them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze/analyze.js';
import { runAudit } from '../../src/audit.js';
import type { Analysis } from '../../src/analyze/types.js';
import { buildDemoSnapshot } from '../../src/demo/demo-snapshot.js';
import { loadConfig, type Config } from '../../src/model/config.js';
import type { Snapshot } from '../../src/model/snapshot-schema.js';
import type { AuditResult } from '../../src/report/audit-result.js';
import type { AllowIncomplete, FailOn } from '../../src/rules/evaluate.js';
import { tempDir } from './cli.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_SNAPSHOT_FILE = `${ROOT}reports/demo/snapshot.json`;
export const DEMO_CONFIG_FILE = `${ROOT}reports/demo/jitaudit.config.yaml`;

export const demoConfig = (): Config => loadConfig(DEMO_CONFIG_FILE, 'reports/demo/jitaudit.config.yaml');
export const demoSnapshot = (): Snapshot => buildDemoSnapshot();
export const checkedInDemo = (): string => readFileSync(DEMO_SNAPSHOT_FILE, 'utf8');

export function analyzeDemo(mutate?: (s: Snapshot) => void, config: Config = demoConfig()): Analysis {
  const snapshot = demoSnapshot();
  mutate?.(snapshot);
  return analyze(snapshot, config);
}

export const pathOf = (analysis: Analysis, upnPrefix: string, permissionSet: string, accountId?: string) =>
  analysis.accessPaths.filter(
    (p) =>
      (p.principal.upn ?? '').startsWith(upnPrefix) &&
      p.permissionSet.name === permissionSet &&
      (accountId === undefined || p.account.id === accountId),
  );

/** A whole audit (the reports' input) of the demo, changed by `mutate`, written to a file as collect would. */
export function auditDemoVariant(mutate?: (s: Snapshot) => void, gate: { failOn?: FailOn; allowIncomplete?: AllowIncomplete } = {}): AuditResult {
  const s = demoSnapshot();
  mutate?.(s);
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  return runAudit({ snapshotFile: file, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: gate.failOn ?? 'high', allowIncomplete: gate.allowIncomplete ?? false });
}
