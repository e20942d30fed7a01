// The directory's soft-deleted users: GET /directory/deletedItems/microsoft.graph.user (User.Read.All),
// listed whole with $select and the documented maximum page size, 999. The collector cannot know which
// Entra ids Identity Center still holds (the AWS half is read separately), and the list is short by
// construction: a deleted user stays in it 30 days at most. Without it, an Identity Center user whose
// source is not among the users read could be deleted or merely unassigned; with it, the two differ.
import type { User } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { iso, sortBy, str, type EntraRun } from './common.js';

export type DeletedUsersData = NonNullable<NonNullable<Snapshot['entra']['deletedUsers']>['data']>;
export const DELETED_USERS_SOURCE = 'GET /directory/deletedItems/microsoft.graph.user';
export const DELETED_USERS_PATH = '/directory/deletedItems/microsoft.graph.user?$select=id,userPrincipalName,displayName,deletedDateTime&$top=999';

/** One page of the listing → the model (items without an id are not users: dropped). */
export function mapDeletedUsers(items: User[]): DeletedUsersData {
  return items
    .filter((u) => typeof u.id === 'string' && u.id !== '')
    .map((u) => ({
      id: u.id!,
      userPrincipalName: str(u.userPrincipalName),
      displayName: str(u.displayName),
      deletedDateTime: iso(u.deletedDateTime),
    }));
}

export async function collectDeletedUsers(run: EntraRun): Promise<DeletedUsersData> {
  const users = await run.graph.listMapped<User, DeletedUsersData[number]>(DELETED_USERS_PATH, mapDeletedUsers, (n) =>
    run.tick('entra.deletedUsers', `${n} deleted users`),
  );
  return sortBy(users, (u) => u.id);
}

