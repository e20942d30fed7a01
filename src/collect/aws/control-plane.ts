// Who can change Identity Center without going through it: the IAM users and roles of the management
// account and of the Identity Center delegated administrator, with everything that decides what they
// may do. One paged iam:GetAccountAuthorizationDetails per account gives users, groups, roles and the
// managed policies with their documents (instead of a List*/Get* call per principal and policy);
// organizations:ListDelegatedAdministrators (sso.amazonaws.com) says which account is the delegated
// administrator. Which principals really could change Identity Center is for the analysis to judge.
import {
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsResponse,
  type PolicyDetail,
} from '@aws-sdk/client-iam';
import { DescribePolicyCommand, ListDelegatedAdministratorsCommand, ListParentsCommand, ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import type { ControlPlaneAccountT, ControlPlaneT, IamPrincipalT } from '../../model/snapshot-schema.js';
import { GLOBAL_REGION, byString, markerPages, pages, type AccountClients, type AwsRuntime } from './clients.js';

type GroupT = NonNullable<ControlPlaneT['accounts'][number]['groups']>[number];
type ManagedPolicyT = ControlPlaneT['managedPolicies'][number];
type ScpTargetT = NonNullable<NonNullable<ControlPlaneAccountT['serviceControlPolicies']>['targets']>[number];

/** Identity Center's service principal, for ListDelegatedAdministrators. */
export const IDENTITY_CENTER_SERVICE_PRINCIPAL = 'sso.amazonaws.com';
/** The roles Identity Center creates for permission sets: AWSReservedSSO_<permission set>_<suffix>. */
export const PERMISSION_SET_ROLE_PREFIX = 'AWSReservedSSO_';

/** What one account's GetAccountAuthorizationDetails pages hold, normalised. */
export interface AuthorizationDetails {
  principals: IamPrincipalT[];
  groups: GroupT[];
  /** Every managed policy in the answer (the caller keeps those that are used). */
  managedPolicies: ManagedPolicyT[];
}

/**
 * IAM returns policy documents URL-encoded (RFC 3986). A document that does not decode is not
 * guessed at: the account becomes `missing` with what was wrong.
 */
export function decodePolicyDocument(encoded: string, where: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw Object.assign(new Error(`${where}: the policy document is not URL-encoded as IAM documents it`), { name: 'UnexpectedResponse' });
  }
}

const inline = (list: PolicyDetail[] | undefined, where: string) =>
  (list ?? [])
    .map((p) => ({ name: p.PolicyName ?? '', document: decodePolicyDocument(p.PolicyDocument ?? '', `${where} inline policy ${p.PolicyName ?? ''}`) }))
    .sort(byString((p) => p.name));

const arns = (list: { PolicyArn?: string | undefined }[] | undefined) => [...new Set((list ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean))].sort();

