// The users on any path — assigned to the app, members or owners of its groups, named by PIM or by
// an activation — each read with $select of exactly the fields the model needs (accountEnabled and
// onPremisesSyncEnabled are not default properties). GET /users/{id} in $batch
// envelopes of 20; a user that 404s (deleted since) is skipped with a warning.
import type { User } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { sortBy, type EntraRun } from './common.js';

export type UsersData = NonNullable<Snapshot['entra']['users']['data']>;
export const USERS_SOURCE = 'GET /users/{id}';
const SELECT = '$select=id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled';

type EntraUser = UsersData[number];

export async function collectUsers(run: EntraRun, userIds: string[]): Promise<UsersData> {
  // Each user is mapped as it arrives: the raw response (its @odata.context and all) is not kept.
  const results = await run.graph.batchList<User, EntraUser>(
    userIds.map((id) => ({ key: id, path: `/users/${encodeURIComponent(id)}?${SELECT}` })),
    (done, total) => run.tick('entra.users', `${done}/${total} users`),
    (items) => {
      const u = items[0];
      if (!u?.id) return [];
      return [
        {
          id: u.id,
          userPrincipalName: u.userPrincipalName ?? u.id,
          displayName: u.displayName ?? null,
          accountEnabled: u.accountEnabled ?? null,
          userType: u.userType ?? null,
          onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
        },
      ];
    },
  );
  const out: UsersData = [];
  for (const id of userIds) {
    const r = results.get(id)!;
    if (!r.ok) {
      if (r.error.status === 404) {
        run.ctx.warn('entra.users', `user ${id} is on an access path but GET /users/${id} returned 404: skipped`);
        continue;
      }
      throw r.error;
    }
    const u = r.items[0];
    if (u) out.push(u);
  }
  return sortBy(out, (u) => u.id);
}
