// Is the SCIM provisioning job syncing as of the snapshot? Three states:
//   • healthy   — the job runs on schedule and its last run had no per-object errors;
//   • degraded  — it runs on schedule, but some objects fail (escrows, EntryLevelErrors, pruned
//                 escrows, initial cycle not finished): removals still flow at the schedule
//                 interval, except for the objects in error;
//   • unhealthy — it does not run (no job, not configured, not run, paused, disabled, quarantined),
//                 keeps failing, or has completed no run within the grace: a removal may never
//                 reach Identity Center, so the SCIM lag is unbounded.
// The job's own status code, its last run's state and end time, and the quarantine and escrow
// fields decide (synchronizationStatus / synchronizationTaskExecution in the Graph reference).
// lastSuccessfulExecution is only "the last run without any errors": it lags whenever objects are
// escrowed, so it says nothing about whether the job still syncs.
import { isoToSeconds } from '../util/duration.js';
import type { SyncJobT } from '../model/snapshot-schema.js';

export type ProvisioningState = 'healthy' | 'degraded' | 'unhealthy';

export interface ProvisioningHealth {
  state: ProvisioningState;
  /** The job field that decided the state, e.g. "status.code" or "lastExecution.state"; null when no job. */
  signal: string | null;
  /** Why not healthy, in words; null when healthy. */
  reason: string | null;
}

const unhealthy = (signal: string | null, reason: string): ProvisioningHealth => ({ state: 'unhealthy', signal, reason });
const degraded = (signal: string, reason: string): ProvisioningHealth => ({ state: 'degraded', signal, reason });

/** "code: message" of a synchronizationError, when it has either. */
function errorText(e: { code: string | null; message: string | null } | null | undefined): string | null {
  if (!e) return null;
  const parts = [e.code, e.message].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return parts.length ? parts.join(': ') : null;
}

/** Graph writes DateTimeOffset.MinValue (0001-01-01) for "never". */
const never = (t: string | null | undefined) => !t || Date.parse(t) <= Date.parse('1900-01-01T00:00:00Z');

export function provisioningHealth(job: SyncJobT | null, now: Date, unhealthyAfter: string): ProvisioningHealth {
  if (!job) return unhealthy(null, 'the enterprise app has no provisioning job');
  const status = job.status;
  const code = status.code.toLowerCase();
  if (code === 'quarantine') {
    const q = status.quarantine;
    const why = [q?.reason, errorText(q?.error)].filter((x): x is string => typeof x === 'string' && x !== '');
    return unhealthy(
      'status.code',
      `the provisioning job is in quarantine${q?.currentBegan ? ` since ${q.currentBegan}` : ''}${why.length ? ` (${why.join('; ')})` : ''}`,
    );
  }
  if (code === 'paused') return unhealthy('status.code', 'the provisioning job is paused');
  if (job.schedule.state.toLowerCase() !== 'active') return unhealthy('schedule.state', `the provisioning job is scheduled as ${job.schedule.state}`);
  if (code === 'notconfigured' || code === 'notrun') return unhealthy('status.code', `the provisioning job has status ${status.code}`);

  const last = status.lastExecution;
  const failures = status.countSuccessiveCompleteFailures;
  if (last?.state?.toLowerCase() === 'failed') {
    const err = errorText(last.error);
    return unhealthy(
      'lastExecution.state',
      `the provisioning job's last run failed${last.timeEnded ? ` at ${last.timeEnded}` : ''}${err ? ` (${err})` : ''}${failures > 1 ? `; ${failures} runs in a row failed` : ''}`,
    );
  }
  if (failures > 0) return unhealthy('countSuccessiveCompleteFailures', `the provisioning job failed its last ${failures === 1 ? 'run' : `${failures} runs`}`);

  // Freshness: the last run that ended (a run under way counts from its start).
  const grace = (isoToSeconds(unhealthyAfter) ?? 0) * 1000;
  const lastRun = last ? (last.timeEnded ?? last.timeBegan) : (status.lastSuccessfulExecution?.timeEnded ?? null);
  const runField = last ? (last.timeEnded ? 'lastExecution.timeEnded' : 'lastExecution.timeBegan') : 'lastSuccessfulExecution.timeEnded';
  if (never(lastRun)) return unhealthy(runField, 'the provisioning job has never completed a run');
  if (now.getTime() - Date.parse(lastRun!) > grace) {
    return unhealthy(runField, `the provisioning job has completed no run since ${lastRun} (grace ${unhealthyAfter})`);
  }

  // Syncing: degraded when objects are in error.
  if (last?.state?.toLowerCase() === 'entrylevelerrors') {
    const err = errorText(last.error);
    return degraded('lastExecution.state', `the last run ended with per-object errors${escrowCount(last.countEscrowed)}${err ? ` (${err})` : ''}`);
  }
  if ((last?.countEscrowed ?? 0) > 0) return degraded('lastExecution.countEscrowed', `the last run left ${last!.countEscrowed} object(s) escrowed (per-object errors)`);
  const lastClean = status.lastSuccessfulExecution?.timeEnded ?? null;
  if (last?.timeEnded && !never(lastClean) && Date.parse(lastClean!) < Date.parse(last.timeEnded)) {
    // Older snapshots do not keep countEscrowed: a run that ended after the last error-free one had errors.
    return degraded('lastSuccessfulExecution.timeEnded', `the last run (ended ${last.timeEnded}) had per-object errors; the last run without errors ended ${lastClean}`);
  }
  if (status.escrowsPruned === true) {
    return degraded('escrowsPruned', 'escrows (per-object errors) were pruned during the initial cycle; the job pauses when that cycle completes');
  }
  if (status.steadyStateFirstAchievedTime !== undefined && never(status.steadyStateFirstAchievedTime)) {
    return degraded('steadyStateFirstAchievedTime', 'the initial provisioning cycle has not completed yet');
  }
  return { state: 'healthy', signal: last ? 'lastExecution.state' : 'lastSuccessfulExecution.timeEnded', reason: null };
}

const escrowCount = (n: number | null | undefined) => (typeof n === 'number' && n > 0 ? `, ${n} object(s) escrowed` : '');
