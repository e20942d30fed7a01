// Synthetic organisations for the benchmark and the fault tests: ONE consistent
// organisation, deterministic from a seed, and from it a Graph scenario and an AWS scenario for the
// two fakes. Entra group and user ids are the Identity Center groups' and users' ExternalIds; the
// Identity Center memberships are what SCIM would have provisioned (the Entra groups' direct members,
// currently activated PIM members included, eligible ones not); the account assignments go to those
// groups (and to a few users assigned to the app directly).
//
// Sizes: S 10 accounts / 200 users / 20 groups / 10 permission sets,
// M 200 / 10,000 / 1,000 / 50, L 1,000 / 50,000 / 5,000 / 100; about 20 account assignments per
// account (L: ~20,000). PIM mix: 40 % of the groups are PIM-governed; their members are eligible
// (55 %), eligible and activated now (10 %), actively assigned (10 %) or plain members (25 %).
// Ways around PIM for Groups (each from its own random stream): directory-role holders, app owners and
// workload identities (waysAroundPim); role-assignable groups under PIM for Groups holding a role,
// activated role assignments and the Identity Center delegated administrator with its SCPs (aroundPimMore).
import type { ConfigFile } from '../../src/model/config.js';
import type { AwsScenario, FakeIamAccount, FakeTrailRecord } from '../fake-cloud/aws/scenario.js';
import type { GraphScenario } from '../fake-cloud/graph/server.js';
import { policyRules } from '../fake-cloud/graph/scenario.js';
import { Rng, seedOf } from './prng.js';

export type Size = 'S' | 'M' | 'L';

export const SIZES: Record<Size, { accounts: number; users: number; groups: number; permissionSets: number; assignmentsPerAccount: number }> = {
  S: { accounts: 10, users: 200, groups: 20, permissionSets: 10, assignmentsPerAccount: 20 },
  M: { accounts: 200, users: 10_000, groups: 1_000, permissionSets: 50, assignmentsPerAccount: 20 },
  L: { accounts: 1_000, users: 50_000, groups: 5_000, permissionSets: 100, assignmentsPerAccount: 20 },
};

export const TENANT_ID = '5e7a0000-0000-4000-8000-000000000001';
export const SP_ID = '5e7a0000-0000-4000-8000-0000000000a1';
export const APP_ID = '5e7a0000-0000-4000-8000-0000000000a2';
export const APP_NAME = 'AWS IAM Identity Center (successor to AWS Single Sign-On)';
export const IC_REGION = 'eu-west-1';
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-5e7a00000000beef';
export const STORE_ID = 'd-5e7a000000';
const SCIM_ISSUER = 'https://scim.eu-west-1.amazonaws.com/5e7a0000/scim/v2';
const APP_ROLE = '5e7a0000-0000-4000-8000-0000000000f1';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
export const entraUserId = (i: number) => `e0000000-0000-4000-8000-${hex(i, 12)}`;
export const entraGroupId = (i: number) => `e1000000-0000-4000-8000-${hex(i, 12)}`;
export const icUserId = (i: number) => `9067e0e0e0-${hex(i, 8)}-0000-4000-a000-000000000001`;
export const icGroupId = (i: number) => `9067e0e0e0-${hex(i, 8)}-0000-4000-b000-000000000002`;
export const accountId = (i: number) => String(100_000_000_000 + i * 7_919);
export const psArn = (i: number) => `arn:aws:sso:::permissionSet/ssoins-5e7a00000000beef/ps-${hex(i, 16)}`;

type Obj = Record<string, unknown>;

export interface SyntheticOrg {
  size: Size;
  seed: number;
  /** "now" the scenario's times are relative to. */
  now: number;
  graph: GraphScenario;
  aws: AwsScenario;
  /** The jitaudit config that goes with it (Identity Center Region, breakglass users, portal session). */
  config: ConfigFile;
  /** Counts, for the report. */
  shape: Record<string, number>;
}

