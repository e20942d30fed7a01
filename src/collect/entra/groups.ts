// The groups assigned to the enterprise app: their properties, direct members and direct owners
// (members include currently activated PIM members; eligible ones never appear here).
// Three GETs per group, sent in $batch envelopes of 20. A group id that 404s is skipped with a warning.
import type { DirectoryObject, Group } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { sortBy, type EntraRun } from './common.js';
import { GraphFailure } from './graph-client.js';

export type GroupsData = NonNullable<Snapshot['entra']['groups']['data']>;
type Ref = GroupsData[number]['members'][number];
export const GROUPS_SOURCE = 'GET /groups/{id}, /groups/{id}/members, /groups/{id}/owners';

const GROUP_SELECT = '$select=id,displayName,description,securityEnabled,isAssignableToRole,onPremisesSyncEnabled,membershipRule';
const REF_SELECT = '$select=id,displayName&$top=999';

export function refOf(o: DirectoryObject & { displayName?: string | null }): Ref {
  const t = String((o as Record<string, unknown>)['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  const type: Ref['type'] = t === 'user' || t === 'group' || t === 'servicePrincipal' ? t : 'other';
  return { id: o.id!, type, displayName: o.displayName ?? null };
}

export async function collectGroups(run: EntraRun, groupIds: string[]): Promise<GroupsData> {
  const requests = groupIds.flatMap((id) => {
    const g = encodeURIComponent(id);
    return [
      { key: `${id}|group`, path: `/groups/${g}?${GROUP_SELECT}` },
      { key: `${id}|members`, path: `/groups/${g}/members?${REF_SELECT}` },
      { key: `${id}|owners`, path: `/groups/${g}/owners?${REF_SELECT}` },
    ];
  });
  const results = await run.graph.batchList<Record<string, unknown>>(requests, (done, total) =>
    run.tick('entra.groups', `${done}/${total} requests`),
  );
  const out: GroupsData = [];
  for (const id of groupIds) {
    const group = results.get(`${id}|group`)!;
    if (!group.ok && group.error.status === 404) {
      run.ctx.warn('entra.groups', `group ${id} is assigned to the enterprise app but GET /groups/${id} returned 404: skipped`);
      continue;
    }
    const parts = [group, results.get(`${id}|members`)!, results.get(`${id}|owners`)!];
    for (const part of parts) if (!part.ok) throw part.error;
    const g = (group as { ok: true; items: Group[] }).items[0];
    if (!g?.id) throw new GraphFailure(null, 'InvalidResponse', `GET /groups/${id} returned no group`);
    const refs = (k: 'members' | 'owners') =>
      sortBy(((results.get(`${id}|${k}`) as { ok: true; items: DirectoryObject[] }).items).filter((o) => o.id).map(refOf), (r) => r.id);
    out.push({
      id: g.id,
      displayName: g.displayName ?? g.id,
      description: g.description ?? null,
      securityEnabled: g.securityEnabled ?? null,
      isAssignableToRole: g.isAssignableToRole ?? null,
      onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
      membershipRule: g.membershipRule ?? null,
      members: refs('members'),
      owners: refs('owners'),
    });
  }
  return sortBy(out, (g) => g.id);
}
