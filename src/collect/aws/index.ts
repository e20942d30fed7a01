// The AWS half of `jitaudit collect`: read-only, every section with its provenance, and a
// section (or an account, or a CloudTrail lookup) that cannot be read is `missing`, never a crash.
//
//   sts:GetCallerIdentity ─┬─ organization ── iamUsers (caller's account + AssumeRole elsewhere) ─┐
//                          │                                                                       ├─ cloudTrail
//                          └─ identityCenter ─┬─ identity store users, groups ─┐                   │
//                                             └─ permission sets ──────────────┴─ assignments ─ memberships
//   organization ─┬─ controlPlane (management account + Identity Center delegated administrator)
//                 └─ resourcePolicies (only when aws.resourcePolicyRegions is set)
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CollectorContext } from '../collectors.js';
import { collected, declared, missing, type Section } from '../section.js';
import type { AccountAssignmentT, ControlPlaneAccountT, ControlPlaneT, IamAccountT, PermissionSetT, ResourcePoliciesT, Snapshot } from '../../model/snapshot-schema.js';
import { isoToSeconds } from '../../util/duration.js';
import { collectAccountAssignments, type AssignmentPlan } from './account-assignments.js';
import { AwsCallError, AwsRuntime, GLOBAL_REGION, byString, partitionOf, type AccountClients } from './clients.js';
import { lookupRegions, missingOf, planLookups, runLookups } from './cloudtrail.js';
import { DEFAULT_REPORT_OPTIONS, collectIamAccount, type ReportOptions } from './iam.js';
import { collectIdentityCenter, type IdentityCenterData } from './identity-center.js';
import { listIdentityStoreGroups, listIdentityStoreUsers, listMemberships, type IcGroup, type IcUser } from './identity-store.js';
import { collectOrganization, type OrganizationData } from './organizations.js';
import { collectPermissionSets, listPermissionSetArns } from './permission-sets.js';
import { collectAuthorizationDetails, collectServiceControlPolicies, listIdentityCenterDelegatedAdmins, usedManagedPolicies, type AuthorizationDetails } from './control-plane.js';
import { collectResourcePolicies, resourcePolicyConfig } from './resource-policies.js';

export { AWS_OPERATIONS } from './operations.js';

type Aws = Snapshot['aws'];

export const DEFAULT_MEMBER_ROLE = 'JitAuditReadOnly';
/** LookupEvents holds 90 days: a longer look-back is cut to that. */
const MAX_LOOKBACK_SECONDS = 90 * 86_400;

export interface AwsCollectOptions {
  /** Scales every rate limit and poll interval (benchmarks and tests); default JITAUDIT_RATE_SCALE or 1. */
  rateScale?: number;
  report?: ReportOptions;
  /** Receives the runtime, so tests and benchmarks can read the call log. */
  onRuntime?: (rt: AwsRuntime) => void;
  /** Receives the assignment plan (strategy and call estimates). */
  onAssignmentPlan?: (plan: AssignmentPlan) => void;
}

class SectionFailure extends Error {
  constructor(readonly section: Section<never>) {
    super('section failed');
  }
}

/** An error that is not an AWS answer: a bug must surface, anything else becomes `missing`. */
function asMissing(error: unknown): Section<never> {
  if (error instanceof SectionFailure) return error.section;
  if (error instanceof AwsCallError) return missing(error.missing, error.fix);
  if (error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError) throw error;
  const e = error as Error;
  return missing({ status: null, code: e.name && e.name !== 'Error' ? e.name : 'UnexpectedResponse', message: e.message }, null);
}

