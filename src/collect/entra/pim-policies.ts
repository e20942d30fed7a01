// The PIM policy of each PIM-governed group, for member and for owner, with all 17 rules kept as
// Graph returns them (the analysis reads them by rule id). One call per group returns both roles:
//   GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '{g}' and scopeType eq 'Group'
//       &$expand=policy($expand=rules)
import type { UnifiedRoleManagementPolicyAssignment } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { accessIdOf, sortBy, type EntraRun } from './common.js';
import { odataString, q } from './graph-client.js';

export type PimPoliciesData = NonNullable<Snapshot['entra']['pimPolicies']['data']>;
export const PIM_POLICIES_SOURCE = 'GET /policies/roleManagementPolicyAssignments?$expand=policy($expand=rules)';

export const policyPath = (groupId: string) =>
  `/policies/roleManagementPolicyAssignments?$filter=${q(`scopeId eq ${odataString(groupId)} and scopeType eq 'Group'`)}` +
  `&$select=id,policyId,scopeId,scopeType,roleDefinitionId&$expand=${q('policy($expand=rules)')}`;

type Policy = PimPoliciesData[number];

/** A policy assignment's expanded rules as Graph returns them, each with its id and @odata.type, by id (PIM for Groups and for directory roles). */
export function keptRules(a: UnifiedRoleManagementPolicyAssignment): Policy['rules'] {
  const rules = ((a.policy?.rules ?? []) as Record<string, unknown>[])
    .filter((rule) => typeof rule.id === 'string')
    .map((rule) => ({ ...rule, id: rule.id as string, '@odata.type': String(rule['@odata.type'] ?? '#microsoft.graph.unifiedRoleManagementPolicyRule') }));
  return sortBy(rules, (x) => x.id);
}

export const policyIdOf = (a: UnifiedRoleManagementPolicyAssignment): string => a.policyId ?? a.policy?.id ?? a.id ?? '';

export async function collectPimPolicies(run: EntraRun, groupIds: string[]): Promise<PimPoliciesData> {
  // Each group's assignments are mapped as they arrive: the policy's rules are kept, not the rest of
  // the expanded response.
  const results = await run.graph.batchList<UnifiedRoleManagementPolicyAssignment, Policy>(
    groupIds.map((id) => ({ key: id, path: policyPath(id) })),
    (done, total) => run.tick('entra.pimPolicies', `${done}/${total} groups`),
    (items, groupId) => {
      const kept: Policy[] = [];
      for (const a of items) {
        const role = accessIdOf(a.roleDefinitionId);
        if (!role) continue;
        kept.push({ groupId, roleDefinitionId: role, policyId: policyIdOf(a), rules: keptRules(a) });
      }
      return kept;
    },
  );
  const out: PimPoliciesData = [];
  for (const groupId of groupIds) {
    const r = results.get(groupId)!;
    if (!r.ok) {
      if (r.error.status === 404) {
        run.ctx.warn('entra.pimPolicies', `group ${groupId}: the PIM policy lookup returned 404 (a deleted or "phantom" group): skipped`);
        continue;
      }
      throw r.error;
    }
    for (const p of r.items) out.push(p);
  }
  return sortBy(out, (p) => p.groupId, (p) => p.roleDefinitionId);
}
