// SCIM health on real synchronizationJob documents (test/fixtures/graph/synchronization-jobs/SOURCE.md):
// judged from the job's status code, its last run (state, end, escrows, error), quarantine and escrow
// fields — not from lastSuccessfulExecution alone, which lags whenever objects are escrowed.
import { readFileSync } from 'node:fs';
import type { SynchronizationJob } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import { provisioningHealth } from '../src/analyze/provisioning.js';
import { collectProvisioning } from '../src/collect/entra/provisioning.js';
import type { EntraRun } from '../src/collect/entra/common.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import type { SyncJobT } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig, demoSnapshot } from './helpers/demo.js';

const fixture = (name: string): SynchronizationJob =>
  JSON.parse(readFileSync(new URL(`./fixtures/graph/synchronization-jobs/${name}`, import.meta.url), 'utf8')) as SynchronizationJob;

async function normalise(job: SynchronizationJob): Promise<SyncJobT> {
  const warnings: string[] = [];
  const run = {
    graph: { list: async () => [job] },
    ctx: { warn: (_: string, m: string) => warnings.push(m) },
    startedAt: new Date(),
    tick: () => {},
  } as unknown as EntraRun;
  const data = await collectProvisioning(run, 'sp-1');
  expect(warnings).toEqual([]);
  return data.jobs[0]!;
}

const ESCROWED = await normalise(fixture('escrowed-last-run.json'));
const PAUSED = await normalise(fixture('paused-quarantine-error.json'));
const clone = <T>(x: T): T => structuredClone(x);
const at = (iso: string) => new Date(iso);

describe('the collector keeps what health is judged on', () => {
  it('keeps the last run\'s escrow count and error, escrowsPruned and the steady-state times', () => {
    expect(ESCROWED.status).toMatchObject({
      code: 'Active',
      lastExecution: { state: 'Succeeded', timeEnded: '2019-11-20T16:17:24.748Z', countEscrowed: 15, error: null },
      // DateTimeOffset.MinValue ("0001-01-01T00:00:00Z") means never: kept as null.
      lastSuccessfulExecution: { timeBegan: null, timeEnded: '2019-11-20T14:09:46.885Z', countEscrowed: 0 },
      escrowsPruned: false,
      steadyStateFirstAchievedTime: '2019-11-08T15:48:05.736Z',
    });
    expect(PAUSED.status).toMatchObject({
      code: 'Paused',
      steadyStateFirstAchievedTime: null,
      quarantine: { currentBegan: null, reason: '', seriesCount: 2, error: { code: 'SalesforceInvalidCredentials', tenantActionable: true } },
    });
  });

  it('writes a snapshot the schema accepts, and still accepts one without the new fields', () => {
    const s = demoSnapshot();
    s.entra.provisioning.data!.jobs = [ESCROWED, PAUSED];
    expect(() => validateSnapshot('snapshot.json', JSON.parse(JSON.stringify(s)))).not.toThrow();
    const old = demoSnapshot();
    expect(old.entra.provisioning.data!.jobs[0]!.status).not.toHaveProperty('escrowsPruned');
    expect(() => validateSnapshot('snapshot.json', JSON.parse(JSON.stringify(old)))).not.toThrow();
  });
});

