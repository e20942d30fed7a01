// PIM eligibility history: every eligibilityScheduleRequest of each group created within the same
// look-back as the activations (entra.activationLookback), whatever its action and status, so that a
// credential fetch can be judged against the eligibility of its own time: one granted by adminAssign
// and taken away by adminRemove after the fetch still counted then; one given after it did not.
// Listed exactly like the assignment requests (per group, $filter=groupId eq '…', batched).
import type { Snapshot } from '../../model/snapshot-schema.js';
import { listScheduleRequests } from './activations.js';
import type { EntraRun } from './common.js';

export type EligibilityRequestsData = NonNullable<NonNullable<Snapshot['entra']['eligibilityRequests']>['data']>;
export const ELIGIBILITY_REQUESTS_SOURCE = "GET /identityGovernance/privilegedAccess/group/eligibilityScheduleRequests?$filter=groupId eq … (all actions)";

export function collectEligibilityRequests(run: EntraRun, groupIds: string[]): Promise<EligibilityRequestsData> {
  return listScheduleRequests(run, groupIds, 'eligibilityScheduleRequests', 'entra.eligibilityRequests');
}
