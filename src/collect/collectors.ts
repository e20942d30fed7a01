// The two collectors, one per cloud. Each returns its half of the snapshot with a provenance for
// every section, and never throws for a section it could not read (that section is `missing`).
import type { Config } from '../model/config.js';
import type { Snapshot } from '../model/snapshot-schema.js';
import { collectAws } from './aws/index.js';
import { entraCollector } from './entra/index.js';
import type { Progress } from './progress.js';

export type Half = 'entra' | 'aws';

export interface CollectorContext {
  config: Config;
  progress: Progress;
  /** A non-fatal problem worth keeping in the snapshot (a PIM group id that 404s, a skipped account). */
  warn(section: string, message: string): void;
  tenant?: string;
  profile?: string;
  region?: string;
}

export type Collector<K extends Half> = (context: CollectorContext) => Promise<Snapshot[K]>;

/** Filled in by src/collect/entra/ and src/collect/aws/ as they land. */
export const COLLECTORS: { entra: Collector<'entra'> | null; aws: Collector<'aws'> | null } = {
  entra: entraCollector,
  aws: (context) => collectAws(context),
};
