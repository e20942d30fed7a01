// Access-review definitions that cover the assigned groups: the definitions are listed (page size
// 100, the documented default) and kept when their scope — or, for reviews across many groups,
// their instance-enumeration scope — names one of the groups.
import type { AccessReviewQueryScope, AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { sortBy, str, type EntraRun } from './common.js';

export type AccessReviewsData = NonNullable<Snapshot['entra']['accessReviews']['data']>;
export const ACCESS_REVIEWS_SOURCE = 'GET /identityGovernance/accessReviews/definitions';

const queryOf = (scope: unknown): string | null => str((scope as AccessReviewQueryScope | null | undefined)?.query);

export async function collectAccessReviews(run: EntraRun, groupIds: string[]): Promise<AccessReviewsData> {
  const definitions = await run.graph.list<AccessReviewScheduleDefinition>(
    '/identityGovernance/accessReviews/definitions?$select=id,displayName,status,scope,instanceEnumerationScope,settings&$top=100',
    (n) => run.tick('entra.accessReviews', `${n} definitions`),
  );
  const ids = groupIds.map((g) => g.toLowerCase());
  const mentions = (query: string | null) => query !== null && ids.some((g) => query.toLowerCase().includes(g));
  return sortBy(
    definitions
      .filter((d) => d.id && (mentions(queryOf(d.scope)) || mentions(queryOf(d.instanceEnumerationScope))))
      .map((d) => {
        const pattern = d.settings?.recurrence?.pattern;
        const interval = Math.trunc(Number(pattern?.interval ?? 0));
        return {
          id: d.id!,
          displayName: d.displayName ?? d.id!,
          status: d.status ?? 'Unknown',
          scopeQuery: mentions(queryOf(d.scope)) ? queryOf(d.scope) : (queryOf(d.instanceEnumerationScope) ?? queryOf(d.scope)),
          recurrence: pattern?.type && interval >= 1 ? { type: String(pattern.type), interval } : null,
        };
      }),
    (d) => d.id,
  );
}
