// Run the real collectors, in this process, against the two fakes serving a synthetic organisation:
// what the fault tests and the benchmark share.
import { collectSnapshot } from '../../src/collect/collect.js';
import type { Progress } from '../../src/collect/progress.js';
import { resolveConfig } from '../../src/model/config.js';
import type { Snapshot } from '../../src/model/snapshot-schema.js';
import { FakeAws } from '../fake-cloud/aws/server.js';
import { startFakeGraph, type FakeGraph } from '../fake-cloud/graph/server.js';
import type { FakeTiming, FaultOptions } from '../fake-cloud/limits.js';
import type { SyntheticOrg } from './org.js';

export const GRAPH_TOKEN = 'synthetic-token';

export interface Fakes {
  graph: FakeGraph;
  aws: FakeAws;
  /** What the collectors need in the environment to reach these fakes (and nothing else). */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function startFakes(
  org: SyntheticOrg,
  options: { timing?: FakeTiming; graphFaults?: FaultOptions; awsFaults?: FaultOptions; record?: boolean; pageSize?: number } = {},
): Promise<Fakes> {
  const graph = await startFakeGraph(org.graph, {
    token: GRAPH_TOKEN,
    pageSize: options.pageSize ?? 100,
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.graphFaults ? { faults: options.graphFaults } : {}),
    record: options.record ?? false,
  });
  const aws = new FakeAws(org.aws, { ...(options.timing ? { timing: options.timing } : {}), ...(options.awsFaults ? { faults: options.awsFaults } : {}) });
  await aws.start();
  const scale = String(options.timing?.timeScale ?? 1);
  return {
    graph,
    aws,
    env: {
      ...aws.env(),
      // The SDK's default (8 attempts in the collector) rather than the fake's test default of 6.
      AWS_MAX_ATTEMPTS: undefined,
      JITAUDIT_RATE_SCALE: scale,
      JITAUDIT_GRAPH_BASE_URL: graph.baseUrl,
      JITAUDIT_GRAPH_TOKEN: GRAPH_TOKEN,
      JITAUDIT_GRAPH_TIME_SCALE: scale,
    },
    async close() {
      await graph.close();
      await aws.stop();
    },
  };
}

/** Set (or, for undefined, delete) environment variables of this process. */
export function applyEnv(env: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

export const quietProgress: Progress = { start() {}, tick() {}, done() {}, close() {} };

/** `jitaudit collect` minus the CLI: both collectors, one validated snapshot. The env must be applied first. */
export function collectSynthetic(org: SyntheticOrg, progress: Progress = quietProgress): Promise<Snapshot> {
  return collectSnapshot({ config: resolveConfig(org.config, null), only: null, out: 'snapshot.json', progress });
}

/**
 * The snapshot without what legitimately differs between two collections of the same organisation:
 * when it was collected (meta.collection, every provenance's collectedAt) and the CloudTrail lookup
 * window, which ends at the collection start.
 */
export function withoutTiming(snapshot: Snapshot): unknown {
  const strip = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => strip(v, path));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === 'collectedAt') continue;
        if (path === 'meta' && k === 'collection') continue;
        if (path.endsWith('lookups') && (k === 'startTime' || k === 'endTime')) continue;
        out[k] = strip(v, path ? `${path}.${k}` : k);
      }
      return out;
    }
    return value;
  };
  return strip(snapshot, '');
}
