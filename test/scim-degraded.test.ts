// scim-provisioning-degraded: a job that still syncs but whose last run left objects in error has its
// own finding (medium), judged on a real synchronizationJob with escrows
// (test/fixtures/graph/synchronization-jobs/SOURCE.md); healthy and unhealthy jobs do not fire it.
import { readFileSync } from 'node:fs';
import type { SynchronizationJob } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import type { EntraRun } from '../src/collect/entra/common.js';
import { collectProvisioning } from '../src/collect/entra/provisioning.js';
import type { SyncJobT } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const config = demoConfig();
const rules = loadRules({ dirs: [], config });
const degradedRule = rules.filter((r) => r.def.id === 'scim-provisioning-degraded');

async function escrowedJob(): Promise<SyncJobT> {
  const job = JSON.parse(readFileSync(new URL('./fixtures/graph/synchronization-jobs/escrowed-last-run.json', import.meta.url), 'utf8')) as SynchronizationJob;
  const run = { graph: { list: async () => [job] }, ctx: { warn: () => {} }, startedAt: new Date(), tick: () => {} } as unknown as EntraRun;
  return (await collectProvisioning(run, 'sp-1')).jobs[0]!;
}

/** The job's run times moved to just before the snapshot, so that it is fresh (syncing). */
function fresh(job: SyncJobT, endedAt: string): SyncJobT {
  const j = structuredClone(job);
  const last = j.status.lastExecution!;
  const offset = Date.parse(endedAt) - 5 * 60_000 - Date.parse(last.timeEnded ?? last.timeBegan!);
  const move = (t: string | null | undefined) => (t ? new Date(Date.parse(t) + offset).toISOString() : (t ?? null));
  for (const e of [j.status.lastExecution, j.status.lastSuccessfulExecution]) if (e) Object.assign(e, { timeBegan: move(e.timeBegan), timeEnded: move(e.timeEnded) });
  j.status.steadyStateFirstAchievedTime = move(j.status.steadyStateFirstAchievedTime);
  return j;
}

const ESCROWED = await escrowedJob();
const findingsWith = (mutate: (job: SyncJobT) => void, ruleSet = degradedRule) =>
  evaluateRules(
    ruleSet,
    analyzeDemo((s) => {
      const job = fresh(ESCROWED, s.meta.collection.endedAt);
      mutate(job);
      s.entra.provisioning.data!.jobs = [job];
    }, config),
    config,
  );

describe('scim-provisioning-degraded', () => {
  it('is medium, cites frameworks, and says why medium', () => {
    const def = degradedRule[0]!.def;
    expect(def.severity).toBe('medium');
    expect(def.resource).toBe('provisioningJobs');
    expect(def.description).toMatch(/Medium, not high/);
    expect(def.references.map((r) => r.framework)).toEqual(expect.arrayContaining(['NIST SP 800-53 Rev. 5', 'ISO/IEC 27001:2022', 'SOC 2']));
  });

  it('one finding for a real job whose last run escrowed objects, naming the count and the deciding field', () => {
    const found = findingsWith(() => {});
    expect(found).toHaveLength(1);
    const f = found[0]!.finding;
    expect(f).toMatchObject({ ruleId: 'scim-provisioning-degraded', severity: 'medium' });
    expect(f.message).toMatch(/is degraded \(the last run left 15 object\(s\) escrowed \(per-object errors\); decided by lastExecution\.countEscrowed\)/);
    expect(f.message).toContain('Removals of the objects in error may not reach Identity Center');
    expect(f.evidence).toMatchObject({ state: 'degraded', escrowed: 15 });
  });

  it('fires on EntryLevelErrors too, and not on the unhealthy rule', () => {
    const both = rules.filter((r) => r.def.id === 'scim-provisioning-degraded' || r.def.id === 'scim-provisioning-unhealthy');
    const ids = findingsWith((job) => (job.status.lastExecution!.state = 'EntryLevelErrors'), both).map((f) => f.finding.ruleId);
    expect(ids).toEqual(['scim-provisioning-degraded']);
  });

  it('not on an unhealthy job (the unhealthy rule reports it) nor on the demo\'s healthy one', () => {
    expect(findingsWith((job) => (job.status.lastExecution!.state = 'Failed'))).toEqual([]);
    expect(evaluateRules(degradedRule, analyzeDemo(undefined, config), config)).toEqual([]);
  });
});