export async function collectAws(ctx: CollectorContext, options: AwsCollectOptions = {}): Promise<Aws> {
  const rateScale = options.rateScale ?? (Number(process.env.JITAUDIT_RATE_SCALE) || 1);
  const rt = new AwsRuntime({ ...(ctx.profile ? { profile: ctx.profile } : {}), rateScale });
  options.onRuntime?.(rt);
  const report = options.report ?? {
    pollMs: DEFAULT_REPORT_OPTIONS.pollMs / rateScale,
    maxPollMs: DEFAULT_REPORT_OPTIONS.maxPollMs / rateScale,
    timeoutMs: DEFAULT_REPORT_OPTIONS.timeoutMs,
  };
  const raw = ctx.config.raw.aws ?? {};
  const roleName = raw.memberAccountRoleName ?? DEFAULT_MEMBER_ROLE;
  const startedAt = new Date();

  // ---------------------------------------------------------------- sections and progress
  const run = async <T>(name: keyof Aws, source: () => string, body: (tick: (d: string) => void) => Promise<T>): Promise<Section<T>> => {
    const label = `aws.${name}`;
    ctx.progress.start(label);
    try {
      const data = await body((d) => ctx.progress.tick(label, d));
      ctx.progress.done(label, 'collected');
      return collected(data, source(), new Date());
    } catch (error) {
      const section = asMissing(error);
      const p = section.provenance;
      ctx.progress.done(label, 'missing', p.status === 'missing' ? `${p.error.code}: ${p.error.message}` : undefined);
      return section as Section<T>;
    }
  };
  const warn = (section: string) => (message: string) => ctx.warn(`aws.${section}`, message);

  const portalSession: Aws['portalSession'] = ctx.config.portalSessionDuration.explicit
    ? declared({ duration: ctx.config.portalSessionDuration.value }, 'config: aws.portalSessionDuration', 'No AWS API exposes the access-portal session duration.')
    : missing(
        { status: null, code: 'NotDeclared', message: 'No AWS API exposes the access-portal session duration, and the config does not declare it.' },
        'declare aws.portalSessionDuration in the config (IAM Identity Center console → Settings → Authentication → Session duration)',
      );
  ctx.progress.start('aws.portalSession');
  ctx.progress.done('aws.portalSession', portalSession.provenance.status === 'declared' ? 'declared' : 'missing');

  // ---------------------------------------------------------------- region and caller
  const region = await identityCenterRegion(ctx);
  const boot = rt.bootstrapClients();
  let caller: AccountClients;
  let partition: string;
  try {
    const who = await rt.call('sts:GetCallerIdentity', 'caller', region ?? GLOBAL_REGION, () =>
      boot.client('sts', region ?? GLOBAL_REGION).send(new GetCallerIdentityCommand({})),
    );
    if (!who.Account) throw new Error('sts:GetCallerIdentity returned no account');
    caller = rt.callerClients(who.Account);
    partition = partitionOf(who.Arn);
  } catch (error) {
    // Without credentials nothing can be read: every section says why, once.
    const failed = asMissing(error);
    const p = failed.provenance;
    const fix =
      p.status === 'missing' && p.error.code !== 'AccessDenied'
        ? 'configure AWS credentials: --profile (sso-session profiles included), AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) or a container/instance role'
        : p.status === 'missing'
          ? p.fix
          : null;
    const none = (): Section<never> => (p.status === 'missing' ? missing(p.error, fix) : failed);
    const asked = ['organization', 'identityCenter', 'identityStore', 'permissionSets', 'accountAssignments', 'iamUsers', 'controlPlane', 'cloudTrail'];
    if (resourcePolicyConfig(raw) !== null) asked.push('resourcePolicies');
    for (const s of asked) {
      ctx.progress.start(`aws.${s}`);
      ctx.progress.done(`aws.${s}`, 'missing', p.status === 'missing' ? p.error.code : undefined);
    }
    return {
      organization: none(),
      identityCenter: none(),
      identityStore: none(),
      permissionSets: none(),
      accountAssignments: none(),
      portalSession,
      iamUsers: none(),
      controlPlane: none(),
      ...(resourcePolicyConfig(raw) !== null ? { resourcePolicies: none() } : {}),
      cloudTrail: none(),
    };
  }

  // Clients per account: the caller's own account with the caller's credentials, every other account
  // through the member role. One AssumeRole per account, shared by IAM and CloudTrail.
  const accountClients = new Map<string, Promise<AccountClients | AwsCallError>>();
  const clientsFor = (accountId: string): Promise<AccountClients | AwsCallError> => {
    let p = accountClients.get(accountId);
    if (!p) {
      p =
        accountId === caller.accountId
          ? Promise.resolve(caller)
          : rt.assumeRole(caller, accountId, partition, roleName, region ?? GLOBAL_REGION).catch((error: unknown) => {
              if (!(error instanceof AwsCallError)) throw error;
              return new AwsCallError(
                error.operation,
                { ...error.missing, message: `cannot assume role ${roleName} in account ${accountId}: ${error.missing.message}` },
                `create role ${roleName} in account ${accountId} (docs/aws-policies/member-account-role.json) trusting the auditor, and allow the auditor sts:AssumeRole on it`,
                error.code,
              );
            });
      accountClients.set(accountId, p);
    }
    return p;
  };

  // ---------------------------------------------------------------- organization → IAM users
  // Identity Center needs only the management account id (to pick the organization instance), which
  // DescribeOrganization gives at once: it does not wait for the walk of the whole tree.
  let described: (id: string | null) => void = () => {};
  const managementAccountP = new Promise<string | null>((resolve) => (described = resolve));
  const orgSection = run('organization', () => 'organizations:DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent, ListTagsForResource', (tick) =>
    collectOrganization(rt, caller, tick, described),
  );
  void orgSection.then((org) => described(org.data?.managementAccountId ?? null));

  // ---------------------------------------------------------------- Identity Center
  const noRegion = (): never => {
    throw new SectionFailure(
      missing({ status: null, code: 'NoRegion', message: 'the Identity Center home Region is not known' }, 'set aws.identityCenterRegion in the config, or pass --region'),
    );
  };
  const icSection = (async () => {
    const managementAccountId = await managementAccountP;
    return run('identityCenter', () => 'sso-admin:ListInstances', async () =>
      collectIdentityCenter(rt, caller, region ?? noRegion(), managementAccountId, warn('identityCenter')),
    );
  })();

  const identityCenterData = async (): Promise<IdentityCenterData> => {
    const ic = await icSection;
    if (!ic.data) throw new SectionFailure(dependsOn('aws.identityCenter', ic));
    return ic.data;
  };

  // Users and groups, and the permission-set ARNs: read once, used by several sections.
  const principalsP = (async () => {
    const ic = await identityCenterData();
    const [users, groups] = await Promise.all([
      listIdentityStoreUsers(rt, caller, ic.region, ic.identityStoreId),
      listIdentityStoreGroups(rt, caller, ic.region, ic.identityStoreId),
    ]);
    return { users, groups };
  })();
  principalsP.catch(() => {});
  const arnsP = (async () => {
    const ic = await identityCenterData();
    return listPermissionSetArns(rt, caller, ic.region, ic.instanceArn);
  })();
  arnsP.catch(() => {});

  const psSection = run<PermissionSetT[]>(
    'permissionSets',
    () => 'sso-admin:ListPermissionSets, DescribePermissionSet, ListManagedPoliciesInPermissionSet, ListCustomerManagedPolicyReferencesInPermissionSet, GetInlinePolicyForPermissionSet, GetPermissionsBoundaryForPermissionSet',
    async (tick) => {
      const ic = await identityCenterData();
      return collectPermissionSets(rt, caller, ic.region, ic.instanceArn, await arnsP, tick);
    },
  );

  let plan: AssignmentPlan | null = null;
  const assignmentsSection = run<AccountAssignmentT[]>(
    'accountAssignments',
    () =>
      plan
        ? plan.strategy === 'per-pair'
          ? `sso-admin:ListAccountsForProvisionedPermissionSet, ListAccountAssignments (per (account, permission set) pair: ${plan.permissionSets} permission sets + ${plan.provisionedPairs} pairs, fewer than ${plan.principals} principals)`
          : `sso-admin:ListAccountAssignmentsForPrincipal (per principal: ${plan.principals} users and groups${plan.provisionedPairs === null ? `, not more than ${plan.permissionSets} permission sets` : `, fewer than ${plan.provisionedPairs} provisioned pairs`})`
        : 'sso-admin',
    async (tick) => {
      const ic = await identityCenterData();
      const [arns, principals] = await Promise.all([arnsP.catch(() => null), principalsP.catch(() => null)]);
      if (arns === null && principals === null) {
        // Neither strategy can run: say why with the first failure.
        await arnsP;
      }
      const result = await collectAccountAssignments(
        rt,
        caller,
        ic.region,
        {
          instanceArn: ic.instanceArn,
          // Without the permission sets only per-principal works; without the principals only per-pair.
          permissionSetArns: arns ?? [],
          principals: principals
            ? [...principals.users.map((u) => ({ type: 'USER' as const, id: u.userId })), ...principals.groups.map((g) => ({ type: 'GROUP' as const, id: g.groupId }))]
            : [],
        },
        tick,
        warn('accountAssignments'),
        arns === null ? 'per-principal' : principals === null ? 'per-pair' : undefined,
      );
      plan = result.plan;
      options.onAssignmentPlan?.(result.plan);
      return result.assignments;
    },
  );

  const storeSection = run(
    'identityStore',
    () => 'identitystore:ListUsers, ListGroups, ListGroupMemberships',
    async (tick) => {
      const ic = await identityCenterData();
      const { users, groups } = await principalsP;
      const assignments = await assignmentsSection;
      let groupIds: string[];
      if (assignments.data) {
        groupIds = [...new Set(assignments.data.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId))].sort();
      } else {
        // Which groups are assigned is unknown: read the memberships of every group instead.
        warn('identityStore')('account assignments could not be read: memberships of every group were collected');
        groupIds = groups.map((g: IcGroup) => g.groupId);
      }
      const memberships = await listMemberships(rt, caller, ic.region, ic.identityStoreId, groupIds, tick);
      return { users: users as IcUser[], groups, memberships };
    },
  );

  // ---------------------------------------------------------------- IAM users of every account
  const activeAccounts = async (org: Section<OrganizationData>, section: string = 'iamUsers'): Promise<string[]> => {
    if (!org.data) {
      warn(section)('the organization could not be read: only the caller\'s account is covered');
      return [caller.accountId];
    }
    for (const a of org.data.accounts.filter((x) => x.state !== 'ACTIVE')) {
      warn(section)(`account ${a.id} (${a.name}) is ${a.state}: not audited`);
    }
    return org.data.accounts.filter((a) => a.state === 'ACTIVE').map((a) => a.id);
  };

  const iamSection = run<IamAccountT[]>(
    'iamUsers',
    () => 'iam:GenerateCredentialReport, GetCredentialReport, ListMFADevices, ListAttachedUserPolicies, ListUserPolicies',
    async (tick) => {
      const accounts = await activeAccounts(await orgSection);
      let done = 0;
      const perAccount = await Promise.all(
        accounts.map(async (accountId): Promise<IamAccountT> => {
          const clients = await clientsFor(accountId);
          try {
            if (clients instanceof AwsCallError) throw clients;
            const data = await collectIamAccount(rt, clients, report);
            return {
              accountId,
              provenance: { status: 'collected', source: `iam:GetCredentialReport (${clients.via})`, collectedAt: new Date().toISOString() },
              ...data,
            };
          } catch (error) {
            if (!(error instanceof AwsCallError)) throw error;
            warn('iamUsers')(`account ${accountId}: ${error.missing.code}: ${error.missing.message}`);
            return { accountId, provenance: missingOf(error), reportGeneratedAt: null, root: null, users: null };
          } finally {
            tick(`${++done}/${accounts.length} accounts`);
          }
        }),
      );
      return perAccount.sort(byString((a) => a.accountId));
    },
  );

  // ---------------------------------------------------------------- control plane
  // IAM users and roles that could change Identity Center: the management account's (its own
  // credentials when the caller is the management account, the member role otherwise) and the
  // delegated administrator's (member role). SCPs do not limit the management account's principals.
  const controlPlaneSection = run<ControlPlaneT>(
    'controlPlane',
    () => 'organizations:ListDelegatedAdministrators, iam:GetAccountAuthorizationDetails; organizations:ListParents, ListPoliciesForTarget, DescribePolicy',
    async (tick) => {
      const org = await orgSection;
      if (!org.data) throw new SectionFailure(dependsOn('aws.organization', org));
      const managementAccountId = org.data.managementAccountId;
      let delegated: ControlPlaneT['delegatedAdministrators'];
      try {
        const ids = await listIdentityCenterDelegatedAdmins(rt, caller);
        delegated = { provenance: { status: 'collected', source: 'organizations:ListDelegatedAdministrators (sso.amazonaws.com)', collectedAt: new Date().toISOString() }, accountIds: ids };
      } catch (error) {
        if (!(error instanceof AwsCallError)) throw error;
        warn('controlPlane')(`the Identity Center delegated administrator is unknown: ${error.missing.code}: ${error.missing.message}`);
        delegated = { provenance: missingOf(error), accountIds: null };
      }
      const roles = new Map<string, ControlPlaneAccountT['roles']>([[managementAccountId, ['management']]]);
      for (const id of delegated.accountIds ?? []) roles.set(id, [...(roles.get(id) ?? []), 'delegatedAdministrator']);
      // By account, so that the policy kept for an ARN does not depend on which account answered first.
      const byAccount = new Map<string, AuthorizationDetails['managedPolicies']>();
      let done = 0;
      const accounts = await Promise.all(
        [...roles].map(async ([accountId, accountRoles]): Promise<ControlPlaneAccountT> => {
          const scpExempt = accountId === managementAccountId;
          // SCPs limit a delegated administrator's principals: read the ones in effect (from the management
          // account); unread, they stay `missing`, never "no SCP".
          const serviceControlPolicies: ControlPlaneAccountT['serviceControlPolicies'] = scpExempt
            ? undefined
            : await collectServiceControlPolicies(rt, caller, accountId).then(
                (targets) => ({ provenance: { status: 'collected' as const, source: 'organizations:ListParents, ListPoliciesForTarget, DescribePolicy', collectedAt: new Date().toISOString() }, targets }),
                (error: unknown) => {
                  const m = asMissing(error);
                  warn('controlPlane')(`account ${accountId}: service control policies not read: ${m.provenance.status === 'missing' ? `${m.provenance.error.code}: ${m.provenance.error.message}` : ''}`);
                  return { provenance: m.provenance, targets: null };
                },
              );
          const base = { accountId, roles: accountRoles, scpExempt, ...(serviceControlPolicies ? { serviceControlPolicies } : {}) };
          const clients = await clientsFor(accountId);
          try {
            if (clients instanceof AwsCallError) throw clients;
            const details = await collectAuthorizationDetails(rt, clients);
            byAccount.set(accountId, details.managedPolicies);
            return {
              ...base,
              provenance: { status: 'collected', source: `iam:GetAccountAuthorizationDetails (${clients.via})`, collectedAt: new Date().toISOString() },
              principals: details.principals,
              groups: details.groups,
            };
          } catch (error) {
            if (!(error instanceof AwsCallError)) {
              if (error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError) throw error;
              const e = error as Error;
              error = new AwsCallError('iam:GetAccountAuthorizationDetails', { status: null, code: e.name && e.name !== 'Error' ? e.name : 'UnexpectedResponse', message: e.message }, null, 'UnexpectedResponse');
            }
            const e = error as AwsCallError;
            warn('controlPlane')(`account ${accountId}: ${e.missing.code}: ${e.missing.message}`);
            return { ...base, provenance: missingOf(e), principals: null, groups: null };
          } finally {
            tick(`${++done}/${roles.size} accounts`);
          }
        }),
      );
      accounts.sort(byString((a) => a.accountId));
      const all = accounts.flatMap((a) => byAccount.get(a.accountId) ?? []);
      return { managementAccountId, delegatedAdministrators: delegated, accounts, managedPolicies: usedManagedPolicies(accounts, all) };
    },
  );

  // ---------------------------------------------------------------- resource policies
  const resourcePolicyAsk = resourcePolicyConfig(raw);
  const resourcePolicySection =
    resourcePolicyAsk === null
      ? null
      : run<ResourcePoliciesT>(
          'resourcePolicies',
          () => 'lambda:ListFunctions, GetPolicy; apigateway:GET /restapis',
          async (tick) => {
            if ('error' in resourcePolicyAsk) {
              throw new SectionFailure(missing({ status: null, code: 'InvalidConfig', message: resourcePolicyAsk.error }, 'fix aws.resourcePolicyRegions / aws.resourcePolicyAccounts in the config'));
            }
            const accounts = resourcePolicyAsk.accounts ?? (await activeAccounts(await orgSection, 'resourcePolicies'));
            return collectResourcePolicies(rt, accounts, resourcePolicyAsk.regions, partition, clientsFor, missingOf, tick);
          },
        );

  // ---------------------------------------------------------------- CloudTrail
  const trailSection = run(
    'cloudTrail',
    () => 'cloudtrail:LookupEvents',
    async (tick) => {
      const org = await orgSection;
      const accounts = org.data ? org.data.accounts.filter((a) => a.state === 'ACTIVE').map((a) => a.id) : [caller.accountId];
      const ic = (await icSection).data;
      // Console sign-ins land in more Regions than us-east-1 (see cloudtrail.ts); aws.cloudTrailRegions adds
      // the Regions whose sign-in endpoints or workloads the organisation uses.
      const regions = lookupRegions(region, ctx.config.raw.aws?.cloudTrailRegions ?? []);
      if (!ic) warn('cloudTrail')('the Identity Center instance is unknown: federation events and assignment and group-membership changes were not looked up');
      const specs = planLookups({
        accountIds: accounts,
        breakglass: ctx.config.breakglass,
        regions,
        identityCenter: ic ? { accountId: ic.ownerAccountId ?? org.data?.managementAccountId ?? caller.accountId, region: ic.region } : null,
      });
      const lookback = Math.min(isoToSeconds(ctx.config.cloudTrailLookback) ?? MAX_LOOKBACK_SECONDS, MAX_LOOKBACK_SECONDS);
      const end = startedAt;
      const start = new Date(end.getTime() - lookback * 1000);
      const { lookups, events } = await runLookups(rt, specs, clientsFor, { start, end }, tick);
      const failed = lookups.filter((l) => l.provenance.status === 'missing').length;
      if (failed) warn('cloudTrail')(`${failed} of ${lookups.length} CloudTrail lookups could not be made`);
      return { lookups, events };
    },
  );

  // The member accounts' clients (IAM, and CloudTrail in each Region: thousands of SDK clients in a
  // large organisation) serve these two sections only: release them when both are done instead of
  // holding them until Identity Center, the longest AWS chain, is read to the end.
  const memberClientsReleased = Promise.all([iamSection, trailSection, controlPlaneSection, resourcePolicySection]).then(async () => {
    for (const pending of accountClients.values()) {
      const clients = await pending.catch(() => null);
      if (clients && !(clients instanceof AwsCallError) && clients !== caller) clients.release();
    }
  });

  const [organization, identityCenter, identityStore, permissionSets, accountAssignments, iamUsers, controlPlane, resourcePolicies, cloudTrail] = await Promise.all([
    orgSection,
    icSection,
    storeSection,
    psSection,
    assignmentsSection,
    iamSection,
    controlPlaneSection,
    resourcePolicySection,
    trailSection,
    memberClientsReleased,
  ]);
  return {
    organization,
    identityCenter,
    identityStore,
    permissionSets,
    accountAssignments,
    portalSession,
    iamUsers,
    controlPlane,
    ...(resourcePolicies ? { resourcePolicies } : {}),
    cloudTrail,
  };
}

/** A section that could not run because another is missing: carry that section's error. */
function dependsOn(on: string, section: Section<unknown>): Section<never> {
  const p = section.provenance;
  if (p.status !== 'missing') return missing({ status: null, code: 'DependencyMissing', message: `${on} is missing` }, null);
  return missing({ ...p.error, message: `needs ${on}, which is missing: ${p.error.message}` }, p.fix);
}

/** --region, then aws.identityCenterRegion, then the SDK's own Region (AWS_REGION, the profile's region). */
async function identityCenterRegion(ctx: CollectorContext): Promise<string | null> {
  const configured = ctx.region ?? ctx.config.raw.aws?.identityCenterRegion;
  if (configured) return configured;
  try {
    const probe = new STSClient(ctx.profile ? { profile: ctx.profile } : {});
    const region = await probe.config.region();
    probe.destroy();
    return region || null;
  } catch {
    return null;
  }
}
