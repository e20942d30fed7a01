// Conditional Access policies. Their tier allows 1 request per second per tenant and returns 429
// without Retry-After: the client backs off exponentially there.
import type { ConditionalAccessPolicy } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { sortBy, str, strings, type EntraRun } from './common.js';

export type ConditionalAccessData = NonNullable<Snapshot['entra']['conditionalAccess']['data']>;
export const CONDITIONAL_ACCESS_SOURCE = 'GET /identity/conditionalAccess/policies';

export async function collectConditionalAccess(run: EntraRun): Promise<ConditionalAccessData> {
  const policies = await run.graph.list<ConditionalAccessPolicy>(
    '/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls',
    (n) => run.tick('entra.conditionalAccess', `${n} policies`),
  );
  return sortBy(
    policies
      .filter((p) => p.id)
      .map((p) => {
        const apps = p.conditions?.applications;
        const users = p.conditions?.users;
        const g = p.grantControls;
        const strength = g?.authenticationStrength;
        return {
          id: p.id!,
          displayName: p.displayName ?? p.id!,
          state: str(p.state) ?? 'disabled',
          conditions: {
            applications: { includeApplications: strings(apps?.includeApplications), excludeApplications: strings(apps?.excludeApplications) },
            users: {
              includeUsers: strings(users?.includeUsers),
              excludeUsers: strings(users?.excludeUsers),
              includeGroups: strings(users?.includeGroups),
              excludeGroups: strings(users?.excludeGroups),
              includeRoles: strings(users?.includeRoles),
              excludeRoles: strings(users?.excludeRoles),
            },
          },
          grantControls: g
            ? {
                operator: g.operator ?? 'OR',
                builtInControls: strings(g.builtInControls),
                authenticationStrength: strength?.id
                  ? { id: strength.id, displayName: strength.displayName ?? null, requirementsSatisfied: str(strength.requirementsSatisfied) }
                  : null,
              }
            : null,
        };
      }),
    (p) => p.id,
  );
}
