// A directory object as the new sections keep it: id, kind, and the one name that identifies it
// (userPrincipalName for a user, appId for a service principal). Owners lists and expanded role
// principals come back as directoryObjects with @odata.type; without the permission to read a kind,
// Graph returns it with limited information (names null), which is kept as null, not guessed.
import type { DirectoryPrincipalT } from '../../model/snapshot-schema.js';
import { sortBy, str } from './common.js';

export function principalOf(o: Record<string, unknown>): DirectoryPrincipalT | null {
  const id = str(o.id);
  if (!id) return null;
  const t = String(o['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  const type = t === 'user' || t === 'group' || t === 'servicePrincipal' ? t : 'other';
  return {
    id,
    type,
    displayName: str(o.displayName),
    userPrincipalName: type === 'user' ? str(o.userPrincipalName) : null,
    appId: type === 'servicePrincipal' ? str(o.appId) : null,
  };
}

/** An owners list → principals, sorted by id (objects without an id dropped). */
export const principalsOf = (items: Record<string, unknown>[]): DirectoryPrincipalT[] =>
  sortBy(items.map(principalOf).filter((p): p is DirectoryPrincipalT => p !== null), (p) => p.id);

/** What the owners lists select: enough to name a user or a service principal. */
export const OWNER_SELECT = '$select=id,displayName,userPrincipalName,appId';
