// Is the SCIM provisioning job healthy as of the snapshot? While it is, the SCIM lag is its
// schedule interval; while it is not, a removal may never reach Identity Center: the lag is unbounded.
import { isoToSeconds } from '../util/duration.js';
import type { SyncJobT } from '../model/snapshot-schema.js';

export interface ProvisioningHealth {
  healthy: boolean;
  /** Why not, in words; null when healthy. */
  reason: string | null;
}

export function provisioningHealth(job: SyncJobT | null, now: Date, unhealthyAfter: string): ProvisioningHealth {
  if (!job) return { healthy: false, reason: 'the enterprise app has no provisioning job' };
  const code = job.status.code.toLowerCase();
  if (code === 'quarantine') {
    const since = job.status.quarantine?.currentBegan;
    return { healthy: false, reason: `the provisioning job is in quarantine${since ? ` since ${since}` : ''}` };
  }
  if (code === 'paused' || job.schedule.state.toLowerCase() !== 'active') {
    return { healthy: false, reason: `the provisioning job is ${code === 'paused' ? 'paused' : `scheduled as ${job.schedule.state}`}` };
  }
  if (code === 'notconfigured' || code === 'notrun') {
    return { healthy: false, reason: `the provisioning job has status ${job.status.code}` };
  }
  const lastSuccess = job.status.lastSuccessfulExecution?.timeEnded ?? null;
  const grace = (isoToSeconds(unhealthyAfter) ?? 0) * 1000;
  if (!lastSuccess) return { healthy: false, reason: 'the provisioning job has never succeeded' };
  if (now.getTime() - Date.parse(lastSuccess) > grace) {
    return { healthy: false, reason: `the provisioning job has not succeeded since ${lastSuccess} (grace ${unhealthyAfter})` };
  }
  return { healthy: true, reason: null };
}