describe('provisioningHealth', () => {
  // 2 h 20 min after the last error-free run, 13 min after the last run: past a 2-hour grace only
  // if one looks at lastSuccessfulExecution.
  const NOW = at('2019-11-20T16:30:00Z');

  it('a run that succeeded with escrowed objects is degraded, not unhealthy, though the last error-free run is older than the grace', () => {
    expect(provisioningHealth(ESCROWED, NOW, 'PT2H')).toEqual({
      state: 'degraded',
      signal: 'lastExecution.countEscrowed',
      reason: 'the last run left 15 object(s) escrowed (per-object errors)',
    });
  });

  it('without the escrow count (older snapshots), a last run later than the last error-free one is degraded too', () => {
    const job = clone(ESCROWED);
    delete job.status.lastExecution!.countEscrowed;
    expect(provisioningHealth(job, NOW, 'PT2H')).toMatchObject({ state: 'degraded', signal: 'lastSuccessfulExecution.timeEnded' });
  });

  it('EntryLevelErrors is degraded, and says so with the error', () => {
    const job = clone(ESCROWED);
    job.status.lastExecution = { ...job.status.lastExecution!, state: 'EntryLevelErrors', error: { code: 'SystemForCrossDomainIdentityManagementBadRequest', message: null, tenantActionable: true } };
    expect(provisioningHealth(job, NOW, 'PT2H')).toEqual({
      state: 'degraded',
      signal: 'lastExecution.state',
      reason: 'the last run ended with per-object errors, 15 object(s) escrowed (SystemForCrossDomainIdentityManagementBadRequest)',
    });
  });

  it('pruned escrows and an initial cycle not yet complete are degraded', () => {
    const pruned = clone(ESCROWED);
    pruned.status.lastExecution!.countEscrowed = 0;
    pruned.status.lastSuccessfulExecution = pruned.status.lastExecution;
    expect(provisioningHealth(pruned, NOW, 'PT2H').state).toBe('healthy');
    pruned.status.escrowsPruned = true;
    expect(provisioningHealth(pruned, NOW, 'PT2H')).toMatchObject({ state: 'degraded', signal: 'escrowsPruned' });
    pruned.status.escrowsPruned = false;
    pruned.status.steadyStateFirstAchievedTime = null;
    expect(provisioningHealth(pruned, NOW, 'PT2H')).toMatchObject({ state: 'degraded', signal: 'steadyStateFirstAchievedTime' });
  });

  it('a clean last run is healthy, decided by the last run', () => {
    const job = clone(ESCROWED);
    job.status.lastExecution!.countEscrowed = 0;
    job.status.lastSuccessfulExecution = job.status.lastExecution;
    expect(provisioningHealth(job, NOW, 'PT2H')).toEqual({ state: 'healthy', signal: 'lastExecution.state', reason: null });
  });

  it('no run completed within the grace is unhealthy, decided by the last run\'s end', () => {
    expect(provisioningHealth(ESCROWED, at('2019-11-20T18:30:00Z'), 'PT2H')).toEqual({
      state: 'unhealthy',
      signal: 'lastExecution.timeEnded',
      reason: 'the provisioning job has completed no run since 2019-11-20T16:17:24.748Z (grace PT2H)',
    });
  });

  it('a failed run is unhealthy, with its error and the failure count', () => {
    const job = clone(ESCROWED);
    job.status.lastExecution = { ...job.status.lastExecution!, state: 'Failed', error: { code: 'SecretTokenInvalid', message: 'The SCIM token is invalid', tenantActionable: true } };
    job.status.countSuccessiveCompleteFailures = 3;
    expect(provisioningHealth(job, NOW, 'PT2H')).toEqual({
      state: 'unhealthy',
      signal: 'lastExecution.state',
      reason: "the provisioning job's last run failed at 2019-11-20T16:17:24.748Z (SecretTokenInvalid: The SCIM token is invalid); 3 runs in a row failed",
    });
    job.status.lastExecution!.state = 'Succeeded';
    expect(provisioningHealth(job, NOW, 'PT2H')).toMatchObject({ state: 'unhealthy', signal: 'countSuccessiveCompleteFailures' });
  });

  it('the documented paused job is unhealthy; in quarantine, the quarantine error is named', () => {
    expect(provisioningHealth(PAUSED, NOW, 'PT2H')).toEqual({ state: 'unhealthy', signal: 'status.code', reason: 'the provisioning job is paused' });
    const q = clone(PAUSED);
    q.status.code = 'Quarantine';
    expect(provisioningHealth(q, NOW, 'PT2H')).toMatchObject({ state: 'unhealthy', signal: 'status.code' });
    expect(provisioningHealth(q, NOW, 'PT2H').reason).toMatch(/^the provisioning job is in quarantine \(SalesforceInvalidCredentials: Your Salesforce\.com credentials are invalid/);
    const disabled = clone(ESCROWED);
    disabled.schedule.state = 'Disabled';
    expect(provisioningHealth(disabled, NOW, 'PT2H')).toMatchObject({ state: 'unhealthy', signal: 'schedule.state' });
  });
});

describe('the analysis and the rules on a degraded job', () => {
  const config = demoConfig();
  const rules = loadRules({ dirs: [], config });
  // The escrowed job, moved in time so that its last run ended 13 minutes before the demo's snapshot.
  const shifted = (job: SyncJobT, nowIso: string): SyncJobT => {
    const offset = Date.parse(nowIso) - Date.parse('2019-11-20T16:30:00Z');
    const move = (t: string | null | undefined) => (t ? new Date(Date.parse(t) + offset).toISOString() : (t ?? null));
    const j = clone(job);
    for (const e of [j.status.lastExecution, j.status.lastSuccessfulExecution]) if (e) Object.assign(e, { timeBegan: move(e.timeBegan), timeEnded: move(e.timeEnded) });
    j.status.steadyStateFirstAchievedTime = move(j.status.steadyStateFirstAchievedTime);
    return j;
  };
  const analyzeWith = (job: SyncJobT) => analyzeDemo((s) => (s.entra.provisioning.data!.jobs = [shifted(job, s.meta.collection.endedAt)]));

  it('keeps the schedule interval as the SCIM lag, with the degradation in its provenance', () => {
    const analysis = analyzeWith(ESCROWED);
    const jit = analysis.accessPaths.filter((p) => !p.standing);
    expect(jit.length).toBeGreaterThan(0);
    for (const p of jit) {
      expect(p.window!.terms.scimLag).toMatchObject({ value: 'PT2M', unbounded: false });
      expect(p.window!.terms.scimLag.provenance.source).toBe('provisioning job schedule interval (degraded: the last run left 15 object(s) escrowed (per-object errors))');
    }
    expect(analysis.resources.provisioningJobs![0]!.data).toMatchObject({
      state: 'degraded',
      healthy: false,
      signal: 'lastExecution.countEscrowed',
      lastRunState: 'Succeeded',
      escrowed: 15,
    });
    const fired = evaluateRules(rules, analysis, config).map((f) => f.finding.ruleId);
    expect(fired).not.toContain('scim-provisioning-unhealthy');
    expect(fired).not.toContain('effective-window-unbounded');
  });

  it('an unhealthy job still makes every JIT window unbounded, and the finding names the deciding signal', () => {
    const failed = clone(ESCROWED);
    failed.status.lastExecution!.state = 'Failed';
    const analysis = analyzeWith(failed);
    for (const p of analysis.accessPaths.filter((x) => !x.standing)) expect(p.window!.terms.scimLag.unbounded).toBe(true);
    const finding = evaluateRules(rules, analysis, config).find((f) => f.finding.ruleId === 'scim-provisioning-unhealthy');
    expect(finding?.finding.message).toMatch(/is unhealthy \(the provisioning job's last run failed at .*; decided by lastExecution\.state\)/);
  });
});
