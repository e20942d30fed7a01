// The SCIM provisioning job(s) of the enterprise app: schedule interval (the SCIM lag while the job
// is healthy), status incl. quarantine, last successful run. The list documents no OData query
// parameters, so no $select here.
import type { SynchronizationJob, SynchronizationTaskExecution } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { ISO_DURATION_PATTERN } from '../../model/schema-helpers.js';
import { iso, sortBy, str, type EntraRun } from './common.js';

export type ProvisioningData = NonNullable<Snapshot['entra']['provisioning']['data']>;
export const PROVISIONING_SOURCE = 'GET /servicePrincipals/{id}/synchronization/jobs';

const execution = (e: SynchronizationTaskExecution | null | undefined) =>
  e ? { timeBegan: iso(e.timeBegan), timeEnded: iso(e.timeEnded), state: str(e.state) } : null;

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
                  }
                : null,
              countSuccessiveCompleteFailures: Math.max(0, Math.trunc(Number(j.status?.countSuccessiveCompleteFailures ?? 0)) || 0),
            },
          };
        }),
      (j) => j.id,
    ),
  };
}