/** The pages of one account's GetAccountAuthorizationDetails, as the snapshot keeps them. Sorted: same input, same bytes. */
export function normaliseAuthorizationDetails(pagesOf: GetAccountAuthorizationDetailsResponse[]): AuthorizationDetails {
  const principals: IamPrincipalT[] = [];
  const groups: GroupT[] = [];
  const managed = new Map<string, ManagedPolicyT>();
  for (const page of pagesOf) {
    for (const u of page.UserDetailList ?? []) {
      const where = `user ${u.Arn ?? u.UserName ?? ''}`;
      principals.push({
        type: 'user',
        name: u.UserName ?? '',
        id: u.UserId ?? '',
        arn: u.Arn ?? '',
        path: u.Path ?? '/',
        attachedPolicyArns: arns(u.AttachedManagedPolicies),
        inlinePolicies: inline(u.UserPolicyList, where),
        groups: [...(u.GroupList ?? [])].sort(),
        permissionsBoundaryArn: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
        trustPolicy: null,
        permissionSetRole: false,
      });
    }
    for (const r of page.RoleDetailList ?? []) {
      const where = `role ${r.Arn ?? r.RoleName ?? ''}`;
      principals.push({
        type: 'role',
        name: r.RoleName ?? '',
        id: r.RoleId ?? '',
        arn: r.Arn ?? '',
        path: r.Path ?? '/',
        attachedPolicyArns: arns(r.AttachedManagedPolicies),
        inlinePolicies: inline(r.RolePolicyList, where),
        groups: [],
        permissionsBoundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
        trustPolicy: r.AssumeRolePolicyDocument ? decodePolicyDocument(r.AssumeRolePolicyDocument, `${where} trust policy`) : null,
        permissionSetRole: (r.RoleName ?? '').startsWith(PERMISSION_SET_ROLE_PREFIX),
      });
    }
    for (const g of page.GroupDetailList ?? []) {
      groups.push({
        name: g.GroupName ?? '',
        arn: g.Arn ?? '',
        attachedPolicyArns: arns(g.AttachedManagedPolicies),
        inlinePolicies: inline(g.GroupPolicyList, `group ${g.Arn ?? g.GroupName ?? ''}`),
      });
    }
    for (const p of page.Policies ?? []) {
      if (!p.Arn) continue;
      // The default version is the one in force; the list may hold older ones too.
      const version = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((v) => v.VersionId === p.DefaultVersionId);
      managed.set(p.Arn, {
        arn: p.Arn,
        name: p.PolicyName ?? p.Arn,
        defaultVersionId: p.DefaultVersionId ?? version?.VersionId ?? null,
        document: version?.Document ? decodePolicyDocument(version.Document, `managed policy ${p.Arn}`) : null,
      });
    }
  }
  return {
    principals: principals.sort(byString((p) => `${p.type}|${p.arn}`)),
    groups: groups.sort(byString((g) => g.arn)),
    managedPolicies: [...managed.values()].sort(byString((p) => p.arn)),
  };
}

/** Every page of GetAccountAuthorizationDetails in one account (Marker/IsTruncated), normalised. */
export async function collectAuthorizationDetails(rt: AwsRuntime, clients: AccountClients): Promise<AuthorizationDetails> {
  const iam = clients.client('iam', GLOBAL_REGION);
  const pagesOf = await markerPages((Marker) =>
    rt.call('iam:GetAccountAuthorizationDetails', clients.accountId, GLOBAL_REGION, () =>
      iam.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'],
          MaxItems: 1000,
          Marker,
        }),
      ),
    ),
  );
  return normaliseAuthorizationDetails(pagesOf);
}

/** The accounts registered as delegated administrators of Identity Center (usually none or one). */
export async function listIdentityCenterDelegatedAdmins(rt: AwsRuntime, caller: AccountClients): Promise<string[]> {
  const org = caller.client('organizations', GLOBAL_REGION);
  const found = await pages((NextToken) =>
    rt.call('organizations:ListDelegatedAdministrators', caller.accountId, GLOBAL_REGION, () =>
      org.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: IDENTITY_CENTER_SERVICE_PRINCIPAL, NextToken, MaxResults: 20 })),
    ),
  );
  return [...new Set(found.flatMap((p) => p.DelegatedAdministrators ?? []).map((d) => d.Id ?? '').filter(Boolean))].sort();
}

/** Only the managed policies the kept principals and groups use (attached, or as a boundary): once per ARN. */
export function usedManagedPolicies(accounts: { principals: IamPrincipalT[] | null; groups: GroupT[] | null }[], all: Iterable<ManagedPolicyT>): ManagedPolicyT[] {
  const used = new Set<string>();
  for (const a of accounts) {
    for (const p of a.principals ?? []) {
      for (const arn of p.attachedPolicyArns) used.add(arn);
      if (p.permissionsBoundaryArn) used.add(p.permissionsBoundaryArn);
    }
    for (const g of a.groups ?? []) for (const arn of g.attachedPolicyArns) used.add(arn);
  }
  const byArn = new Map<string, ManagedPolicyT>();
  for (const p of all) if (used.has(p.arn) && !byArn.has(p.arn)) byArn.set(p.arn, p);
  // Attached yet not in the answer: kept with a null document, so the analysis says "unknown" for it.
  for (const arn of used) if (!byArn.has(arn)) byArn.set(arn, { arn, name: arn.split('/').pop() ?? arn, defaultVersionId: null, document: null });
  return [...byArn.values()].sort(byString((p) => p.arn));
}

