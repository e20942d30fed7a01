// PIM history: every assignmentScheduleRequest created within the configured look-back
// (entra.activationLookback, default P30D), whatever its action and status: activations
// (selfActivate), early ends (selfDeactivate), admin assignments and removals, and requests that were
// denied, cancelled or failed. The analysis decides from the status which of them granted access: a
// refused request is kept as evidence, never counted as an activation. The list needs
// $filter=groupId eq '…' per group; only eq is documented, so the date is filtered here, not by Graph.
// The eligibility requests (eligibility-requests.ts) are listed by the same function.
import type { PrivilegedAccessGroupAssignmentScheduleRequest, PrivilegedAccessGroupEligibilityScheduleRequest } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { isoToSeconds } from '../../util/duration.js';
import { accessIdOf, iso, sortBy, str, type EntraRun } from './common.js';
import { groupFilter, scheduleInfoOf } from './pim-schedules.js';

export type ActivationsData = NonNullable<Snapshot['entra']['activations']['data']>;
export const ACTIVATIONS_SOURCE = "GET /identityGovernance/privilegedAccess/group/assignmentScheduleRequests?$filter=groupId eq … (all actions)";

const SELECT = 'id,groupId,principalId,accessId,action,status,createdDateTime,completedDateTime,justification,ticketInfo,scheduleInfo,approvalId';

export async function collectActivations(run: EntraRun, groupIds: string[]): Promise<ActivationsData> {
  return listScheduleRequests(run, groupIds, 'assignmentScheduleRequests', 'entra.activations');
}

/**
 * Every `kind` request of each group created within the look-back, sorted: the assignment requests
 * (activations) and the eligibility requests are listed the same way. A group that 404s is skipped
 * with a warning; any other failure fails the section (the caller names the permission).
 */
export async function listScheduleRequests(
  run: EntraRun,
  groupIds: string[],
  kind: 'assignmentScheduleRequests' | 'eligibilityScheduleRequests',
  section: string,
): Promise<ActivationsData> {
  const lookback = isoToSeconds(run.ctx.config.activationLookback) ?? 30 * 86400;
  const since = run.startedAt.getTime() - lookback * 1000;
  // Each group's requests are filtered and mapped as they arrive: only the requests in the look-back
  // are held, not every request of every group.
  const results = await run.graph.batchList<PrivilegedAccessGroupAssignmentScheduleRequest | PrivilegedAccessGroupEligibilityScheduleRequest, ActivationsData[number]>(
    groupIds.map((id) => ({
      key: id,
      path: `/identityGovernance/privilegedAccess/group/${kind}?${groupFilter(id)}&$select=${SELECT}`,
    })),
    (done, total) => run.tick(section, `${done}/${total} groups`),
    (items, groupId) => {
      const kept: ActivationsData = [];
      for (const a of items) {
        const r = normaliseRequest(a, groupId, since);
        if (r) kept.push(r);
      }
      return kept;
    },
  );
  const out: ActivationsData = [];
  for (const groupId of groupIds) {
    const r = results.get(groupId)!;
    if (!r.ok) {
      if (r.error.status === 404) {
        run.ctx.warn(section, `group ${groupId}: ${kind} returned 404 (a deleted or "phantom" group): skipped`);
        continue;
      }
      throw r.error;
    }
    for (const a of r.items) out.push(a);
  }
  return sortBy(out, (a) => a.createdDateTime, (a) => a.id);
}

/**
 * One Graph request → the snapshot's shape; null when it lacks what identifies it or is older than
 * `since` (ms). Every action and status is kept as Graph gives it. Exported for tests.
 */
export function normaliseRequest(
  a: PrivilegedAccessGroupAssignmentScheduleRequest | PrivilegedAccessGroupEligibilityScheduleRequest,
  groupId: string,
  since: number,
): ActivationsData[number] | null {
  const accessId = accessIdOf(a.accessId);
  const created = iso(a.createdDateTime);
  const action = str(a.action);
  if (!accessId || !a.id || !a.principalId || !created || !action) return null;
  if (Date.parse(created) < since) return null;
  const ticket = a.ticketInfo;
  return {
    id: a.id,
    groupId: a.groupId ?? groupId,
    principalId: a.principalId,
    accessId,
    action,
    // A missing status stays visible as "Unknown": the analysis never takes it as granted.
    status: str(a.status) ?? 'Unknown',
    createdDateTime: created,
    completedDateTime: iso(a.completedDateTime),
    justification: str(a.justification),
    ticketInfo: ticket ? { ticketNumber: str(ticket.ticketNumber), ticketSystem: str(ticket.ticketSystem) } : null,
    scheduleInfo: a.scheduleInfo ? scheduleInfoOf(a.scheduleInfo) : null,
    approvalId: str(a.approvalId),
  };
}
