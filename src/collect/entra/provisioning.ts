// The SCIM provisioning job(s) of the enterprise app: schedule interval (the SCIM lag while the job
// syncs), status incl. quarantine and escrows, the last run (state, end, escrow count, error) and
// the last run without errors. The list documents no OData query
// parameters, so no $select here.
import type { SynchronizationError, SynchronizationJob, SynchronizationTaskExecution } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { ISO_DURATION_PATTERN } from '../../model/schema-helpers.js';
import { iso, sortBy, str, type EntraRun } from './common.js';

export type ProvisioningData = NonNullable<Snapshot['entra']['provisioning']['data']>;
export const PROVISIONING_SOURCE = 'GET /servicePrincipals/{id}/synchronization/jobs';

// Graph writes DateTimeOffset.MinValue (0001-01-01T00:00:00Z) for "never": kept as null.
const when = (v: unknown) => {
  const t = iso(v);
  return t !== null && t.startsWith('0001-') ? null : t;
};
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : null);

const syncError = (e: SynchronizationError | null | undefined) =>
  e ? { code: str(e.code) || null, message: str(e.message) || null, tenantActionable: typeof e.tenantActionable === 'boolean' ? e.tenantActionable : null } : null;

// The run's state, end time, escrow count and error decide the job's health (src/analyze/provisioning.ts).
const execution = (e: SynchronizationTaskExecution | null | undefined) =>
  e
    ? {
        timeBegan: when(e.timeBegan),
        timeEnded: when(e.timeEnded),
        state: str(e.state),
        countEscrowed: count(e.countEscrowed),
        error: syncError(e.error),
      }
    : null;

const DURATION = new RegExp(ISO_DURATION_PATTERN);

export async function collectProvisioning(run: EntraRun, servicePrincipalId: string): Promise<ProvisioningData> {
  const jobs = await run.graph.list<SynchronizationJob>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/jobs`);
  return {
    jobs: sortBy(
      jobs
        .filter((j) => j.id)
        .map((j) => {
          const interval = str(j.schedule?.interval);
          if (interval !== null && !DURATION.test(interval)) {
            run.ctx.warn('entra.provisioning', `job ${j.id}: schedule interval "${interval}" is not an ISO-8601 duration; recorded as PT0S`);
          }
          const q = j.status?.quarantine;
          return {
            id: j.id!,
            templateId: j.templateId ?? null,
            schedule: {
              interval: interval !== null && DURATION.test(interval) ? interval : 'PT0S',
              state: str(j.schedule?.state) ?? 'Unknown',
              expiration: iso(j.schedule?.expiration),
            },
            status: {
              code: str(j.status?.code) ?? 'NotConfigured',
              lastExecution: execution(j.status?.lastExecution),
              lastSuccessfulExecution: execution(j.status?.lastSuccessfulExecution),
              quarantine: q
                ? {
                    currentBegan: iso(q.currentBegan),
                    nextAttempt: iso(q.nextAttempt),
                    reason: str(q.reason),
                    seriesBegan: iso(q.seriesBegan),
                    seriesCount: typeof q.seriesCount === 'number' ? Math.trunc(q.seriesCount) : null,
                    error: syncError(q.error),
                  }
                : null,
              countSuccessiveCompleteFailures: Math.max(0, Math.trunc(Number(j.status?.countSuccessiveCompleteFailures ?? 0)) || 0),
              escrowsPruned: typeof j.status?.escrowsPruned === 'boolean' ? j.status.escrowsPruned : null,
              steadyStateFirstAchievedTime: when(j.status?.steadyStateFirstAchievedTime),
              steadyStateLastAchievedTime: when(j.status?.steadyStateLastAchievedTime),
            },
          };
        }),
      (j) => j.id,
    ),
  };
}