const PS_NAMES: [string, string[], string][] = [
  ['AdministratorAccess', ['arn:aws:iam::aws:policy/AdministratorAccess'], 'PT4H'],
  ['PowerUserAccess', ['arn:aws:iam::aws:policy/PowerUserAccess'], 'PT8H'],
  ['ReadOnlyAccess', ['arn:aws:iam::aws:policy/ReadOnlyAccess'], 'PT8H'],
  ['ViewOnlyAccess', ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'], 'PT12H'],
  ['SecurityAudit', ['arn:aws:iam::aws:policy/SecurityAudit'], 'PT4H'],
  ['Billing', ['arn:aws:iam::aws:policy/job-function/Billing'], 'PT2H'],
  ['DatabaseAdministrator', ['arn:aws:iam::aws:policy/job-function/DatabaseAdministrator'], 'PT4H'],
  ['NetworkAdministrator', ['arn:aws:iam::aws:policy/job-function/NetworkAdministrator'], 'PT4H'],
  ['IAMFullAccess', ['arn:aws:iam::aws:policy/IAMFullAccess'], 'PT1H'],
  ['SupportUser', ['arn:aws:iam::aws:policy/job-function/SupportUser'], 'PT8H'],
];
const ENVS = ['prod', 'staging', 'dev', 'sandbox'] as const;
const UNITS = ['payments', 'ledger', 'search', 'identity', 'data', 'mobile', 'web', 'ml', 'ops', 'risk'];

export function generateOrg(size: Size, seed = 1, now = Date.now()): SyntheticOrg {
  const dims = SIZES[size];
  const rng = new Rng(seedOf(`${size}:${seed}`));
  const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const daysAgo = (days: number) => at(-days * 24);

  // ------------------------------------------------------------ organization
  const rootId = 'r-5e7a';
  const ous: AwsScenario['organization']['ous'] = [];
  const envOu = new Map<string, string>();
  for (const env of ENVS) {
    const id = `ou-5e7a-${env.padEnd(8, '0').slice(0, 8)}`;
    ous.push({ id, name: env === 'prod' ? 'Prod' : env[0]!.toUpperCase() + env.slice(1), parentId: rootId });
    envOu.set(env, id);
  }
  const unitOu = new Map<string, string>();
  const unitCount = Math.min(UNITS.length, Math.max(1, Math.ceil(dims.accounts / 20)));
  for (const env of ENVS) {
    for (const unit of UNITS.slice(0, unitCount)) {
      const id = `ou-5e7a-${hex(ous.length, 8)}`;
      ous.push({ id, name: unit, parentId: envOu.get(env)! });
      unitOu.set(`${env}|${unit}`, id);
    }
  }
  const accounts: AwsScenario['organization']['accounts'] = [];
  for (let i = 0; i < dims.accounts; i++) {
    if (i === 0) {
      accounts.push({ id: accountId(0), name: 'management', parentId: rootId, tags: { owner: 'platform' } });
      continue;
    }
    const env = rng.weighted([['prod', 3], ['staging', 2], ['dev', 3], ['sandbox', 2]] as const);
    const unit = UNITS[rng.int(0, unitCount - 1)]!;
    accounts.push({
      id: accountId(i),
      name: `${unit}-${env}-${i}`,
      email: `aws+${unit}-${env}-${i}@synth.example`,
      parentId: unitOu.get(`${env}|${unit}`)!,
      tags: { environment: env, team: unit, ...(rng.chance(0.3) ? { costcenter: `cc-${rng.int(100, 999)}` } : {}) },
      ...(rng.chance(0.01) ? { state: 'SUSPENDED' as const } : {}),
    });
  }
  const active = accounts.filter((a) => (a.state ?? 'ACTIVE') === 'ACTIVE');

  // ------------------------------------------------------------ permission sets
  const permissionSets: AwsScenario['identityCenter']['permissionSets'] = [];
  for (let i = 0; i < dims.permissionSets; i++) {
    const [name, managed, duration] = i < PS_NAMES.length ? PS_NAMES[i]! : [`Custom-${UNITS[i % UNITS.length]}-${i}`, [], rng.pick(['PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H'])];
    const custom = i >= PS_NAMES.length;
    permissionSets.push({
      arn: psArn(i),
      name,
      ...(rng.chance(0.7) ? { description: `${name} (synthetic)` } : {}),
      sessionDuration: duration,
      managed: managed.map((arn) => ({ name: arn.split('/').pop()!, arn })),
      ...(custom && rng.chance(0.5) ? { customerManaged: [{ name: `${name}-policy`, path: '/jit/' }] } : {}),
      ...(custom && rng.chance(0.4)
        ? { inline: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: rng.chance(0.1) ? '*' : ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] }) }
        : {}),
      ...(custom && rng.chance(0.2) ? { boundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' } } : {}),
    });
  }

  // ------------------------------------------------------------ Entra users
  const users: GraphScenario['users'] = [];
  for (let i = 0; i < dims.users; i++) {
    const guest = rng.chance(0.03);
    const upn = guest ? `ext${i}_partner.example#EXT#@synth.onmicrosoft.com` : `user${i}@synth.example`;
    users.push({
      id: entraUserId(i),
      userPrincipalName: upn,
      displayName: `User ${i}`,
      accountEnabled: !rng.chance(0.02),
      userType: guest ? 'Guest' : 'Member',
      onPremisesSyncEnabled: rng.chance(0.5) ? true : null,
      mail: upn,
    });
  }
  const userRef = (i: number) => ({ '@odata.type': '#microsoft.graph.user', id: entraUserId(i), displayName: `User ${i}` });

  // ------------------------------------------------------------ groups, memberships, PIM
  type Kind = 'plain' | 'eligible' | 'activated' | 'assigned';
  const groupPim: boolean[] = [];
  const groupPs: number[] = [];
  const groupMembers: { user: number; kind: Kind }[][] = Array.from({ length: dims.groups }, () => []);
  for (let g = 0; g < dims.groups; g++) {
    groupPs.push(rng.int(0, dims.permissionSets - 1));
    groupPim.push(rng.chance(0.4) || (g === 0));
  }
  for (let u = 0; u < dims.users; u++) {
    if (rng.chance(0.02)) continue; // on no AWS path at all
    const count = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
    for (const g of rng.sample(dims.groups, count)) {
      const kind: Kind = groupPim[g] ? rng.weighted([['eligible', 55], ['activated', 10], ['assigned', 10], ['plain', 25]] as const) : 'plain';
      groupMembers[g]!.push({ user: u, kind });
    }
  }
  const groups: GraphScenario['groups'] = [];
  const eligibilitySchedules: Obj[] = [];
  const assignmentSchedules: Obj[] = [];
  const eligibilityScheduleInstances: Obj[] = [];
  const assignmentScheduleInstances: Obj[] = [];
  const assignmentScheduleRequests: Obj[] = [];
  const policyAssignments: GraphScenario['policyAssignments'] = [];
  const accessReviewDefinitions: Obj[] = [];
  const scheduleInfo = (start: string, end: string | null) => ({ startDateTime: start, recurrence: null, expiration: { type: end ? 'afterDateTime' : 'noExpiration', endDateTime: end, duration: null } });
  for (let g = 0; g < dims.groups; g++) {
    const gid = entraGroupId(g);
    const ps = permissionSets[groupPs[g]!]!;
    const members = groupMembers[g]!.sort((a, b) => a.user - b.user);
    const ownerIdx = rng.sample(dims.users, rng.int(0, 2)).sort((a, b) => a - b);
    groups.push({
      id: gid,
      displayName: `AWS-${ps.name}-${g}`,
      description: groupPim[g] ? 'PIM-governed AWS access' : 'AWS access',
      securityEnabled: true,
      isAssignableToRole: groupPim[g] && rng.chance(0.2),
      onPremisesSyncEnabled: rng.chance(0.3) ? true : null,
      membershipRule: null,
      mailEnabled: false,
      members: members.filter((m) => m.kind !== 'eligible').map((m) => userRef(m.user)),
      owners: ownerIdx.map(userRef),
    });
    if (!groupPim[g]) continue;
    const sid = (kind: string, u: number, access = 'member') => `${gid}_${access}_${kind}-${hex(u, 6)}`;
    const eligible = (u: number, access = 'member') => {
      const s = {
        id: sid('e', u, access), groupId: gid, principalId: entraUserId(u), accessId: access, memberType: 'Direct', status: 'Provisioned',
        createdUsing: sid('e', u, access), createdDateTime: daysAgo(rng.int(10, 300)), modifiedDateTime: null,
        scheduleInfo: scheduleInfo(daysAgo(rng.int(10, 300)), rng.chance(0.15) ? null : at(24 * rng.int(30, 365))),
      };
      eligibilitySchedules.push(s);
      eligibilityScheduleInstances.push({
        id: `${s.id}-i`, groupId: gid, principalId: s.principalId, accessId: access, memberType: 'Direct',
        startDateTime: s.scheduleInfo.startDateTime, endDateTime: s.scheduleInfo.expiration.endDateTime, eligibilityScheduleId: s.id,
      });
    };
    const assignment = (u: number, type: 'Assigned' | 'Activated') => {
      const start = type === 'Activated' ? at(-rng.int(1, 120) / 60) : daysAgo(rng.int(5, 200));
      const end = type === 'Activated' ? at(rng.int(1, 8)) : rng.chance(0.2) ? null : at(24 * rng.int(10, 180));
      const s = {
        id: sid('a', u), groupId: gid, principalId: entraUserId(u), accessId: 'member', memberType: 'Direct', status: 'Provisioned', assignmentType: type,
        createdUsing: sid('a', u), createdDateTime: start, modifiedDateTime: null, scheduleInfo: scheduleInfo(start, end),
      };
      assignmentSchedules.push(s);
      assignmentScheduleInstances.push({
        id: `${s.id}-i`, groupId: gid, principalId: s.principalId, accessId: 'member', memberType: 'Direct',
        startDateTime: start, endDateTime: end, assignmentType: type, assignmentScheduleId: s.id,
      });
    };
    const request = (u: number, action: string, hoursAgo: number, n: number) =>
      assignmentScheduleRequests.push({
        id: `${gid}-req-${hex(u, 6)}-${n}`, groupId: gid, principalId: entraUserId(u), accessId: 'member', action, status: 'Provisioned', isValidationOnly: false,
        createdDateTime: at(-hoursAgo), completedDateTime: at(-hoursAgo), approvalId: null, customData: null, createdBy: { user: { id: entraUserId(u) } },
        justification: rng.chance(0.9) ? `Change ${rng.int(1000, 9999)}` : null,
        ticketInfo: { ticketNumber: rng.chance(0.5) ? `CHG-${rng.int(10000, 99999)}` : null, ticketSystem: null },
        scheduleInfo: { startDateTime: at(-hoursAgo), recurrence: null, expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT4H' } },
        targetScheduleId: sid('a', u),
      });
    for (const m of members) {
      if (m.kind === 'eligible' || m.kind === 'activated') {
        eligible(m.user);
        const past = rng.int(0, 2);
        for (let n = 0; n < past; n++) request(m.user, 'selfActivate', rng.int(2, 24 * 45), n);
      }
      if (m.kind === 'activated') {
        assignment(m.user, 'Activated');
        request(m.user, 'selfActivate', 0.5, 9);
      }
      if (m.kind === 'assigned') {
        assignment(m.user, 'Assigned');
        request(m.user, 'adminAssign', rng.int(24, 24 * 100), 8);
      }
    }
    if (rng.chance(0.2)) eligible(rng.int(0, dims.users - 1), 'owner');
    const activation = rng.pick(['PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H']);
    const mfa = rng.chance(0.7);
    for (const role of ['member', 'owner'] as const) {
      const policyId = `Group_${gid}_pol-${role}`;
      policyAssignments.push({
        id: `${policyId}_${role}`, policyId, scopeId: gid, scopeType: 'Group', roleDefinitionId: role,
        policy: {
          id: policyId, displayName: 'Directory', description: 'Directory', isOrganizationDefault: false, scopeId: gid, scopeType: 'Group', lastModifiedDateTime: null, lastModifiedBy: null,
          rules: role === 'member'
            ? policyRules({ activation, enabled: mfa ? ['MultiFactorAuthentication', 'Justification'] : ['Justification'], approvers: rng.chance(0.3) ? 1 : 0 })
            : policyRules({ activation: 'PT1H', enabled: ['MultiFactorAuthentication', 'Justification'], approvers: 1 }),
        },
      });
    }
    if (rng.chance(0.25)) {
      accessReviewDefinitions.push({
        id: `ar-${gid}`, displayName: `Quarterly review: ${ps.name}-${g}`, status: 'InProgress',
        scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${gid}/transitiveMembers`, queryType: 'MicrosoftGraph', queryRoot: null },
        instanceEnumerationScope: null,
        settings: { recurrence: { pattern: { type: 'absoluteMonthly', interval: rng.pick([1, 3, 6, 12]) }, range: { type: 'noEnd' } } },
      });
    }
  }

  // Users assigned to the app directly (and, in AWS, to accounts as USER principals).
  const directUsers = rng.sample(dims.users, Math.max(2, Math.ceil((dims.accounts * dims.assignmentsPerAccount) / 40))).sort((a, b) => a - b);

  // ------------------------------------------------------------ account assignments
  const assignments: AwsScenario['identityCenter']['assignments'] = [];
  const seen = new Set<string>();
  const add = (acct: string, ps: string, type: 'USER' | 'GROUP', id: string) => {
    const key = `${acct}|${ps}|${type}|${id}`;
    if (seen.has(key)) return;
    seen.add(key);
    assignments.push({ accountId: acct, permissionSetArn: ps, principalType: type, principalId: id });
  };
  const groupTarget = Math.round(dims.accounts * dims.assignmentsPerAccount * 0.95);
  const perGroup = groupTarget / dims.groups;
  for (let g = 0; g < dims.groups; g++) {
    const count = Math.max(1, Math.min(active.length, Math.round(perGroup * (0.5 + rng.next()))));
    for (const a of rng.sample(active.length, count)) add(active[a]!.id, psArn(groupPs[g]!), 'GROUP', icGroupId(g));
  }
  for (const u of directUsers) {
    for (let k = 0; k < 2; k++) add(active[rng.int(0, active.length - 1)]!.id, psArn(rng.int(0, dims.permissionSets - 1)), 'USER', icUserId(u));
  }
  // A few provisioned pairs whose assignments were removed since (the per-pair strategy still lists them).
  const extraProvisioned = Array.from({ length: Math.max(1, Math.round(dims.accounts / 20)) }, () => ({
    accountId: active[rng.int(0, active.length - 1)]!.id,
    permissionSetArn: psArn(rng.int(0, dims.permissionSets - 1)),
  }));

  // ------------------------------------------------------------ Identity Center (what SCIM provisioned)
  const provisioned = new Set<number>(directUsers);
  for (const members of groupMembers) for (const m of members) if (m.kind !== 'eligible') provisioned.add(m.user);
  const icUsers = [...provisioned].sort((a, b) => a - b).map((u) => ({
    userId: icUserId(u),
    userName: String(users[u]!.userPrincipalName),
    displayName: `User ${u}`,
    externalIds: [{ issuer: SCIM_ISSUER, id: entraUserId(u) }],
    ...(users[u]!.accountEnabled === false ? { status: 'DISABLED' as const } : {}),
  }));
  const icGroups = groups.map((g, i) => ({ groupId: icGroupId(i), displayName: String(g.displayName), description: String(g.description), externalIds: [{ issuer: SCIM_ISSUER, id: g.id }] }));
  const memberships = groupMembers.flatMap((members, g) =>
    members.filter((m) => m.kind !== 'eligible').map((m) => ({ membershipId: `m-${hex(g, 6)}-${hex(m.user, 6)}`, groupId: icGroupId(g), userId: icUserId(m.user) })),
  );

  // ------------------------------------------------------------ IAM users, breakglass
  const breakglass: { account: string; userName: string }[] = [];
  const iam: Record<string, FakeIamAccount> = {};
  for (const [i, a] of active.entries()) {
    const accountUsers: FakeIamAccount['users'] = [];
    if (i === 0 || i % 50 === 1) {
      const userName = `breakglass-${i}`;
      breakglass.push({ account: a.id, userName });
      accountUsers.push({
        userName, password: true, passwordLastUsed: rng.chance(0.5) ? daysAgo(rng.int(1, 80)) : 'no_information',
        mfaDevices: rng.chance(0.9) ? [{ serialNumber: `arn:aws:iam::${a.id}:mfa/${userName}`, enabledAt: '2024-05-02T10:05:00Z' }] : [],
        attachedPolicies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      });
    }
    if (rng.chance(0.3)) {
      accountUsers.push({
        userName: `ci-${i}`,
        keys: [{ active: true, lastRotated: '2025-03-01T00:00:00+00:00', lastUsed: `${daysAgo(rng.int(0, 30)).slice(0, 10)}T00:00:00+00:00` }],
        inlinePolicies: rng.chance(0.5) ? ['deploy'] : [],
      });
    }
    iam[a.id] = { users: accountUsers, root: { mfa: rng.chance(0.95), ...(rng.chance(0.02) ? { keys: true } : {}) } };
  }

  // ------------------------------------------------------------ CloudTrail
  const cloudTrail: Record<string, FakeTrailRecord[]> = {};
  const push = (key: string, r: FakeTrailRecord) => (cloudTrail[key] ??= []).push({ eventVersion: '1.08', ...r });
  let eventNo = 0;
  const eventId = () => `5e7a${hex(++eventNo, 8)}-0000-4000-8000-000000000000`;
  for (const b of breakglass) {
    for (let n = rng.int(0, 3); n > 0; n--) {
      push(`${b.account}|us-east-1`, {
        eventID: eventId(), eventTime: daysAgo(rng.int(1, 85)), eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn',
        awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.10', recipientAccountId: b.account,
        userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${b.account}:user/${b.userName}`, accountId: b.account, userName: b.userName },
        responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: rng.chance(0.8) ? 'Yes' : 'No', LoginTo: 'https://console.aws.amazon.com/' },
      });
    }
  }
  for (const a of active) {
    if (!rng.chance(0.05)) continue;
    push(`${a.id}|us-east-1`, {
      eventID: eventId(), eventTime: daysAgo(rng.int(1, 85)), eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn',
      awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', recipientAccountId: a.id,
      userIdentity: { type: 'Root', principalId: a.id, arn: `arn:aws:iam::${a.id}:root`, accountId: a.id },
      responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' },
    });
  }
  const federations = Math.min(2_000, Math.ceil(dims.users / 25));
  const mgmt = accountId(0);
  const userAssignments = assignments.filter((x) => x.principalType === 'USER');
  const groupAssignments = assignments.filter((x) => x.principalType === 'GROUP');
  const membersOf = new Map<string, string[]>();
  for (const m of memberships) {
    const list = membersOf.get(m.groupId) ?? [];
    if (list.length < 5) membersOf.set(m.groupId, [...list, m.userId]);
  }
  for (let n = 0; n < federations; n++) {
    const asg = rng.chance(0.2) && userAssignments.length ? rng.pick(userAssignments) : rng.pick(groupAssignments);
    const ic = asg.principalType === 'USER' ? asg.principalId : (membersOf.has(asg.principalId) ? rng.pick(membersOf.get(asg.principalId)!) : icUsers[0]!.userId);
    const psName = permissionSets.find((p) => p.arn === asg.permissionSetArn)!.name;
    const name = rng.chance(0.5) ? 'Federate' : 'GetRoleCredentials';
    push(`${mgmt}|${IC_REGION}`, {
      eventID: eventId(), eventTime: daysAgo(rng.int(0, 88)), eventName: name, eventSource: 'sso.amazonaws.com', awsRegion: IC_REGION, recipientAccountId: mgmt,
      userIdentity: { type: 'IdentityCenterUser', accountId: mgmt, onBehalfOf: { userId: ic, identityStoreArn: `arn:aws:identitystore::${mgmt}:identitystore/${STORE_ID}` }, credentialId: `cred-${n}` },
      requestParameters: { accountId: asg.accountId, roleName: psName },
    });
  }

  // ------------------------------------------------------------ the two scenarios
  const graph: GraphScenario = {
    organization: { id: TENANT_ID, displayName: `Synthetic ${size}`, verifiedDomains: [{ name: 'synth.onmicrosoft.com', isDefault: false }, { name: 'synth.example', isDefault: true }] },
    servicePrincipals: [
      {
        id: SP_ID,
        appId: APP_ID,
        displayName: APP_NAME,
        servicePrincipalType: 'Application',
        appRoleAssignedTo: [
          ...groups.map((g) => ({ id: `ar-${g.id}`, appRoleId: APP_ROLE, createdDateTime: daysAgo(400), principalDisplayName: g.displayName, principalId: g.id, principalType: 'Group', resourceDisplayName: APP_NAME, resourceId: SP_ID })),
          ...directUsers.map((u) => ({ id: `ar-${entraUserId(u)}`, appRoleId: APP_ROLE, createdDateTime: daysAgo(300), principalDisplayName: `User ${u}`, principalId: entraUserId(u), principalType: 'User', resourceDisplayName: APP_NAME, resourceId: SP_ID })),
        ],
        synchronizationJobs: [
          {
            id: `aWSSingleSignOn.${TENANT_ID.replace(/-/g, '')}.${SP_ID}`,
            templateId: 'aWSSingleSignOn',
            schedule: { expiration: null, interval: 'PT40M', state: 'Active' },
            status: {
              code: 'Active', countSuccessiveCompleteFailures: 0, escrowsPruned: false,
              lastExecution: { state: 'Succeeded', timeBegan: at(-0.5), timeEnded: at(-0.45), error: null },
              lastSuccessfulExecution: { state: 'Succeeded', timeBegan: at(-0.5), timeEnded: at(-0.45), error: null },
              lastSuccessfulExecutionWithExports: null, progress: [], quarantine: null,
              steadyStateFirstAchievedTime: daysAgo(300), steadyStateLastAchievedTime: at(-0.45), synchronizedEntryCountByType: [], troubleshootingUrl: null,
            },
            synchronizationJobSettings: [],
          },
        ],
      },
    ],
    groups,
    users,
    userRegistrationDetails: users.map((u) => {
      const mfa = !rng.chance(0.1);
      return {
        id: u.id, userPrincipalName: u.userPrincipalName, userDisplayName: u.displayName, userType: String(u.userType).toLowerCase(), isAdmin: false,
        isSsprRegistered: false, isSsprEnabled: false, isSsprCapable: false, isMfaRegistered: mfa, isMfaCapable: mfa, isPasswordlessCapable: false,
        methodsRegistered: mfa ? rng.pick([['microsoftAuthenticatorPush'], ['fido2'], ['microsoftAuthenticatorPush', 'fido2'], ['mobilePhone']]) : [],
        defaultMfaMethod: 'none', isSystemPreferredAuthenticationMethodEnabled: false, userPreferredMethodForSecondaryAuthentication: 'none',
        systemPreferredAuthenticationMethods: [], lastUpdatedDateTime: daysAgo(rng.int(1, 200)),
      };
    }),
    eligibilitySchedules,
    assignmentSchedules,
    eligibilityScheduleInstances,
    assignmentScheduleInstances,
    assignmentScheduleRequests,
    policyAssignments,
    conditionalAccessPolicies: [
      caPolicy('ca-001-block-legacy', 'CA001 - Block legacy authentication', 'enabled', ['All'], ['block'], daysAgo(500)),
      caPolicy('ca-010-mfa-aws', 'CA010 - Require MFA for AWS', rng.chance(0.5) ? 'enabled' : 'enabledForReportingButNotEnforced', [APP_ID], ['mfa'], daysAgo(100)),
      caPolicy('ca-020-compliant', 'CA020 - Compliant device for admins', 'enabled', ['All'], ['compliantDevice'], daysAgo(200)),
    ],
    accessReviewDefinitions,
  };
  waysAroundPim(graph, dims.users, new Rng(seedOf(`${size}:${seed}:ways-around-pim`)), daysAgo);
  const aws: AwsScenario = {
    callerAccountId: mgmt,
    organization: { id: 'o-5e7a00synth', managementAccountId: mgmt, rootId, ous, accounts },
    identityCenter: {
      region: IC_REGION,
      instanceArn: INSTANCE_ARN,
      identityStoreId: STORE_ID,
      ownerAccountId: mgmt,
      permissionSets,
      assignments,
      extraProvisioned,
      users: icUsers,
      groups: icGroups,
      memberships,
    },
    iam,
    cloudTrail,
  };
  const around = aroundPimMore(graph, aws, dims.users, new Rng(seedOf(`${size}:${seed}:role-groups-activations-delegated-admin`)), at, daysAgo);
  const config: ConfigFile = {
    aws: { identityCenterRegion: IC_REGION, portalSessionDuration: 'PT8H' },
    breakglass: { users: breakglass },
  };
  return {
    size,
    seed,
    now,
    graph,
    aws,
    config,
    shape: {
      accounts: accounts.length,
      activeAccounts: active.length,
      ous: ous.length,
      entraUsers: users.length,
      entraGroups: groups.length,
      pimGroups: groupPim.filter(Boolean).length,
      eligibilities: eligibilitySchedules.length,
      activeAssignments: assignmentSchedules.length,
      activationRequests: assignmentScheduleRequests.length,
      permissionSets: permissionSets.length,
      accountAssignments: assignments.length,
      icUsers: icUsers.length,
      icGroups: icGroups.length,
      memberships: memberships.length,
      iamUsers: Object.values(iam).reduce((s, a) => s + a.users.length, 0),
      breakglassUsers: breakglass.length,
      trailEvents: Object.values(cloudTrail).reduce((s, l) => s + l.length, 0),
      ...around,
    },
  };
}

