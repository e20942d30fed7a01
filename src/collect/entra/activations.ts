// PIM history: every assignmentScheduleRequest created within the configured look-back
// (entra.activationLookback, default P30D), whatever its action and status: activations
// (selfActivate), early ends (selfDeactivate), admin assignments and removals, and requests that were
// denied, cancelled or failed. The analysis decides from the status which of them granted access: a
// refused request is kept as evidence, never counted as an activation. The list needs
// $filter=groupId eq '…' per group; only eq is documented, so the date is filtered here, not by Graph.
import type { PrivilegedAccessGroupAssignmentScheduleRequest } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { isoToSeconds } from '../../util/duration.js';
import { accessIdOf, iso, sortBy, str, type EntraRun } from './common.js';
import { groupFilter, scheduleInfoOf } from './pim-schedules.js';

export type ActivationsData = NonNullable<Snapshot['entra']['activations']['data']>;
export const ACTIVATIONS_SOURCE = "GET /identityGovernance/privilegedAccess/group/assignmentScheduleRequests?$filter=groupId eq … (all actions)";

const SELECT = 'id,groupId,principalId,accessId,action,status,createdDateTime,completedDateTime,justification,ticketInfo,scheduleInfo,approvalId';

export async function collectActivations(run: EntraRun, groupIds: string[]): Promise<ActivationsData> {
  const lookback = isoToSeconds(run.ctx.config.activationLookback) ?? 30 * 86400;
  const since = run.startedAt.getTime() - lookback * 1000;
  // Each group's requests are filtered and mapped as they arrive: only the requests in the look-back
  // are held, not every request of every group.
  const results = await run.graph.batchList<PrivilegedAccessGroupAssignmentScheduleRequest, ActivationsData[number]>(
    groupIds.map((id) => ({
      key: id,
      path: `/identityGovernance/privilegedAccess/group/assignmentScheduleRequests?${groupFilter(id)}&$select=${SELECT}`,
    })),
    (done, total) => run.tick('entra.activations', `${done}/${total} groups`),
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
        run.ctx.warn('entra.activations', `group ${groupId}: assignmentScheduleRequests returned 404 (a deleted or "phantom" group): skipped`);
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
export function normaliseRequest(a: PrivilegedAccessGroupAssignmentScheduleRequest, groupId: string, since: number): ActivationsData[number] | null {
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