/** Organizations list calls accept MaxResults 1–20. */
const ORG_PAGE = 20;
/** An OU tree is at most five OUs deep; a longer chain of parents is an answer not to trust. */
const MAX_DEPTH = 10;

/**
 * The service control policies in effect for a member account (the Identity Center delegated
 * administrator): ListParents from the account up to the root, ListPoliciesForTarget
 * (SERVICE_CONTROL_POLICY) for the root, each OU and the account, DescribePolicy once per policy for its
 * document. Read from the management account; any refusal throws (the caller records it as missing).
 */
export async function collectServiceControlPolicies(rt: AwsRuntime, caller: AccountClients, accountId: string): Promise<ScpTargetT[]> {
  const org = caller.client('organizations', GLOBAL_REGION);
  const call = <T>(op: Parameters<AwsRuntime['call']>[0], send: () => Promise<T>) => rt.call(op, caller.accountId, GLOBAL_REGION, send);
  const chain: { targetId: string; type: ScpTargetT['type'] }[] = [{ targetId: accountId, type: 'ACCOUNT' }];
  let child = accountId;
  for (;;) {
    const parents = (
      await pages((NextToken) => call('organizations:ListParents', () => org.send(new ListParentsCommand({ ChildId: child, NextToken, MaxResults: ORG_PAGE }))))
    ).flatMap((p) => p.Parents ?? []);
    // Organizations has one parent per child; anything else is not guessed at.
    const parent = parents[0];
    if (parents.length !== 1 || !parent?.Id || (parent.Type !== 'ROOT' && parent.Type !== 'ORGANIZATIONAL_UNIT')) {
      throw Object.assign(new Error(`organizations:ListParents for ${child} returned ${parents.length} parents, expected one root or OU`), { name: 'UnexpectedResponse' });
    }
    chain.unshift({ targetId: parent.Id, type: parent.Type });
    if (parent.Type === 'ROOT') break;
    if (chain.length > MAX_DEPTH) throw Object.assign(new Error(`organizations:ListParents: no root above ${accountId} within ${MAX_DEPTH} levels`), { name: 'UnexpectedResponse' });
    child = parent.Id;
  }
  const attached = await Promise.all(
    chain.map(async (t) =>
      (
        await pages((NextToken) =>
          call('organizations:ListPoliciesForTarget', () =>
            org.send(new ListPoliciesForTargetCommand({ TargetId: t.targetId, Filter: 'SERVICE_CONTROL_POLICY', NextToken, MaxResults: ORG_PAGE })),
          ),
        )
      ).flatMap((p) => p.Policies ?? []),
    ),
  );
  const ids = [...new Set(attached.flat().map((p) => p.Id ?? '').filter(Boolean))].sort();
  const contents = new Map(
    await Promise.all(
      ids.map(async (id) => {
        const d = await call('organizations:DescribePolicy', () => org.send(new DescribePolicyCommand({ PolicyId: id })));
        return [id, d.Policy?.Content ?? null] as const;
      }),
    ),
  );
  return chain.map((t, i) => ({
    ...t,
    policies: attached[i]!
      .filter((p) => p.Id)
      .map((p) => ({ id: p.Id!, arn: p.Arn ?? '', name: p.Name ?? p.Id!, awsManaged: p.AwsManaged ?? false, content: contents.get(p.Id!) ?? null }))
      .sort(byString((p) => p.id)),
  }));
}