function caPolicy(id: string, displayName: string, state: string, apps: string[], controls: string[], created: string): Obj {
  return {
    id, templateId: null, displayName, createdDateTime: created, modifiedDateTime: null, state, sessionControls: null,
    conditions: {
      userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ['all'], platforms: null, locations: null,
      applications: { includeApplications: apps, excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
    },
    grantControls: { operator: 'OR', builtInControls: controls, customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
  };
}

/**
 * Who can get around PIM for Groups, at a realistic scale (from its own random stream, so the rest of
 * the organisation is the same as before it was added): a few dozen directory-role holders, some
 * PIM-eligible with a role policy each, owners of the app's service principal, the Microsoft Graph
 * service principal and a handful of workload identities, some holding Graph write permissions.
 */
function waysAroundPim(graph: GraphScenario, users: number, rng: Rng, daysAgo: (days: number) => string): void {
  const ROLES = [
    ['fdd7a751-b60b-444a-984c-02652fe8fa1c', 'Groups Administrator', ['microsoft.directory/groups/members/update', 'microsoft.directory/groups/owners/update']],
    ['fe930be7-5e62-47db-91af-98c3a49a38b1', 'User Administrator', ['microsoft.directory/groups/members/update', 'microsoft.directory/users/password/update']],
    ['e8611ab8-c189-46e8-94e1-60213ab1f814', 'Privileged Role Administrator', ['microsoft.directory/roleAssignments/allProperties/allTasks']],
    ['62e90394-69f5-4237-9190-012177145e10', 'Global Administrator', ['microsoft.directory/groups/allProperties/allTasks', 'microsoft.directory/roleAssignments/allProperties/allTasks']],
    ['9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 'Application Administrator', ['microsoft.directory/servicePrincipals/owners/update', 'microsoft.directory/applications/credentials/update']],
  ] as const;
  const person = (i: number) => ({ '@odata.type': '#microsoft.graph.user', id: entraUserId(i), displayName: `User ${i}`, userPrincipalName: `user${i}@synth.example`, accountEnabled: true, userType: 'Member' });
  graph.roleDefinitions = ROLES.map(([id, displayName, actions]) => ({ id, displayName, description: displayName, isBuiltIn: true, isEnabled: true, templateId: id, version: '1', rolePermissions: [{ allowedResourceActions: [...actions], condition: null }], inheritsPermissionsFrom: [] }));
  const holders = 10 + Math.ceil(users / 2000);
  graph.roleAssignments = [];
  graph.roleEligibilitySchedules = [];
  for (let n = 0; n < holders; n++) {
    const [roleId] = rng.pick(ROLES);
    const who = rng.int(0, users - 1);
    const scope = rng.chance(0.1) ? `/administrativeUnits/au-${rng.int(1, 5)}` : '/';
    if (rng.chance(0.6)) {
      const start = daysAgo(rng.int(30, 400));
      graph.roleEligibilitySchedules.push({
        id: `re-${n}`, principalId: entraUserId(who), roleDefinitionId: roleId, directoryScopeId: scope, appScopeId: null, createdUsing: `re-${n}`, createdDateTime: start, modifiedDateTime: null, status: 'Provisioned', memberType: 'Direct',
        scheduleInfo: { startDateTime: start, recurrence: null, expiration: { type: 'noExpiration', endDateTime: null, duration: null } }, principal: person(who),
      });
    } else {
      graph.roleAssignments.push({ id: `ra-${n}`, principalId: entraUserId(who), resourceScope: scope, directoryScopeId: scope, roleDefinitionId: roleId, principal: person(who) });
    }
  }
  for (const roleId of [...new Set(graph.roleEligibilitySchedules.map((e) => String(e.roleDefinitionId)))].sort()) {
    const policyId = `DirectoryRole_${TENANT_ID}_pol-${roleId}`;
    graph.policyAssignments.push({
      id: `${policyId}_${roleId}`, policyId, scopeId: '/', scopeType: 'DirectoryRole', roleDefinitionId: roleId,
      policy: { id: policyId, displayName: 'DirectoryRole', description: 'DirectoryRole', isOrganizationDefault: false, scopeId: '/', scopeType: 'DirectoryRole', lastModifiedDateTime: null, lastModifiedBy: null, rules: policyRules({ activation: rng.pick(['PT1H', 'PT4H', 'PT8H']), enabled: ['MultiFactorAuthentication', 'Justification'], approvers: rng.chance(0.5) ? 1 : 0 }) },
    });
  }
  // The administrative units the scoped holders name: each holds a few of the organisation's groups.
  const unitIds = [...new Set([...graph.roleAssignments, ...graph.roleEligibilitySchedules].map((r) => String(r.directoryScopeId)).filter((s) => s.startsWith('/administrativeUnits/')))]
    .map((s) => s.slice('/administrativeUnits/'.length))
    .sort();
  graph.administrativeUnits = unitIds.map((id) => ({
    id,
    members: Array.from({ length: rng.int(2, 6) }, () => {
      const g = rng.pick(graph.groups);
      return { '@odata.type': '#microsoft.graph.group', id: g.id, displayName: g.displayName };
    }),
  }));
  // The app's service principal: two owners. Its application object lives in the gallery's tenant.
  graph.servicePrincipals[0]!.owners = [person(rng.int(0, users - 1)), person(rng.int(0, users - 1))];
  graph.applications = [];
  const GRAPH_ROLES = [
    ['dbaae8cf-10b5-4b86-a4a1-f871c94c6695', 'GroupMember.ReadWrite.All'],
    ['df021288-bdef-4463-88db-98f22de89214', 'User.Read.All'],
    ['5b567255-7703-4780-807c-7be8301ae99b', 'Group.Read.All'],
    ['618b6020-bca8-4de6-99f6-ef445fa4d857', 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
  ] as const;
  const bots = Array.from({ length: 6 }, (_, i) => ({ id: `5e7a0000-0000-4000-8000-0000000b0${hex(i, 3)}`, appId: `5e7a0000-0000-4000-8000-0000000a0${hex(i, 3)}`, displayName: `automation-${i}` }));
  graph.servicePrincipals.push(
    {
      id: '5e7a0000-0000-4000-8000-0000000000f1', appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', servicePrincipalType: 'Application',
      appRoles: GRAPH_ROLES.map(([id, value]) => ({ allowedMemberTypes: ['Application'], description: value, displayName: value, id, isEnabled: true, origin: 'Application', value })),
      appRoleAssignedTo: bots.flatMap((b, i) =>
        (i < 2 ? [GRAPH_ROLES[0], GRAPH_ROLES[1]] : i === 2 ? [GRAPH_ROLES[3]] : [GRAPH_ROLES[1], GRAPH_ROLES[2]]).map(([appRoleId], k) => ({
          id: `graph-ar-${i}-${k}`, deletedDateTime: null, appRoleId, createdDateTime: daysAgo(90), principalDisplayName: b.displayName, principalId: b.id, principalType: 'ServicePrincipal', resourceDisplayName: 'Microsoft Graph', resourceId: '5e7a0000-0000-4000-8000-0000000000f1',
        })),
      ),
      synchronizationJobs: [],
    },
    ...bots.map((b) => ({ ...b, servicePrincipalType: 'Application', accountEnabled: true, appRoleAssignedTo: [], synchronizationJobs: [], owners: [person(rng.int(0, users - 1))] })),
  );
}

/**
 * Three more ways around PIM for Groups, each with collection calls of its own, from another random
 * stream (the rest of the organisation is the same as before they were added; the app's groups, their
 * PIM lists and the shape's counts of them are untouched: new arrays, not pushes):
 * - directory roles held by role-assignable groups that are themselves under PIM for Groups: the
 *   collector reads each group's members, owners, PIM eligibility schedules and policy;
 * - role assignments that are activations (an Activated roleAssignmentScheduleInstance; the holder is
 *   eligible for the role too, as an activation needs), beside standing ones (Assigned instances);
 * - the Identity Center delegated administrator (Identity Center allows one), its IAM, and the service
 *   control policies in effect for it (FullAWSAccess on every root, OU and account, as Organizations
 *   sets it up, and a few customer SCPs on its chain).
 */
function aroundPimMore(graph: GraphScenario, aws: AwsScenario, users: number, rng: Rng, at: (hours: number) => string, daysAgo: (days: number) => string): Record<string, number> {
  const person = (i: number) => ({ '@odata.type': '#microsoft.graph.user', id: entraUserId(i), displayName: `User ${i}`, userPrincipalName: `user${i}@synth.example`, accountEnabled: true, userType: 'Member' });
  const roleIds = (graph.roleDefinitions ?? []).map((d) => String(d.id));
  const scheduleInfo = (start: string, end: string | null) => ({ startDateTime: start, recurrence: null, expiration: { type: end ? 'afterDateTime' : 'noExpiration', endDateTime: end, duration: null } });

  // ------------------------------------------------------------ role-assignable groups under PIM for Groups
  const roleGroups: GraphScenario['groups'] = [];
  const groupEligibilities: Obj[] = [];
  const groupEligibilityInstances: Obj[] = [];
  const groupPolicies: GraphScenario['policyAssignments'] = [];
  const groupAssignments: Obj[] = [];
  const roleGroupCount = 2 + Math.ceil(users / 10_000);
  for (let n = 0; n < roleGroupCount; n++) {
    const gid = `e2000000-0000-4000-8000-${hex(n, 12)}`;
    const roleId = rng.pick(roleIds);
    const displayName = `Role-${n} (${roleId.slice(0, 8)})`;
    roleGroups.push({
      id: gid, displayName, description: 'Role-assignable group, PIM for Groups', securityEnabled: true, isAssignableToRole: true, onPremisesSyncEnabled: null,
      membershipRule: null, mailEnabled: false,
      members: rng.sample(users, rng.int(0, 3)).sort((a, b) => a - b).map(person),
      owners: rng.sample(users, rng.int(0, 1)).map(person),
    });
    groupAssignments.push({ id: `ra-group-${n}`, principalId: gid, resourceScope: '/', directoryScopeId: '/', roleDefinitionId: roleId, principal: { '@odata.type': '#microsoft.graph.group', id: gid, displayName } });
    const eligible = (u: number, access: 'member' | 'owner') => {
      const id = `${gid}_${access}_e-${hex(u, 6)}`;
      const created = daysAgo(rng.int(10, 300));
      const info = scheduleInfo(created, rng.chance(0.3) ? null : at(24 * rng.int(30, 365)));
      groupEligibilities.push({
        id, groupId: gid, principalId: entraUserId(u), accessId: access, memberType: 'Direct', status: 'Provisioned', createdUsing: id, createdDateTime: created, modifiedDateTime: null,
        scheduleInfo: info, principal: person(u),
      });
      groupEligibilityInstances.push({ id: `${id}-i`, groupId: gid, principalId: entraUserId(u), accessId: access, memberType: 'Direct', startDateTime: created, endDateTime: info.expiration.endDateTime, eligibilityScheduleId: id });
    };
    for (const u of rng.sample(users, rng.int(1, 4)).sort((a, b) => a - b)) eligible(u, 'member');
    if (rng.chance(0.3)) eligible(rng.int(0, users - 1), 'owner');
    const activation = rng.pick(['PT1H', 'PT2H', 'PT4H', 'PT8H']);
    for (const role of ['member', 'owner'] as const) {
      const policyId = `Group_${gid}_pol-${role}`;
      groupPolicies.push({
        id: `${policyId}_${role}`, policyId, scopeId: gid, scopeType: 'Group', roleDefinitionId: role,
        policy: {
          id: policyId, displayName: 'Directory', description: 'Directory', isOrganizationDefault: false, scopeId: gid, scopeType: 'Group', lastModifiedDateTime: null, lastModifiedBy: null,
          rules: policyRules({ activation, enabled: rng.chance(0.6) ? ['MultiFactorAuthentication', 'Justification'] : ['Justification'], approvers: rng.chance(0.4) ? 1 : 0 }),
        },
      });
    }
  }

  // ------------------------------------------------------------ role activations
  // An activation comes from an eligibility: the holder is eligible for the role (whose PIM policy the
  // collector reads once per eligible role: added when the role had none).
  const eligibleRoles = new Set((graph.roleEligibilitySchedules ?? []).map((e) => String(e.roleDefinitionId)));
  const activatedAssignments: Obj[] = [];
  const activatedInstances: Obj[] = [];
  const activatedEligibilities: Obj[] = [];
  const newPolicies: GraphScenario['policyAssignments'] = [];
  const activations = 3 + Math.ceil(users / 5_000);
  for (let n = 0; n < activations; n++) {
    const roleId = rng.pick(roleIds);
    const who = rng.int(0, users - 1);
    const since = daysAgo(rng.int(30, 400));
    activatedEligibilities.push({
      id: `re-act-${n}`, principalId: entraUserId(who), roleDefinitionId: roleId, directoryScopeId: '/', appScopeId: null, createdUsing: `re-act-${n}`, createdDateTime: since, modifiedDateTime: null, status: 'Provisioned', memberType: 'Direct',
      scheduleInfo: scheduleInfo(since, null), principal: person(who),
    });
    // roleAssignments lists an activation as it lists a standing assignment; its instance says which.
    activatedAssignments.push({ id: `ra-act-${n}`, principalId: entraUserId(who), resourceScope: '/', directoryScopeId: '/', roleDefinitionId: roleId, principal: person(who) });
    activatedInstances.push({
      id: `rasi-act-${n}`, principalId: entraUserId(who), roleDefinitionId: roleId, directoryScopeId: '/', appScopeId: null,
      startDateTime: at(-rng.int(5, 90) / 60), endDateTime: at(rng.int(1, 8)), assignmentType: 'Activated', memberType: 'Direct',
      roleAssignmentOriginId: `ra-act-${n}`, roleAssignmentScheduleId: `ras-act-${n}`,
    });
    if (!eligibleRoles.has(roleId)) {
      eligibleRoles.add(roleId);
      const policyId = `DirectoryRole_${TENANT_ID}_pol-${roleId}`;
      newPolicies.push({
        id: `${policyId}_${roleId}`, policyId, scopeId: '/', scopeType: 'DirectoryRole', roleDefinitionId: roleId,
        policy: { id: policyId, displayName: 'DirectoryRole', description: 'DirectoryRole', isOrganizationDefault: false, scopeId: '/', scopeType: 'DirectoryRole', lastModifiedDateTime: null, lastModifiedBy: null, rules: policyRules({ activation: 'PT8H', enabled: ['MultiFactorAuthentication', 'Justification'], approvers: 0 }) },
      });
    }
  }
  const standing = [...(graph.roleAssignments ?? []), ...groupAssignments];
  graph.groups = [...graph.groups, ...roleGroups];
  graph.eligibilitySchedules = [...graph.eligibilitySchedules, ...groupEligibilities];
  graph.eligibilityScheduleInstances = [...graph.eligibilityScheduleInstances, ...groupEligibilityInstances];
  graph.policyAssignments = [...graph.policyAssignments, ...groupPolicies, ...newPolicies];
  graph.roleAssignments = [...standing, ...activatedAssignments];
  graph.roleEligibilitySchedules = [...(graph.roleEligibilitySchedules ?? []), ...activatedEligibilities];
  // Every assignment's instance, as Graph lists them: Assigned for a standing one (the documented sample's shape).
  graph.roleAssignmentScheduleInstances = [
    ...standing.map((a) => ({
      id: a.id, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId, appScopeId: null,
      startDateTime: null, endDateTime: null, assignmentType: 'Assigned', memberType: 'Direct', roleAssignmentOriginId: a.id, roleAssignmentScheduleId: a.id,
    })),
    ...activatedInstances,
  ];

  // ------------------------------------------------------------ the Identity Center delegated administrator
  const org = aws.organization;
  const members = org.accounts.filter((a) => a.id !== org.managementAccountId && (a.state ?? 'ACTIVE') === 'ACTIVE');
  const admin = members[rng.int(0, members.length - 1)]!;
  aws.delegatedAdministrators = [admin.id];
  const chain: string[] = [];
  for (let parent: string | undefined = admin.parentId; parent && parent !== org.rootId; parent = org.ous.find((o) => o.id === parent)?.parentId) chain.push(parent);
  const scp = (id: string, name: string, statement: Obj) => ({ id, name, description: `${name} (synthetic)`, document: { Version: '2012-10-17', Statement: [statement] } });
  const policies = [
    scp('p-5e7a0001', 'DenyLeaveOrganization', { Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
    scp('p-5e7a0002', 'ProtectIdentityCenter', {
      Sid: 'OnlyIdentityCenterAdmins', Effect: 'Deny', Action: ['sso:Delete*', 'sso:CreateAccountAssignment', 'sso:PutInlinePolicyToPermissionSet', 'identitystore:*'], Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/IdentityCenterAdmins' } },
    }),
    scp('p-5e7a0003', 'RegionAllowList', { Sid: 'DenyOtherRegions', Effect: 'Deny', NotAction: ['iam:*', 'sts:*', 'organizations:*', 'sso:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': [IC_REGION, 'us-east-1'] } } }),
  ];
  const attachments: Record<string, string[]> = {};
  for (const t of [org.rootId, ...org.ous.map((o) => o.id), ...org.accounts.map((a) => a.id)]) attachments[t] = ['p-FullAWSAccess'];
  attachments[org.rootId]!.push('p-5e7a0001');
  for (const ou of chain) if (rng.chance(0.7)) attachments[ou]!.push('p-5e7a0003');
  attachments[admin.id]!.push('p-5e7a0002');
  aws.serviceControlPolicies = { policies, attachments };
  const trustManagement = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${org.managementAccountId}:root` }, Action: 'sts:AssumeRole' }] };
  aws.authorizationDetails = {
    ...(aws.authorizationDetails ?? {}),
    [admin.id]: {
      roles: [
        { name: 'IdentityCenterAdmins', trust: trustManagement, attached: ['arn:aws:iam::aws:policy/AWSSSOMemberAccountAdministrator'] },
        { name: 'OrganizationAccountAccessRole', trust: trustManagement, attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        ...(rng.chance(0.5) ? [{ name: 'deploy-pipeline', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, inline: { deploy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 'lambda:UpdateFunctionCode'], Resource: '*' }] } } }] : []),
      ],
      policies: [
        { arn: 'arn:aws:iam::aws:policy/AWSSSOMemberAccountAdministrator', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sso:*', 'identitystore:*', 'sso-directory:*'], Resource: '*' }] } },
        { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      ],
    },
  };
  return {
    roleGroups: roleGroups.length,
    roleGroupEligibilities: groupEligibilities.length,
    activatedRoleAssignments: activatedAssignments.length,
    delegatedAdministrators: 1,
    serviceControlPolicies: policies.length + 1,
  };
}
