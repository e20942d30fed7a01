// jitaudit collect: run the Entra and AWS collectors (read-only), assemble one snapshot, validate it,
// and write it all-or-nothing: to a temporary file renamed into place only on success, so an
// interrupted run (Ctrl-C, a killed CI job) never leaves a partial snapshot behind.
import { renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Config } from '../model/config.js';
import { validateSnapshot } from '../model/load-snapshot.js';
import { SECTION_PATHS, SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../model/snapshot-schema.js';
import { inputError } from '../util/errors.js';
import { jsonChunks } from '../util/json-chunks.js';
import { writeRendered } from '../util/write-outputs.js';
import { TOOL } from '../util/version.js';
import { COLLECTORS, type CollectorContext, type Half } from './collectors.js';
import type { Progress } from './progress.js';
import { notCollected } from './section.js';

export interface CollectOptions {
  config: Config;
  only: Half | null;
  out: string;
  progress: Progress;
  /** Entra: --tenant overrides entra.tenantId. */
  tenant?: string;
  /** AWS: --profile and --region (the Identity Center home region). */
  profile?: string;
  region?: string;
}

function skipped<K extends Half>(half: K, why: string): Snapshot[K] {
  const sections = SECTION_PATHS.filter((p) => p.startsWith(`${half}.`)).map((p) => p.split('.')[1]!);
  return Object.fromEntries(sections.map((s) => [s, notCollected(why)])) as unknown as Snapshot[K];
}

export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const halves: Half[] = options.only ? [options.only] : ['entra', 'aws'];
  for (const half of halves) {
    if (!COLLECTORS[half]) {
      throw inputError('collect', null, `the ${half} collector is not available yet${options.only ? '' : `; use --only ${half === 'entra' ? 'aws' : 'entra'}`}`);
    }
  }
  const warnings: { section: string; message: string }[] = [];
  const context: CollectorContext = {
    config: options.config,
    progress: options.progress,
    warn: (section, message) => warnings.push({ section, message }),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.region ? { region: options.region } : {}),
  };
  const startedAt = new Date();
  // The two halves talk to different clouds: run them side by side.
  const [entra, aws] = await Promise.all([
    halves.includes('entra') ? COLLECTORS.entra!(context) : Promise.resolve(skipped('entra', 'not collected: run with --only aws')),
    halves.includes('aws') ? COLLECTORS.aws!(context) : Promise.resolve(skipped('aws', 'not collected: run with --only entra')),
  ]);
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    meta: {
      tool: { name: TOOL.name, version: TOOL.version },
      collection: { startedAt: startedAt.toISOString(), endedAt: new Date().toISOString() },
      configDigest: options.config.digest,
      warnings: warnings.sort((a, b) => (a.section + a.message < b.section + b.message ? -1 : 1)),
    },
    entra,
    aws,
  };
  // A collector bug must not produce a snapshot that `audit` will refuse later.
  return validateSnapshot('collected snapshot', JSON.parse(JSON.stringify(snapshot)));
}

/** Write the snapshot atomically; the temporary file is removed if the process is interrupted. */
export function writeSnapshot(file: string, snapshot: Snapshot): void {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  const cleanup = () => rmSync(temp, { force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Pretty-printed like JSON.stringify(snapshot, null, 2), written chunk by chunk.
    writeRendered(temp, () => jsonChunks(snapshot));
    renameSync(temp, file);
  } catch (error) {
    cleanup();
    throw inputError(file, null, `cannot write the snapshot (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
