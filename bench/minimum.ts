// The fewest calls the collectors' chosen strategies need for a synthetic organisation, per limit,
// derived from the organisation's shape and the formulas in docs/entra-collector.md and
// docs/aws-collector.md (page sizes: Graph 100 as the fake serves them, sso-admin/identitystore 100,
// Organizations 20, LookupEvents 50). The benchmark compares what was actually called with this.
import { chooseStrategy } from '../src/collect/aws/account-assignments.js';
import { GRAPH_WRITE_PERMISSIONS, MICROSOFT_GRAPH_APP_ID } from '../src/collect/entra/workload-identities.js';
import { ACCOUNT_ASSIGNMENT_EVENTS, GROUP_MEMBERSHIP_EVENTS } from '../src/model/snapshot-schema.js';
import type { SyntheticOrg } from '../test/synthetic/org.js';
import { IC_REGION } from '../test/synthetic/org.js';

type Obj = Record<string, unknown>;
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** Calls per limit key (the fakes' keys: graph tiers, "identity-center|<region>", "lookup-events|<acct>|<region>", services). */
export interface CallBudget {
  calls: Record<string, number>;
  /** Graph identity-and-access resource units (the directory tier's cost). */
  directoryUnits: number;
  strategy: string;
}

export function minimumCalls(orgIn: SyntheticOrg, graphPage = 100, activationLookbackDays = 30): CallBudget {
  const g = orgIn.graph;
  const calls: Record<string, number> = {};
  const add = (key: string, n: number) => (calls[key] = (calls[key] ?? 0) + n);

  // ------------------------------------------------------------ Graph
  const sp = g.servicePrincipals[0]!;
  const assigned = sp.appRoleAssignedTo as Obj[];
  const groupIds = [...new Set(assigned.filter((a) => a.principalType === 'Group').map((a) => String(a.principalId)))];
  const groupById = new Map(g.groups.map((x) => [x.id, x]));
  let units = 0;
  const dir = (n: number, cost: number) => {
    add('graph:directory', n);
    units += n * cost;
  };
  dir(1, 1); // GET /organization?$select
  dir(1, 1); // servicePrincipals?$filter=displayName…&$select
  dir(pages(assigned.length, graphPage), 1); // appRoleAssignedTo?$select
  dir(1, 1); // synchronization/jobs
  dir(pages(g.deletedUsers?.length ?? 0, graphPage), 1); // directory/deletedItems/microsoft.graph.user, listed whole
  const users = new Set<string>(assigned.filter((a) => a.principalType === 'User').map((a) => String(a.principalId)));
  for (const id of groupIds) {
    const grp = groupById.get(id);
    if (!grp) continue;
    dir(1, 1); // GET /groups/{id}?$select
    dir(pages(grp.members.length, graphPage) + pages(grp.owners.length, graphPage), 2); // members, owners with $select
    for (const m of [...grp.members, ...grp.owners]) if (String(m['@odata.type']).endsWith('user')) users.add(String(m.id));
  }
  // PIM: four lists, the activation requests and the eligibility requests per group (one listing each,
  // even when empty), the policies per PIM group, the reviews.
  const byGroup = (list: Obj[]) => {
    const m = new Map<string, number>();
    for (const x of list) m.set(String(x.groupId), (m.get(String(x.groupId)) ?? 0) + 1);
    return m;
  };
  const eligibilityRequests = g.eligibilityScheduleRequests ?? [];
  const lists = [g.eligibilitySchedules, g.assignmentSchedules, g.eligibilityScheduleInstances, g.assignmentScheduleInstances, g.assignmentScheduleRequests, eligibilityRequests].map(byGroup);
  const pimGroups = new Set<string>();
  for (const id of groupIds) {
    for (const [i, l] of lists.entries()) {
      add('graph:governance', pages(l.get(id) ?? 0, graphPage));
      if (i < 4 && l.has(id)) pimGroups.add(id);
    }
  }
  add('graph:governance', pimGroups.size); // policies: member and owner in one call
  add('graph:governance', pages(g.accessReviewDefinitions.length, 100));
  // Access packages: the listing (every package), then for each with a group role on a group assigned to
  // the app its policies (one call) and its assignments (every page, any state), batched: counted one by one.
  const packages = g.accessPackages ?? [];
  add('graph:governance', pages(packages.length, graphPage));
  const appGroups = new Set(groupIds.map((x) => x.toLowerCase()));
  let kept = 0;
  for (const p of packages) {
    const onAppGroup = p.resourceRoleScopes.some((rs) => rs.role.originSystem === 'AadGroup' && rs.scope.originSystem === 'AadGroup' && appGroups.has(String(rs.scope.originId).toLowerCase()));
    if (onAppGroup) add('graph:governance', 1 + pages((g.accessPackageAssignments ?? []).filter((a) => a.accessPackage.id === p.id).length, graphPage));
    if (onAppGroup) kept++;
  }
  // The catalog roles (entitlement management's roleAssignments with their principal, $select: one unit),
  // listed whole once when some package was kept.
  if (kept) dir(pages(g.entitlementRoleAssignments?.length ?? 0, graphPage), 1);
  const since = Date.now() - activationLookbackDays * 86_400_000;
  // The principals of the app's groups' schedules (a role group's eligibilities name their principal inline: not read).
  for (const list of [g.eligibilitySchedules, g.assignmentSchedules, g.eligibilityScheduleInstances, g.assignmentScheduleInstances]) {
    for (const s of list) if (appGroups.has(String(s.groupId).toLowerCase())) users.add(String(s.principalId));
  }
  for (const r of g.assignmentScheduleRequests) {
    if (String(r.action).toLowerCase() === 'selfactivate' && Date.parse(String(r.createdDateTime)) >= since) users.add(String(r.principalId));
  }
  // Everyone an eligibility request in the look-back names, whatever its action.
  for (const r of eligibilityRequests) if (Date.parse(String(r.createdDateTime)) >= since) users.add(String(r.principalId));
  for (const id of groupIds) users.delete(id);
  dir(users.size, 1); // GET /users/{id}?$select
  const chunks = Math.ceil(users.size / 15);
  add('graph:reports', chunks > 10 ? pages(g.userRegistrationDetails.length, graphPage) : chunks);
  add('graph:conditionalAccess', pages(g.conditionalAccessPolicies.length, graphPage));
  // Who can get around PIM for Groups: the directory roles (assignments and eligibilities with their
  // principal, the definitions; a policy per eligible role), the app's service-principal and
  // application owners, the Microsoft Graph service principal, who holds its app roles, and each
  // holder of a write permission with its owners (batched: counted one by one).
  dir(pages(g.roleAssignments?.length ?? 0, graphPage) + pages(g.roleEligibilitySchedules?.length ?? 0, graphPage) + pages(g.roleDefinitions?.length ?? 0, graphPage), 1);
  // The assignments' schedule instances (assigned or activated): the fake serves one per assignment when the scenario lists none.
  dir(pages(g.roleAssignmentScheduleInstances?.length ?? g.roleAssignments?.length ?? 0, graphPage), 1);
  add('graph:governance', new Set((g.roleEligibilitySchedules ?? []).map((e) => String(e.roleDefinitionId))).size);
  // The group members of each administrative unit a holder is scoped to (one read per unit, any case).
  const scopedUnits = new Set(
    [...(g.roleAssignments ?? []), ...(g.roleEligibilitySchedules ?? [])]
      .map((r) => String(r.directoryScopeId ?? ''))
      .filter((s) => s.toLowerCase().startsWith('/administrativeunits/'))
      .map((s) => s.slice('/administrativeUnits/'.length).toLowerCase()),
  );
  for (const id of scopedUnits) {
    const unit = (g.administrativeUnits ?? []).find((u) => u.id.toLowerCase() === id);
    dir(pages(unit ? unit.members.filter((m) => m['@odata.type'] === '#microsoft.graph.group').length : 0, graphPage), 1);
  }
  // The members and owners of each group that holds a role (one read of each per group, any case).
  const roleGroups = new Set(
    [...(g.roleAssignments ?? []), ...(g.roleEligibilitySchedules ?? [])]
      .filter((r) => (r.principal as Obj | undefined)?.['@odata.type'] === '#microsoft.graph.group')
      .map((r) => String(r.principalId).toLowerCase()),
  );
  for (const id of roleGroups) {
    const grp = g.groups.find((x) => x.id.toLowerCase() === id);
    dir(pages(grp?.members.length ?? 0, graphPage) + pages(grp?.owners.length ?? 0, graphPage), 2); // members, owners with $select
    // PIM for Groups on the role group: its eligibility schedules (every page) and its policy (one call).
    add('graph:governance', pages(g.eligibilitySchedules.filter((e) => String(e.groupId).toLowerCase() === id).length, graphPage) + 1);
  }
  dir(2, 2); // owners of the service principal and of the application object
  dir(1, 1); // servicePrincipals(appId='00000003-…')?$select
  const graphSp = g.servicePrincipals.find((s) => s.appId === MICROSOFT_GRAPH_APP_ID);
  if (graphSp) {
    dir(pages(graphSp.appRoleAssignedTo.length, graphPage), 1);
    const roleValue = new Map(((graphSp.appRoles ?? []) as Obj[]).map((r) => [String(r.id), String(r.value)]));
    const writers = new Set(graphSp.appRoleAssignedTo.filter((a) => a.principalType === 'ServicePrincipal' && String(roleValue.get(String(a.appRoleId))) in GRAPH_WRITE_PERMISSIONS).map((a) => String(a.principalId)));
    dir(writers.size, 1); // GET /servicePrincipals/{id}?$select
    dir(writers.size, 2); // its owners
  }

  // ------------------------------------------------------------ AWS
  const a = orgIn.aws;
  const ic = a.identityCenter;
  const icKey = `identity-center|${IC_REGION}`;
  const P = ic.permissionSets.length;
  add(icKey, 1 + pages(P, 100) + 5 * P); // ListInstances, ListPermissionSets, 5 per permission set
  add(icKey, pages(ic.users.length, 100) + pages(ic.groups.length, 100));
  const principals = ic.users.length + ic.groups.length;
  const count = (key: (x: (typeof ic.assignments)[number]) => string) => {
    const m = new Map<string, number>();
    for (const x of ic.assignments) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
    return m;
  };
  const pairs = count((x) => `${x.accountId}|${x.permissionSetArn}`);
  for (const x of ic.extraProvisioned ?? []) if (!pairs.has(`${x.accountId}|${x.permissionSetArn}`)) pairs.set(`${x.accountId}|${x.permissionSetArn}`, 0);
  const perPrincipal = () => {
    const per = count((x) => `${x.principalType}|${x.principalId}`);
    return ic.users.reduce((s, u) => s + pages(per.get(`USER|${u.userId}`) ?? 0, 100), 0) + ic.groups.reduce((s, x) => s + pages(per.get(`GROUP|${x.groupId}`) ?? 0, 100), 0);
  };
  let strategy = chooseStrategy(P, principals, null);
  if (strategy === 'discover') {
    const accountsPerPs = new Map<string, number>();
    for (const k of pairs.keys()) accountsPerPs.set(k.split('|')[1]!, (accountsPerPs.get(k.split('|')[1]!) ?? 0) + 1);
    add(icKey, ic.permissionSets.reduce((s, ps) => s + pages(accountsPerPs.get(ps.arn) ?? 0, 100), 0));
    strategy = chooseStrategy(P, principals, pairs.size);
  }
  add(icKey, strategy === 'per-pair' ? [...pairs.values()].reduce((s, n) => s + pages(n, 100), 0) : perPrincipal());
  const assignedGroups = new Set(ic.assignments.filter((x) => x.principalType === 'GROUP').map((x) => x.principalId));
  const members = new Map<string, number>();
  for (const m of ic.memberships) members.set(m.groupId, (members.get(m.groupId) ?? 0) + 1);
  add(icKey, [...assignedGroups].reduce((s, id) => s + pages(members.get(id) ?? 0, 100), 0));

  const org = a.organization;
  const orgConfigBreakglass = orgIn.config.breakglass?.users ?? [];
  const activeAccounts = org.accounts.filter((x) => (x.state ?? 'ACTIVE') === 'ACTIVE');
  add('organizations', 2); // DescribeOrganization, ListRoots
  for (const parent of [org.rootId, ...org.ous.map((o) => o.id)]) {
    add('organizations', pages(org.ous.filter((o) => o.parentId === parent).length, 20) + pages(org.accounts.filter((x) => x.parentId === parent).length, 20));
  }
  add('organizations', org.accounts.length); // ListTagsForResource
  // Who can change Identity Center: the delegated administrators, and every IAM principal and policy of
  // the management account and of each delegated administrator (GetAccountAuthorizationDetails, 1,000 a page).
  const delegated = a.delegatedAdministrators ?? [];
  add('organizations', pages(delegated.length, 20));
  for (const id of new Set([org.managementAccountId, ...delegated])) {
    const d = a.authorizationDetails?.[id] ?? {};
    add('iam', pages((d.users?.length ?? 0) + (d.roles?.length ?? 0) + (d.groups?.length ?? 0) + (d.policies?.length ?? 0), 1000));
  }
  // The SCPs in effect for each delegated administrator (not the management account: SCPs do not limit
  // it): ListParents per level up to the root, ListPoliciesForTarget per target (the root, each OU, the
  // account; FullAWSAccess alone when the scenario declares none), DescribePolicy once per policy.
  for (const id of new Set(delegated)) {
    if (id === org.managementAccountId) continue;
    const targets = [id];
    for (let parent = org.accounts.find((x) => x.id === id)?.parentId; parent; parent = org.ous.find((o) => o.id === parent)?.parentId) targets.push(parent);
    add('organizations', targets.length - 1);
    const attached = targets.map((t) => (a.serviceControlPolicies ? (a.serviceControlPolicies.attachments[t] ?? []) : ['p-FullAWSAccess']));
    add('organizations', attached.reduce((n, list) => n + pages(list.length, 20), 0) + new Set(attached.flat()).size);
  }
  add('sts', 1 + activeAccounts.filter((x) => x.id !== a.callerAccountId).length);
  for (const acct of activeAccounts) {
    const iam = a.iam[acct.id] ?? { users: [] };
    add('iam', 2 + iam.users.reduce((s, u) => s + 2 + ((u.mfaDevices ?? []).length ? 1 : 0), 0));
  }
  const breakglass = orgConfigBreakglass;
  // Root in us-east-1 and the Identity Center Region; breakglass users also where global-endpoint
  // console sign-ins are recorded (us-east-2, eu-north-1, ap-southeast-2); plus aws.cloudTrailRegions.
  const configured = orgIn.config.aws?.cloudTrailRegions ?? [];
  const rootRegions = [...new Set(['us-east-1', IC_REGION, ...configured])];
  const breakglassRegions = [...new Set([...rootRegions, 'us-east-2', 'eu-north-1', 'ap-southeast-2'])];
  const lookups: { key: string; match: (r: Obj) => boolean }[] = [];
  for (const region of rootRegions) {
    for (const acct of activeAccounts) lookups.push({ key: `${acct.id}|${region}`, match: (r) => (r.userIdentity as Obj | undefined)?.type === 'Root' });
  }
  for (const region of breakglassRegions) {
    for (const b of breakglass) lookups.push({ key: `${b.account}|${region}`, match: (r) => (r.userIdentity as Obj | undefined)?.userName === b.userName });
  }
  // Credential fetches, and the Identity Center changes they are judged against.
  for (const name of ['Federate', 'GetRoleCredentials', ...ACCOUNT_ASSIGNMENT_EVENTS, ...GROUP_MEMBERSHIP_EVENTS]) lookups.push({ key: `${ic.ownerAccountId}|${IC_REGION}`, match: (r) => r.eventName === name });
  for (const l of lookups) add(`lookup-events|${l.key}`, pages((a.cloudTrail[l.key] ?? []).filter(l.match).length, 50));
  return { calls, directoryUnits: units, strategy };
}
