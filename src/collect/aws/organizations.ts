// AWS Organizations: the organization, its accounts (State, not the retired Status),
// the OU path of every account and its tags. Global service: us-east-1.
//
// The OU path comes from one walk of the tree: for each parent (the root, then every OU),
// ListOrganizationalUnitsForParent and ListAccountsForParent. That is 2 × (OUs + 1) calls plus extra
// pages (page size at most 20), against ListAccounts + ListParents per account per level for the
// alternative, and it gives the OU names the path needs in the same pass.
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  type Account,
} from '@aws-sdk/client-organizations';
import type { AccountT, Snapshot } from '../../model/snapshot-schema.js';
import { GLOBAL_REGION, byString, pages, type AccountClients, type AwsRuntime } from './clients.js';

export type OrganizationData = NonNullable<Snapshot['aws']['organization']['data']>;

/** Organizations list calls accept MaxResults 1–20. */
const PAGE = 20;

export async function collectOrganization(
  rt: AwsRuntime,
  caller: AccountClients,
  tick: (detail: string) => void,
  /** Called as soon as DescribeOrganization has answered, before the (long) walk of the tree. */
  onDescribed?: (managementAccountId: string) => void,
): Promise<OrganizationData> {
  const org = caller.client('organizations', GLOBAL_REGION);
  const call = <T>(op: Parameters<AwsRuntime['call']>[0], send: () => Promise<T>) => rt.call(op, caller.accountId, GLOBAL_REGION, send);

  const described = await call('organizations:DescribeOrganization', () => org.send(new DescribeOrganizationCommand({})));
  const o = described.Organization;
  if (!o?.Id || !o.MasterAccountId) throw new Error('organizations:DescribeOrganization returned no organization');
  onDescribed?.(o.MasterAccountId);

  const roots = (
    await pages((NextToken) => call('organizations:ListRoots', () => org.send(new ListRootsCommand({ NextToken, MaxResults: PAGE }))))
  ).flatMap((p) => p.Roots ?? []);

  // Breadth-first over the tree, one level at a time (the calls of a level run side by side).
  const found: { account: Account; ouPath: string }[] = [];
  let level = roots.map((r) => ({ id: r.Id!, path: r.Name ?? 'Root' }));
  while (level.length) {
    tick(`${found.length} accounts`);
    const next = await Promise.all(
      level.map(async (parent) => {
        const [ous, accounts] = await Promise.all([
          pages((NextToken) =>
            call('organizations:ListOrganizationalUnitsForParent', () =>
              org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken, MaxResults: PAGE })),
            ),
          ),
          pages((NextToken) =>
            call('organizations:ListAccountsForParent', () =>
              org.send(new ListAccountsForParentCommand({ ParentId: parent.id, NextToken, MaxResults: PAGE })),
            ),
          ),
        ]);
        for (const account of accounts.flatMap((p) => p.Accounts ?? [])) found.push({ account, ouPath: parent.path });
        return ous.flatMap((p) => p.OrganizationalUnits ?? []).map((ou) => ({ id: ou.Id!, path: `${parent.path}/${ou.Name ?? ou.Id}` }));
      }),
    );
    level = next.flat();
  }

  const accounts: AccountT[] = await Promise.all(
    found.map(async ({ account, ouPath }) => {
      const tags = (
        await pages((NextToken) =>
          call('organizations:ListTagsForResource', () => org.send(new ListTagsForResourceCommand({ ResourceId: account.Id!, NextToken }))),
        )
      ).flatMap((p) => p.Tags ?? []);
      return {
        id: account.Id!,
        name: account.Name ?? account.Id!,
        email: account.Email ?? null,
        // State replaces Status (retired September 2026); fall back only if an old endpoint omits it.
        state: account.State ?? account.Status ?? 'UNKNOWN',
        ouPath,
        tags: Object.fromEntries(tags.map((t) => [t.Key!, t.Value ?? ''] as const).sort(byString(([k]) => k))),
      };
    }),
  );
  tick(`${accounts.length} accounts`);
  return {
    id: o.Id,
    managementAccountId: o.MasterAccountId,
    featureSet: o.FeatureSet ?? 'UNKNOWN',
    accounts: accounts.sort(byString((a) => a.id)),
  };
}
