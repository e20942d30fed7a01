// Shared fixtures: the demo snapshot and config, analysed, and ways to make variants of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze/analyze.js';
import type { Analysis } from '../../src/analyze/types.js';
import { buildDemoSnapshot } from '../../src/demo/demo-snapshot.js';
import { loadConfig, type Config } from '../../src/model/config.js';
import type { Snapshot } from '../../src/model/snapshot-schema.js';

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
