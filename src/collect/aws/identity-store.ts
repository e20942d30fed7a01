// Identity store: users and groups with their ExternalIds (the Entra object ids SCIM
// provisioned them from), and the memberships of every group that has an account assignment.
// Calls: ⌈U/100⌉ + ⌈G/100⌉ + Σ over assigned groups ⌈members/100⌉.
import { ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand, type ExternalId } from '@aws-sdk/client-identitystore';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { mapLimit } from '../rate-limit.js';
import { CONCURRENCY, byString, pageItems, type AccountClients, type AwsRuntime } from './clients.js';

type Store = NonNullable<Snapshot['aws']['identityStore']['data']>;
export type IcUser = Store['users'][number];
export type IcGroup = Store['groups'][number];
export type IcMembership = Store['memberships'][number];

const externalIds = (ids: ExternalId[] | undefined) =>
  (ids ?? []).map((e) => ({ issuer: e.Issuer ?? '', id: e.Id ?? '' })).sort(byString((e) => `${e.issuer}|${e.id}`));

export async function listIdentityStoreUsers(rt: AwsRuntime, caller: AccountClients, region: string, storeId: string): Promise<IcUser[]> {
  const store = caller.client('identitystore', region);
  return (
    await pageItems(
      (NextToken) =>
        rt.call('identitystore:ListUsers', caller.accountId, region, () =>
          store.send(new ListUsersCommand({ IdentityStoreId: storeId, NextToken, MaxResults: 100 })),
        ),
      (p) =>
        (p.Users ?? []).map((u) => ({
          userId: u.UserId!,
          userName: u.UserName ?? u.UserId!,
          displayName: u.DisplayName ?? null,
          externalIds: externalIds(u.ExternalIds),
          status: u.UserStatus ?? null,
        })),
    )
  ).sort(byString((u) => u.userId));
}

export async function listIdentityStoreGroups(rt: AwsRuntime, caller: AccountClients, region: string, storeId: string): Promise<IcGroup[]> {
  const store = caller.client('identitystore', region);
  return (
    await pageItems(
      (NextToken) =>
        rt.call('identitystore:ListGroups', caller.accountId, region, () =>
          store.send(new ListGroupsCommand({ IdentityStoreId: storeId, NextToken, MaxResults: 100 })),
        ),
      (p) =>
        (p.Groups ?? []).map((g) => ({
          groupId: g.GroupId!,
          displayName: g.DisplayName ?? g.GroupId!,
          description: g.Description ?? null,
          externalIds: externalIds(g.ExternalIds),
        })),
    )
  ).sort(byString((g) => g.groupId));
}

export async function listMemberships(
  rt: AwsRuntime,
  caller: AccountClients,
  region: string,
  storeId: string,
  groupIds: string[],
  tick: (detail: string) => void,
): Promise<IcMembership[]> {
  const store = caller.client('identitystore', region);
  let done = 0;
  // One call per group, thousands of groups: started a few more at a time than the concurrency cap.
  const perGroup = await mapLimit(groupIds, 2 * CONCURRENCY.identitystore, async (groupId) => {
    const list = await pageItems(
      (NextToken) =>
        rt.call('identitystore:ListGroupMemberships', caller.accountId, region, () =>
          store.send(new ListGroupMembershipsCommand({ IdentityStoreId: storeId, GroupId: groupId, NextToken, MaxResults: 100 })),
        ),
      // Only user members are modelled (the API's MemberId is a union with UserId as its one member).
      (p) =>
        (p.GroupMemberships ?? [])
          .filter((m) => m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId)
          .map((m) => ({ membershipId: m.MembershipId ?? null, groupId: m.GroupId ?? groupId, userId: (m.MemberId as { UserId: string }).UserId })),
    );
    tick(`memberships of ${++done}/${groupIds.length} groups`);
    return list;
  });
  return perGroup.flat().sort(byString((m) => `${m.groupId}|${m.userId}|${m.membershipId ?? ''}`));
}
