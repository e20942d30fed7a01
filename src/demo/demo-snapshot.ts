// The demo organisation, Northwind: a fictional tenant and AWS organization in which every rule of
// the built-in pack fires at least once and most paths are clean. It contains the AWS Security
// Blog's example (seed 001): group "AWS - Amazon EC2 Admin" → EC2AdminAccess (AmazonEC2FullAccess,
// session PT1H), activation maximum PT1H, default 8 h portal session, healthy 40-minute provisioning
// job → a window of PT10H40M. `npm run demo` writes it to reports/demo/snapshot.json.
import { createHash } from 'node:crypto';
import type { Snapshot } from '../model/snapshot-schema.js';
import { SNAPSHOT_SCHEMA_VERSION } from '../model/snapshot-schema.js';
import { pimPolicyRules } from './pim-policy-rules.js';

export const DEMO_COLLECTED_AT = '2026-10-01T06:00:00Z';
const STARTED = '2026-10-01T05:58:12Z';
const TENANT = '8f3e1c52-6a0b-4d7e-9a41-2c5b7d9e0f13';

/** Stable GUID-shaped ids from names, so the demo reads the same on every build. */
const guid = (name: string) => {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const icId = (name: string) => `9067${createHash('sha256').update(`ic:${name}`).digest('hex').slice(0, 6)}-${guid(`ic:${name}`)}`;

const collected = (source: string) => ({ status: 'collected' as const, source, collectedAt: '2026-10-01T05:59:00Z' });

// ------------------------------------------------------------------ people

interface Person {
  key: string;
  name: string;
  upn: string;
  enabled?: boolean;
  guest?: boolean;
  mfa?: boolean;
}
const DOMAIN = 'northwind.example';
const people: Person[] = [
  { key: 'rich', name: 'Rich Roe', upn: `rich.roe@${DOMAIN}` },
  { key: 'alice', name: 'Alice Kim', upn: `alice.kim@${DOMAIN}` },
  { key: 'bob', name: 'Bob Lee', upn: `bob.lee@${DOMAIN}` },
  { key: 'carol', name: 'Carol Diaz', upn: `carol.diaz@${DOMAIN}` },
  { key: 'dave', name: 'Dave Park', upn: `dave.park@${DOMAIN}` },
  { key: 'erin', name: 'Erin Fox', upn: `erin.fox@${DOMAIN}` },
  { key: 'frank', name: 'Frank Hall', upn: `frank.hall@${DOMAIN}` },
  { key: 'grace', name: 'Grace Ito', upn: `grace.ito@${DOMAIN}` },
  { key: 'heidi', name: 'Heidi Ng (Partner)', upn: `heidi_partner.example#EXT#@${DOMAIN}`, guest: true },
  { key: 'ivan', name: 'Ivan Roy', upn: `ivan.roy@${DOMAIN}`, enabled: false },
  { key: 'judy', name: 'Judy Wu', upn: `judy.wu@${DOMAIN}`, mfa: false },
  { key: 'ken', name: 'Ken Obi', upn: `ken.obi@${DOMAIN}` },
  { key: 'liam', name: 'Liam Sol', upn: `liam.sol@${DOMAIN}` },
  { key: 'mia', name: 'Mia Chen', upn: `mia.chen@${DOMAIN}` },
  { key: 'noah', name: 'Noah Berg', upn: `noah.berg@${DOMAIN}` },
  { key: 'olivia', name: 'Olivia Hart', upn: `olivia.hart@${DOMAIN}` },
  { key: 'peter', name: 'Peter Vos', upn: `peter.vos@${DOMAIN}` },
  { key: 'quinn', name: 'Quinn Adler', upn: `quinn.adler@${DOMAIN}` },
];
const user = (key: string) => people.find((p) => p.key === key)!;
const uid = (key: string) => guid(`user:${key}`);

// ------------------------------------------------------------------ accounts and permission sets

const ACCOUNTS: { id: string; name: string; ouPath: string; tags: Record<string, string> }[] = [
  { id: '111111111111', name: 'northwind-management', ouPath: 'Root', tags: { environment: 'prod', owner: 'platform' } },
  { id: '222222222222', name: 'payments-prod', ouPath: 'Root/Workloads/Prod', tags: { environment: 'prod', owner: 'payments' } },
  { id: '333333333333', name: 'data-prod', ouPath: 'Root/Workloads/Prod', tags: { environment: 'prod', owner: 'data' } },
  { id: '444444444444', name: 'payments-dev', ouPath: 'Root/Workloads/NonProd', tags: { environment: 'dev', owner: 'payments' } },
  { id: '555555555555', name: 'sandbox-shared', ouPath: 'Root/Sandbox', tags: { environment: 'sandbox' } },
  { id: '666666666666', name: 'security-tooling', ouPath: 'Root/Security', tags: { environment: 'prod', owner: 'security' } },
];
const acct = (name: string) => ACCOUNTS.find((a) => a.name === name)!.id;

const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f';
const psArn = (id: string) => `arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-${id}`;
const managed = (name: string, path = '') => ({ name, arn: `arn:aws:iam::aws:policy/${path}${name}` });

const PERMISSION_SETS = [
  { key: 'admin', id: '0a1b2c3d4e5f6a7b', name: 'AdministratorAccess', session: 'PT1H', managed: [managed('AdministratorAccess')], desc: 'Full administrator' },
  { key: 'ec2', id: '1b2c3d4e5f6a7b8c', name: 'EC2AdminAccess', session: 'PT1H', managed: [managed('AmazonEC2FullAccess')], desc: 'Amazon EC2 administrator permissions' },
  { key: 'ro', id: '2c3d4e5f6a7b8c9d', name: 'ReadOnlyAccess', session: 'PT8H', managed: [managed('ReadOnlyAccess')], desc: 'Read-only' },
  { key: 'power', id: '3d4e5f6a7b8c9d0e', name: 'PowerUser', session: 'PT12H', managed: [managed('PowerUserAccess')], desc: 'Power user for developers' },
  { key: 'data', id: '4e5f6a7b8c9d0e1f', name: 'DataEngineer', session: 'PT10H', managed: [managed('AmazonAthenaFullAccess')], desc: 'Athena, Glue and S3 data lake' },
  { key: 'platform', id: '5f6a7b8c9d0e1f2a', name: 'PlatformBreakFix', session: 'PT1H', managed: [], desc: 'Break-fix with an inline policy' },
];
const ps = (key: string) => psArn(PERMISSION_SETS.find((p) => p.key === key)!.id);

// ------------------------------------------------------------------ groups

interface GroupSpec {
  key: string;
  name: string;
  description: string;
  pim?: { member: PolicySpec; owner: PolicySpec };
  members?: string[];
  owners?: string[];
  dynamicRule?: string;
  assignments: [account: string, permissionSet: string][];
}
interface PolicySpec {
  activation: string;
  mfa: boolean;
  justification: boolean;
  ticket: boolean;
  approvers: number;
  authContext?: string;
  eligibilityMax: string | null;
  activeMax: string | null;
}
const strict: PolicySpec = { activation: 'PT2H', mfa: true, justification: true, ticket: true, approvers: 2, eligibilityMax: 'P180D', activeMax: 'P15D' };
const ownerStrict: PolicySpec = { ...strict, activation: 'PT1H' };

const GROUPS: GroupSpec[] = [
  {
    key: 'ec2',
    name: 'AWS - Amazon EC2 Admin',
    description: 'Amazon EC2 administrator permissions',
    pim: { member: { activation: 'PT1H', mfa: true, justification: true, ticket: false, approvers: 0, eligibilityMax: 'P365D', activeMax: 'P15D' }, owner: ownerStrict },
    owners: [],
    assignments: [['payments-prod', 'ec2']],
  },
  {
    key: 'prod-admins',
    name: 'AWS - Prod Admins',
    description: 'Administrator access to production accounts',
    pim: { member: strict, owner: ownerStrict },
    members: ['bob', 'carol', 'dave'], // bob: activated now; carol: active assignment; dave: added outside PIM
    owners: ['erin'],
    assignments: [['payments-prod', 'admin'], ['data-prod', 'admin']],
  },
  {
    key: 'readonly',
    name: 'AWS - ReadOnly All',
    description: 'Read-only access to every account',
    members: ['grace', 'liam', 'mia', 'olivia', 'peter'],
    owners: [],
    assignments: [['payments-prod', 'ro'], ['data-prod', 'ro'], ['payments-dev', 'ro'], ['northwind-management', 'ro']],
  },
  {
    key: 'data',
    name: 'AWS - Data Engineers',
    description: 'Data lake engineering in production',
    pim: {
      member: { activation: 'PT8H', mfa: false, justification: false, ticket: false, approvers: 0, eligibilityMax: null, activeMax: null },
      owner: ownerStrict,
    },
    members: ['noah'], // added by hand, outside PIM
    owners: [],
    assignments: [['data-prod', 'data']],
  },
  {
    key: 'dev-power',
    name: 'AWS - Dev PowerUsers',
    description: 'Power users in development',
    pim: { member: { ...strict, approvers: 0, ticket: false, activation: 'PT4H' }, owner: ownerStrict },
    owners: [],
    assignments: [['payments-dev', 'power']],
  },
  {
    key: 'sandbox',
    name: 'AWS - Sandbox Everyone',
    description: 'Every engineer, by department',
    dynamicRule: '(user.department -eq "Engineering")',
    members: ['alice', 'judy', 'mia', 'olivia'],
    owners: [],
    assignments: [['sandbox-shared', 'power']],
  },
  {
    key: 'auditors',
    name: 'AWS - Security Auditors',
    description: 'Security team read-only',
    members: ['grace', 'ivan'], // ivan has left: his Entra account is disabled
    owners: ['grace'],
    assignments: [['security-tooling', 'ro']],
  },
  {
    key: 'netops',
    name: 'AWS - Network Ops',
    description: 'Transit gateway and VPC operations',
    pim: { member: strict, owner: ownerStrict },
    owners: [],
    assignments: [['payments-prod', 'ro']],
  },
  {
    key: 'breakfix',
    name: 'AWS - Platform Break-Fix',
    description: 'Emergency platform fixes in production',
    pim: {
      member: { activation: 'PT1H', mfa: false, authContext: 'c1', justification: true, ticket: true, approvers: 0, eligibilityMax: 'P90D', activeMax: 'P1D' },
      owner: ownerStrict,
    },
    owners: [],
    // Also in the management account: its role there can change Identity Center (awsControlPlane).
    assignments: [['data-prod', 'platform'], ['northwind-management', 'platform']],
  },
];
const gid = (key: string) => guid(`group:${key}`);
/** People in no assigned group (PIM-eligible or owners only): assigned to the app directly. */
const ELIGIBLE_ONLY = people.map((p) => p.key).filter((k) => k !== 'ken' && !GROUPS.some((g) => g.members?.includes(k)));
/** A PIM group whose policy could not be read (the collector got a 404 for it and said so). */
const POLICY_NOT_READ = 'netops';

// ------------------------------------------------------------------ PIM

interface Eligibility {
  group: string;
  who: string;
  accessId?: 'member' | 'owner';
  start: string;
  end: string | null;
}
const ELIGIBILITIES: Eligibility[] = [
  { group: 'ec2', who: 'rich', start: '2026-03-02T09:00:00Z', end: '2027-03-02T09:00:00Z' },
  { group: 'prod-admins', who: 'alice', start: '2026-04-01T08:00:00Z', end: '2026-12-31T00:00:00Z' },
  { group: 'prod-admins', who: 'bob', start: '2026-04-01T08:00:00Z', end: '2026-12-31T00:00:00Z' },
  { group: 'prod-admins', who: 'frank', accessId: 'owner', start: '2026-05-01T08:00:00Z', end: '2026-11-01T08:00:00Z' },
  { group: 'data', who: 'heidi', start: '2026-06-15T08:00:00Z', end: null },
  { group: 'dev-power', who: 'judy', start: '2026-02-01T08:00:00Z', end: '2027-02-01T08:00:00Z' },
  { group: 'dev-power', who: 'alice', start: '2026-02-01T08:00:00Z', end: '2027-02-01T08:00:00Z' },
  { group: 'netops', who: 'quinn', start: '2026-08-01T08:00:00Z', end: '2027-02-01T08:00:00Z' },
  { group: 'dev-power', who: 'peter', start: '2026-02-01T08:00:00Z', end: '2027-02-01T08:00:00Z' },
  { group: 'dev-power', who: 'quinn', start: '2026-08-01T08:00:00Z', end: '2027-02-01T08:00:00Z' },
  { group: 'breakfix', who: 'alice', start: '2026-07-01T08:00:00Z', end: '2026-12-01T08:00:00Z' },
  { group: 'ec2', who: 'liam', start: '2025-09-01T08:00:00Z', end: '2026-09-01T08:00:00Z' }, // ended: no path
];

interface Assignment {
  group: string;
  who: string;
  type: 'assigned' | 'activated';
  start: string;
  end: string | null;
}
const ASSIGNMENTS: Assignment[] = [
  { group: 'prod-admins', who: 'carol', type: 'assigned', start: '2026-09-01T08:00:00Z', end: '2026-12-31T08:00:00Z' },
  { group: 'prod-admins', who: 'bob', type: 'activated', start: '2026-10-01T05:00:00Z', end: '2026-10-01T07:00:00Z' },
];

const scheduleInfo = (start: string, end: string | null) => ({
  startDateTime: start,
  expiration: { type: end ? 'afterDateTime' : 'noExpiration', endDateTime: end, duration: null },
});

function pimSchedules(): NonNullable<Snapshot['entra']['pimSchedules']['data']> {
  const eligibilitySchedules = ELIGIBILITIES.map((e) => ({
    id: `${gid(e.group)}_${e.accessId ?? 'member'}_${guid(`elig:${e.group}:${e.who}`)}`,
    groupId: gid(e.group),
    principalId: uid(e.who),
    accessId: e.accessId ?? ('member' as const),
    memberType: 'Direct',
    status: 'Provisioned',
    createdDateTime: e.start,
    scheduleInfo: scheduleInfo(e.start, e.end),
  }));
  const assignmentSchedules = ASSIGNMENTS.map((a) => ({
    id: `${gid(a.group)}_member_${guid(`asg:${a.group}:${a.who}`)}`,
    groupId: gid(a.group),
    principalId: uid(a.who),
    accessId: 'member' as const,
    memberType: 'Direct',
    status: 'Provisioned',
    createdDateTime: a.start,
    scheduleInfo: scheduleInfo(a.start, a.end),
  }));
  const eligibilityInstances = eligibilitySchedules
    .filter((s) => s.scheduleInfo.expiration.endDateTime === null || s.scheduleInfo.expiration.endDateTime > DEMO_COLLECTED_AT)
    .map((s) => ({
      id: guid(`ei:${s.id}`),
      groupId: s.groupId,
      principalId: s.principalId,
      accessId: s.accessId,
      memberType: s.memberType,
      startDateTime: s.scheduleInfo.startDateTime,
      endDateTime: s.scheduleInfo.expiration.endDateTime,
      assignmentType: null,
      scheduleId: s.id,
    }));
  const assignmentInstances = ASSIGNMENTS.map((a, i) => ({
    id: guid(`ai:${a.group}:${a.who}`),
    groupId: gid(a.group),
    principalId: uid(a.who),
    accessId: 'member' as const,
    memberType: 'Direct',
    startDateTime: a.start,
    endDateTime: a.end,
    assignmentType: a.type,
    scheduleId: assignmentSchedules[i]!.id,
  }));
  return { eligibilitySchedules, assignmentSchedules, eligibilityInstances, assignmentInstances };
}

/** The demo's policy settings, in the shape Graph returns (pim-policy-rules.ts). */
function policyRules(p: PolicySpec) {
  return pimPolicyRules({
    activation: p.activation,
    onActivation: [p.mfa && 'MultiFactorAuthentication', p.justification && 'Justification', p.ticket && 'Ticketing'].filter((r): r is string => Boolean(r)),
    approvers: Array.from({ length: p.approvers }, (_, i) => ({ id: guid(`approver:${i}`), description: `Platform approver ${i + 1}` })),
    ...(p.authContext !== undefined ? { authContext: p.authContext } : {}),
    eligibilityMax: p.eligibilityMax,
    activeMax: p.activeMax,
    onActiveAssignment: ['Justification', 'MultiFactorAuthentication'],
  });
}

function pimPolicies(): NonNullable<Snapshot['entra']['pimPolicies']['data']> {
  return GROUPS.filter((g) => g.pim && g.key !== POLICY_NOT_READ).flatMap((g) =>
    (['member', 'owner'] as const).map((role) => {
      const policyId = `Group_${gid(g.key)}_${guid(`policy:${g.key}:${role}`)}`;
      return { groupId: gid(g.key), roleDefinitionId: role, policyId, rules: policyRules(g.pim![role]) };
    }),
  );
}

// ------------------------------------------------------------------ Entra

const ref = (key: string) => ({ id: uid(key), type: 'user' as const, displayName: user(key).name });

function entraGroups(): NonNullable<Snapshot['entra']['groups']['data']> {
  return GROUPS.map((g) => ({
    id: gid(g.key),
    displayName: g.name,
    description: g.description,
    securityEnabled: true,
    isAssignableToRole: false,
    onPremisesSyncEnabled: null,
    membershipRule: g.dynamicRule ?? null,
    members: (g.members ?? []).map(ref),
    owners: (g.owners ?? []).map(ref),
  }));
}

const APP_ID = 'c1b2a3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

function conditionalAccess(): NonNullable<Snapshot['entra']['conditionalAccess']['data']> {
  const users = (include: string[], excludeUsers: string[] = []) => ({
    includeUsers: include,
    excludeUsers,
    includeGroups: [],
    excludeGroups: [],
    includeRoles: [],
    excludeRoles: [],
    includeGuestsOrExternalUsers: null,
    excludeGuestsOrExternalUsers: null,
  });
  const anywhere = { clientAppTypes: ['all'], locations: null, platforms: null, signInRiskLevels: [], userRiskLevels: [], deviceFilter: null };
  return [
    {
      id: guid('ca:mfa-aws'),
      displayName: 'CA010 - Require MFA for AWS IAM Identity Center',
      state: 'enabledForReportingButNotEnforced',
      conditions: { applications: { includeApplications: [APP_ID], excludeApplications: [] }, users: users(['All'], [guid('user:breakglass-cloud')]), ...anywhere },
      grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null },
    },
    {
      // Enforced, but only off the corporate network: from a trusted location a password is enough.
      id: guid('ca:mfa-aws-offsite'),
      displayName: 'CA011 - Require MFA for AWS outside the office',
      state: 'enabled',
      conditions: {
        applications: { includeApplications: [APP_ID], excludeApplications: [] },
        users: users(['All'], [guid('user:breakglass-cloud')]),
        ...anywhere,
        locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
      },
      grantControls: {
        operator: 'OR',
        builtInControls: [],
        authenticationStrength: {
          id: '00000000-0000-0000-0000-000000000002',
          displayName: 'Multifactor authentication',
          requirementsSatisfied: 'mfa',
          allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush', 'password,microsoftAuthenticatorPush', 'password,softwareOath', 'password,sms'],
        },
      },
    },
    {
      id: guid('ca:legacy'),
      displayName: 'CA001 - Block legacy authentication',
      state: 'enabled',
      conditions: { applications: { includeApplications: ['All'], excludeApplications: [] }, users: users(['All']), ...anywhere },
      grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
    },
    {
      id: guid('ca:device'),
      displayName: 'CA020 - Compliant device or MFA for all apps',
      state: 'enabled',
      conditions: { applications: { includeApplications: ['All'], excludeApplications: [] }, users: users(['All']), ...anywhere },
      grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'mfa'], authenticationStrength: null },
    },
  ];
}

// ------------------------------------------------------------------ Identity Center

function identityStore(): NonNullable<Snapshot['aws']['identityStore']['data']> {
  const scimUsers = people.map((p) => ({
    userId: icId(p.key),
    userName: p.upn,
    displayName: p.name,
    externalIds: [{ issuer: 'scim', id: uid(p.key) }],
    status: p.enabled === false ? 'DISABLED' : 'ENABLED',
  }));
  const legacy = { userId: icId('contractor'), userName: 'contractor-ops', displayName: 'Contractor (created in Identity Center)', externalIds: [], status: 'ENABLED' };
  // Drift SCIM did not clean up: Sam left and was deleted from Entra, yet his Identity Center user is
  // still enabled and in the read-only group; Grace's prod-admin activation ended long ago, yet
  // Identity Center still has her in that group.
  const leaver = { userId: icId('sam'), userName: `sam.ortiz@${DOMAIN}`, displayName: 'Sam Ortiz', externalIds: [{ issuer: 'scim', id: uid('sam') }], status: 'ENABLED' };
  const groups = [
    ...GROUPS.map((g) => ({ groupId: icId(`group:${g.key}`), displayName: g.name, description: g.description, externalIds: [{ issuer: 'scim', id: gid(g.key) }] })),
    { groupId: icId('group:legacy'), displayName: 'legacy-admins', description: 'Created by hand before SCIM', externalIds: [] },
  ];
  const memberships = [
    // What SCIM has provisioned for Entra groups (members in Entra now, activated ones included).
    ...GROUPS.flatMap((g) => (g.members ?? []).map((m) => ({ membershipId: guid(`m:${g.key}:${m}`), groupId: icId(`group:${g.key}`), userId: icId(m) }))),
    { membershipId: guid('m:legacy:contractor'), groupId: icId('group:legacy'), userId: icId('contractor') },
    { membershipId: guid('m:readonly:sam'), groupId: icId('group:readonly'), userId: icId('sam') },
    { membershipId: guid('m:prod-admins:grace'), groupId: icId('group:prod-admins'), userId: icId('grace') },
  ];
  return { users: [...scimUsers, legacy, leaver], groups, memberships };
}

function accountAssignments(): NonNullable<Snapshot['aws']['accountAssignments']['data']> {
  const fromGroups = GROUPS.flatMap((g) =>
    g.assignments.map(([account, set]) => ({ accountId: acct(account), permissionSetArn: ps(set), principalType: 'GROUP' as const, principalId: icId(`group:${g.key}`) })),
  );
  return [
    ...fromGroups,
    { accountId: acct('data-prod'), permissionSetArn: ps('ro'), principalType: 'USER', principalId: icId('ken') },
    { accountId: acct('security-tooling'), permissionSetArn: ps('admin'), principalType: 'USER', principalId: icId('ken') },
    { accountId: acct('payments-dev'), permissionSetArn: ps('admin'), principalType: 'GROUP', principalId: icId('group:legacy') },
  ];
}

function permissionSets(): NonNullable<Snapshot['aws']['permissionSets']['data']> {
  return PERMISSION_SETS.map((p) => ({
    arn: psArn(p.id),
    name: p.name,
    description: p.desc,
    sessionDuration: p.session,
    relayState: null,
    managedPolicies: p.managed,
    customerManagedPolicies: p.key === 'data' ? [{ name: 'DataLakeBucketAccess', path: '/' }] : [],
    inlinePolicy:
      p.key === 'platform'
        ? JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'BreakFix', Effect: 'Allow', Action: '*', Resource: '*' }] })
        : null,
    permissionsBoundary: null,
  }));
}

// ------------------------------------------------------------------ IAM and CloudTrail

const iamUser = (account: string, userName: string, o: { password?: boolean; mfa?: boolean; keys?: number; lastUsed?: string | null }) => ({
  userName,
  arn: `arn:aws:iam::${account}:user/${userName}`,
  createdAt: '2024-05-02T10:00:00Z',
  passwordEnabled: o.password ?? true,
  passwordLastUsed: o.lastUsed ?? null,
  mfaActive: o.mfa ?? true,
  mfaDevices: o.mfa === false ? [] : [{ serialNumber: `arn:aws:iam::${account}:mfa/${userName}-fido`, enabledAt: '2024-05-02T10:05:00Z' }],
  accessKeys: Array.from({ length: o.keys ?? 0 }, () => ({ active: true, lastRotated: '2025-01-10T00:00:00Z', lastUsed: '2026-09-30T22:10:00Z' })),
});

function iamUsers(): NonNullable<Snapshot['aws']['iamUsers']['data']> {
  const users: Record<string, ReturnType<typeof iamUser>[]> = {
    '111111111111': [
      iamUser('111111111111', 'breakglass-1', { lastUsed: '2026-09-01T10:02:00Z' }),
      iamUser('111111111111', 'breakglass-2', { mfa: false, keys: 1, lastUsed: '2026-09-20T02:14:00Z' }),
      // Left over from before Identity Center: AdministratorAccess in the management account, a console password and no MFA.
      iamUser('111111111111', 'legacy-ops', { mfa: false, lastUsed: '2026-09-28T17:40:00Z' }),
    ],
    '222222222222': [iamUser('222222222222', 'ci-deploy', { password: false, mfa: false, keys: 1 })],
    '333333333333': [iamUser('333333333333', 'legacy-admin', { mfa: false, lastUsed: '2026-08-14T09:00:00Z' })],
  };
  const root = (id: string) => ({
    mfaActive: id !== '222222222222',
    accessKeysActive: id === '333333333333',
    passwordLastUsed: id === '222222222222' ? '2026-09-15T03:12:00Z' : null,
  });
  return ACCOUNTS.map((a) => ({
    accountId: a.id,
    provenance: collected(a.id === '111111111111' ? 'iam:GetCredentialReport (caller credentials)' : 'iam:GetCredentialReport (role JitAuditReadOnly)'),
    reportGeneratedAt: '2026-10-01T05:58:40Z',
    root: root(a.id),
    users: users[a.id] ?? [],
  }));
}

type Event = NonNullable<Snapshot['aws']['cloudTrail']['data']>['events'][number];
const event = (e: Partial<Event> & Pick<Event, 'eventId' | 'eventTime' | 'eventName' | 'eventSource' | 'accountId' | 'userIdentity'>): Event => ({
  region: 'us-east-1',
  mfaUsed: null,
  outcome: null,
  sourceIpAddress: '198.51.100.20',
  federation: null,
  ...e,
});
const iamIdentity = (account: string, userName: string) => ({ type: 'IAMUser', userName, arn: `arn:aws:iam::${account}:user/${userName}`, onBehalfOfUserId: null });
const icIdentity = (key: string) => ({ type: 'IdentityCenterUser', userName: null, arn: null, onBehalfOfUserId: icId(key) });

function cloudTrail(): NonNullable<Snapshot['aws']['cloudTrail']['data']> {
  const events: Event[] = [
    event({ eventId: guid('ev:bg1-drill'), eventTime: '2026-09-01T10:02:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', accountId: '111111111111', userIdentity: iamIdentity('111111111111', 'breakglass-1'), mfaUsed: true, outcome: 'Success' }),
    // A failed sign-in through the global endpoint, recorded in eu-north-1: an attempt, not a use.
    event({ eventId: guid('ev:bg2-failed'), eventTime: '2026-09-19T23:41:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', accountId: '111111111111', region: 'eu-north-1', userIdentity: iamIdentity('111111111111', 'breakglass-2'), mfaUsed: false, outcome: 'Failure', errorCode: null, errorMessage: 'Failed authentication', sourceIpAddress: '198.51.100.66' }),
    event({ eventId: guid('ev:bg2-night'), eventTime: '2026-09-20T02:14:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', accountId: '111111111111', userIdentity: iamIdentity('111111111111', 'breakglass-2'), mfaUsed: false, outcome: 'Success', sourceIpAddress: '203.0.113.77' }),
    event({ eventId: guid('ev:root-payments'), eventTime: '2026-09-15T03:12:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', accountId: '222222222222', userIdentity: { type: 'Root', userName: null, arn: 'arn:aws:iam::222222222222:root', onBehalfOfUserId: null }, mfaUsed: false, outcome: 'Success', sourceIpAddress: '203.0.113.9' }),
    // Identity Center federation, in the Identity Center region.
    event({ eventId: guid('ev:bob-live'), eventTime: '2026-10-01T05:10:00Z', eventName: 'GetRoleCredentials', eventSource: 'sso.amazonaws.com', accountId: '111111111111', region: 'eu-west-1', userIdentity: icIdentity('bob'), federation: { accountId: '222222222222', roleName: 'AdministratorAccess' } }),
    event({ eventId: guid('ev:bob-late'), eventTime: '2026-09-28T14:30:00Z', eventName: 'GetRoleCredentials', eventSource: 'sso.amazonaws.com', accountId: '111111111111', region: 'eu-west-1', userIdentity: icIdentity('bob'), federation: { accountId: '333333333333', roleName: 'AdministratorAccess' } }),
    event({ eventId: guid('ev:rich-ok'), eventTime: '2026-09-30T13:20:00Z', eventName: 'GetRoleCredentials', eventSource: 'sso.amazonaws.com', accountId: '111111111111', region: 'eu-west-1', userIdentity: icIdentity('rich'), federation: { accountId: '222222222222', roleName: 'EC2AdminAccess' } }),
    event({ eventId: guid('ev:judy-none'), eventTime: '2026-09-25T16:45:00Z', eventName: 'GetRoleCredentials', eventSource: 'sso.amazonaws.com', accountId: '111111111111', region: 'eu-west-1', userIdentity: icIdentity('judy'), federation: { accountId: '444444444444', roleName: 'PowerUser' } }),
    // A fetch in the pre-2025 shape (type Unknown, principalId, userName) by a user deleted from the identity store since.
    event({ eventId: guid('ev:gone-user'), eventTime: '2026-09-12T08:05:00Z', eventName: 'GetRoleCredentials', eventSource: 'sso.amazonaws.com', accountId: '111111111111', region: 'eu-west-1', userIdentity: { type: 'Unknown', userName: `oscar.ng@${DOMAIN}`, arn: null, onBehalfOfUserId: null, principalId: icId('oscar') }, federation: { accountId: '222222222222', roleName: 'AdministratorAccess' } }),
  ];
  const lookup = (accountId: string, region: string, attribute: string, value: string) => ({
    accountId,
    region,
    attribute,
    value,
    startTime: '2026-07-03T06:00:00Z',
    endTime: DEMO_COLLECTED_AT,
    provenance: collected('cloudtrail:LookupEvents'),
  });
  const lookups = [
    ...ACCOUNTS.map((a) => lookup(a.id, 'us-east-1', 'Username', 'root')),
    // Breakglass users also where global-endpoint console sign-ins are recorded.
    ...['ap-southeast-2', 'eu-north-1', 'us-east-1', 'us-east-2'].flatMap((r) => ['breakglass-1', 'breakglass-2'].map((u) => lookup('111111111111', r, 'Username', u))),
    lookup('111111111111', 'eu-west-1', 'EventSource', 'sso.amazonaws.com'),
  ];
  return { lookups, events: events.sort((a, b) => (a.eventTime < b.eventTime ? 1 : -1)) };
}

function activations(): NonNullable<Snapshot['entra']['activations']['data']> {
  const activation = (group: string, who: string, start: string, duration: string, justification: string, ticket: string | null) => ({
    id: guid(`act:${group}:${who}:${start}`),
    groupId: gid(group),
    principalId: uid(who),
    accessId: 'member' as const,
    action: 'selfActivate',
    status: 'Provisioned',
    createdDateTime: start,
    completedDateTime: start,
    justification,
    ticketInfo: ticket ? { ticketNumber: ticket, ticketSystem: 'ServiceNow' } : { ticketNumber: null, ticketSystem: null },
    scheduleInfo: { startDateTime: start, expiration: { type: 'afterDuration', endDateTime: null, duration } },
    approvalId: null,
  });
  return [
    activation('prod-admins', 'bob', '2026-09-28T09:00:00Z', 'PT2H', 'Rotate payment gateway certificates', 'CHG-2291'),
    activation('ec2', 'rich', '2026-09-30T13:00:00Z', 'PT1H', 'Resize fleet for quarter-end batch', null),
    activation('prod-admins', 'bob', '2026-10-01T05:00:00Z', 'PT2H', 'P1 incident INC-5521: card authorisations failing', 'INC-5521'),
  ];
}

// ------------------------------------------------------------------ ways around the JIT

// Who can give themselves AWS access without the groups' PIM: Tom Grant, a standing Groups
// Administrator (tenant-wide); Uma Patel, eligible for Privileged Role Administrator under a weak
// policy (no approval, no MFA); Victor Lane, owner of the AWS app's service principal with no role;
// the "hr-sync" workload identity with GroupMember.ReadWrite.All, owned by Wendy Cho. None of them is
// on an access path, so none is among the users read (entra.users holds the users of the paths).
// Xavier Moss, a standing Helpdesk Administrator, can reset the password of everyone on the paths who
// holds no admin role, and sign in as them (a credential-reset way).
const holder = (key: string, name: string) => ({ id: guid(`holder:${key}`), type: 'user', displayName: name, userPrincipalName: `${key}@${DOMAIN}`, appId: null });
const ROLE_IDS = { groupsAdmin: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', privilegedRoleAdmin: 'e8611ab8-c189-46e8-94e1-60213ab1f814', helpdeskAdmin: '729827e3-9c14-49f7-bb1b-9608f156bbb8' };

function directoryRoles(): NonNullable<NonNullable<Snapshot['entra']['directoryRoles']>['data']> {
  const tom = holder('tom.grant', 'Tom Grant');
  const uma = holder('uma.patel', 'Uma Patel');
  const xavier = holder('xavier.moss', 'Xavier Moss');
  return {
    definitions: [
      {
        id: ROLE_IDS.groupsAdmin,
        displayName: 'Groups Administrator',
        isBuiltIn: true,
        isEnabled: true,
        templateId: ROLE_IDS.groupsAdmin,
        rolePermissions: [
          { allowedResourceActions: ['microsoft.directory/groups/create', 'microsoft.directory/groups/members/update', 'microsoft.directory/groups/owners/update'], condition: null },
        ],
      },
      {
        id: ROLE_IDS.privilegedRoleAdmin,
        displayName: 'Privileged Role Administrator',
        isBuiltIn: true,
        isEnabled: true,
        templateId: ROLE_IDS.privilegedRoleAdmin,
        rolePermissions: [
          {
            allowedResourceActions: [
              'microsoft.directory/groupsAssignableToRoles/allProperties/update',
              'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks',
              'microsoft.directory/roleAssignments/allProperties/allTasks',
              'microsoft.directory/roleDefinitions/allProperties/allTasks',
            ],
            condition: null,
          },
        ],
      },
      {
        id: ROLE_IDS.helpdeskAdmin,
        displayName: 'Helpdesk Administrator',
        isBuiltIn: true,
        isEnabled: true,
        templateId: ROLE_IDS.helpdeskAdmin,
        rolePermissions: [
          {
            allowedResourceActions: [
              'microsoft.directory/users/invalidateAllRefreshTokens',
              'microsoft.directory/users/password/update',
              'microsoft.office365.supportTickets/allEntities/allTasks',
            ],
            condition: null,
          },
        ],
      },
    ],
    assignments: [
      { id: guid('ra:tom'), roleDefinitionId: ROLE_IDS.groupsAdmin, principalId: tom.id, directoryScopeId: '/', principal: tom, assignmentType: 'assigned', endDateTime: null },
      // Uma activated her eligible Privileged Role Administrator this morning: JIT in use, not standing.
      { id: guid('ra:uma-activation'), roleDefinitionId: ROLE_IDS.privilegedRoleAdmin, principalId: uma.id, directoryScopeId: '/', principal: uma, assignmentType: 'activated', endDateTime: '2026-10-01T13:30:00Z' },
      { id: guid('ra:xavier'), roleDefinitionId: ROLE_IDS.helpdeskAdmin, principalId: xavier.id, directoryScopeId: '/', principal: xavier },
    ],
    eligibilities: [
      {
        id: guid('re:uma'),
        roleDefinitionId: ROLE_IDS.privilegedRoleAdmin,
        principalId: uma.id,
        directoryScopeId: '/',
        principal: uma,
        memberType: 'Direct',
        status: 'Provisioned',
        scheduleInfo: { startDateTime: '2026-03-01T00:00:00Z', expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
      },
    ],
    policies: [
      {
        roleDefinitionId: ROLE_IDS.privilegedRoleAdmin,
        policyId: `DirectoryRole_${TENANT}_${guid('policy:pra')}`,
        rules: pimPolicyRules({ activation: 'PT8H', onActivation: ['Justification'], approvers: [], eligibilityMax: null, activeMax: null, onActiveAssignment: ['Justification'] }),
      },
    ],
  };
}

function appOwners(): NonNullable<NonNullable<Snapshot['entra']['appOwners']>['data']> {
  return {
    servicePrincipalId: guid('sp:aws'),
    appId: APP_ID,
    servicePrincipalOwners: [holder('victor.lane', 'Victor Lane')],
    applicationObject: 'notInTenant',
    applicationOwners: [],
  };
}

function workloadIdentities(): NonNullable<NonNullable<Snapshot['entra']['workloadIdentities']>['data']> {
  return {
    graphServicePrincipalId: guid('sp:microsoft-graph'),
    servicePrincipals: [
      {
        id: guid('sp:hr-sync'),
        appId: guid('app:hr-sync'),
        displayName: 'hr-sync',
        accountEnabled: true,
        servicePrincipalType: 'Application',
        permissions: ['GroupMember.ReadWrite.All'],
        owners: [holder('wendy.cho', 'Wendy Cho')],
      },
    ],
  };
}

// Entitlement management: one package anyone in the tenant takes for themselves, for good (the way
// around the JIT), and one that is governed (a named requestor, an approver, 8 hours, reviews); both in
// one catalog, whose access package assignment manager can assign anyone to either.
const AWS_CATALOG = { id: guid('ap-catalog:aws'), displayName: 'AWS access' };
function accessPackages(): NonNullable<NonNullable<Snapshot['entra']['accessPackages']>['data']> {
  const groupRole = (pkg: string, group: string, access: 'member' | 'owner') => {
    const name = GROUPS.find((g) => g.key === group)!.name;
    const role = access === 'member' ? 'Member' : 'Owner';
    return {
      id: guid(`ap-role:${pkg}:${group}`),
      role: { displayName: role, originSystem: 'AadGroup', originId: `${role}_${gid(group)}` },
      scope: { displayName: name, originSystem: 'AadGroup', originId: gid(group), isRootScope: true },
      groupId: gid(group),
      access,
    };
  };
  const requestor = { enableTargetsToSelfAddAccess: true, enableOnBehalfRequestorsToAddAccess: false, allowCustomAssignmentSchedule: false, onBehalfRequestors: [] };
  const subject = (type: string, o: { userId?: string; groupId?: string } = {}) => ({ type, userId: o.userId ?? null, groupId: o.groupId ?? null, connectedOrganizationId: null, membershipRule: null, managerLevel: null });
  return {
    packages: [
      {
        id: guid('ap:ec2-self-service'),
        displayName: 'EC2 self-service',
        isHidden: false,
        catalog: AWS_CATALOG,
        resourceRoleScopes: [groupRole('ec2-self-service', 'ec2', 'member')],
        policies: [
          {
            id: guid('ap-policy:ec2-everyone'),
            displayName: 'Everyone in Northwind',
            allowedTargetScope: 'allMemberUsers',
            specificAllowedTargets: [],
            requestorSettings: requestor,
            requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: false, stages: [] },
            automaticRequestSettings: null,
            expiration: { type: 'noExpiration', endDateTime: null, duration: null },
            reviewSettings: null,
          },
        ],
        assignments: [],
      },
      {
        id: guid('ap:prod-admins-on-request'),
        displayName: 'Prod admins (on request)',
        isHidden: false,
        catalog: AWS_CATALOG,
        resourceRoleScopes: [groupRole('prod-admins-on-request', 'prod-admins', 'member')],
        policies: [
          {
            id: guid('ap-policy:prod-admins-named'),
            displayName: 'Named on-call engineers',
            allowedTargetScope: 'specificDirectoryUsers',
            specificAllowedTargets: [subject('singleUser', { userId: uid('frank') })],
            requestorSettings: requestor,
            requestApprovalSettings: {
              isApprovalRequiredForAdd: true,
              isApprovalRequiredForUpdate: true,
              isRequestorJustificationRequired: true,
              stages: [
                {
                  durationBeforeAutomaticDenial: 'PT4H',
                  isEscalationEnabled: false,
                  primaryApprovers: [subject('singleUser', { userId: uid('erin') })],
                  fallbackPrimaryApprovers: [],
                  escalationApprovers: [],
                  fallbackEscalationApprovers: [],
                },
              ],
            },
            automaticRequestSettings: null,
            expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT8H' },
            reviewSettings: { isEnabled: true, expirationBehavior: 'removeAccess', recurrence: { type: 'absoluteMonthly', interval: 1 }, primaryReviewers: [subject('groupMembers', { groupId: gid('auditors') })] },
          },
        ],
        assignments: [],
      },
    ],
    roleAssignments: [
      {
        id: guid('ap-role-assignment:xavier'),
        roleDefinitionId: 'e2182095-804a-4656-ae11-64734e9b7ae5',
        principalId: guid('holder:xavier.ng'),
        principal: holder('xavier.ng', 'Xavier Ng'),
        appScopeId: `/AccessPackageCatalog/${AWS_CATALOG.id}`,
        directoryScopeId: null,
      },
    ],
  };
}

// ------------------------------------------------------------------ around Identity Center (AWS side)

const MGMT = '111111111111';
const SSO_PATH = '/aws-reserved/sso.amazonaws.com/eu-west-1/';
const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const samlTrust = doc([
  {
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${MGMT}:saml-provider/AWSSSO_5b0e1f2a3c4d4e5f_DO_NOT_DELETE` },
    Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
    Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
  },
]);

function iamRole(name: string, path: string, o: { attached?: string[]; inline?: { name: string; document: string }[]; trust: string }) {
  return {
    type: 'role' as const,
    name,
    id: `AROA${createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase()}`,
    arn: `arn:aws:iam::${MGMT}:role${path}${name}`,
    path,
    attachedPolicyArns: o.attached ?? [],
    inlinePolicies: o.inline ?? [],
    groups: [],
    permissionsBoundaryArn: null,
    trustPolicy: o.trust,
    permissionSetRole: name.startsWith('AWSReservedSSO_'),
  };
}

function controlPlane(): NonNullable<NonNullable<Snapshot['aws']['controlPlane']>['data']> {
  const principals = [
    // ReadOnlyAccess's role in the management account has an inline policy that can assign any permission set.
    iamRole('AWSReservedSSO_ReadOnlyAccess_7c1f2e3d4b5a6978', SSO_PATH, {
      attached: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      inline: [{ name: 'AwsSSOInlinePolicy', document: doc([{ Sid: 'AssignmentsHelpdesk', Effect: 'Allow', Action: ['sso:ListAccountAssignments', 'sso:CreateAccountAssignment'], Resource: '*' }]) }],
      trust: samlTrust,
    }),
    // PlatformBreakFix (inline * on *), reachable after a one-hour PIM activation.
    iamRole('AWSReservedSSO_PlatformBreakFix_2a9b8c7d6e5f4a3b', SSO_PATH, {
      inline: [{ name: 'AwsSSOInlinePolicy', document: doc([{ Sid: 'BreakFix', Effect: 'Allow', Action: '*', Resource: '*' }]) }],
      trust: samlTrust,
    }),
    // CI from GitHub Actions: passes any role to a Lambda function it creates.
    iamRole('github-ci-deploy', '/', {
      inline: [{ name: 'deploy-functions', document: doc([{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:UpdateFunctionCode'], Resource: '*' }]) }],
      trust: doc([
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${MGMT}:oidc-provider/token.actions.githubusercontent.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:northwind/*' } },
        },
      ]),
    }),
    {
      type: 'user' as const,
      name: 'legacy-ops',
      id: 'AIDA5LEGACYOPS00EXAMPLE',
      arn: `arn:aws:iam::${MGMT}:user/legacy-ops`,
      path: '/',
      attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      inlinePolicies: [],
      groups: [],
      permissionsBoundaryArn: null,
      trustPolicy: null,
      permissionSetRole: false,
    },
  ].sort((a, b) => (`${a.type}|${a.arn}` < `${b.type}|${b.arn}` ? -1 : 1));
  return {
    managementAccountId: MGMT,
    delegatedAdministrators: { provenance: collected('organizations:ListDelegatedAdministrators'), accountIds: [] },
    accounts: [{ accountId: MGMT, roles: ['management'], scpExempt: true, provenance: collected('iam:GetAccountAuthorizationDetails (caller credentials)'), principals, groups: [] }],
    managedPolicies: [
      { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', defaultVersionId: 'v1', document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) },
      // Not in the answer: judged from the tool's table of AWS managed policies.
      { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess', defaultVersionId: null, document: null },
    ],
  };
}

function resourcePolicies(): NonNullable<NonNullable<Snapshot['aws']['resourcePolicies']>['data']> {
  const prod = acct('payments-prod');
  const dev = acct('payments-dev');
  const fn = `arn:aws:lambda:eu-west-1:${prod}:function:payments-refund`;
  const api = `arn:aws:execute-api:eu-west-1:${prod}:a1b2c3d4e5`;
  const scope = (service: 'lambda' | 'apigateway', read: number) => ({ accountId: prod, region: 'eu-west-1', service, provenance: collected(service === 'lambda' ? 'lambda:ListFunctions, GetPolicy' : 'apigateway:GetRestApis'), resourcesRead: read });
  return {
    regions: ['eu-west-1'],
    scopes: [scope('apigateway', 1), scope('lambda', 3)],
    policies: [
      {
        accountId: prod,
        region: 'eu-west-1',
        service: 'apigateway',
        resourceArn: api,
        resourceName: 'payments-internal',
        // The dev account's PowerUser role may call the production API.
        statements: [
          {
            statement: JSON.stringify({ Sid: 'DevTesting', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${dev}:root` }, Action: 'execute-api:Invoke', Resource: `${api}/*`, Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${dev}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PowerUser_*` } } }),
            reasons: ['identityCenterRole'],
          },
        ],
      },
      {
        accountId: prod,
        region: 'eu-west-1',
        service: 'lambda',
        resourceArn: fn,
        resourceName: 'payments-refund',
        // Any permission set's role in the account may invoke it, read-only ones included.
        statements: [
          {
            statement: JSON.stringify({ Sid: 'IdentityCenterInvoke', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${prod}:root` }, Action: 'lambda:InvokeFunction', Resource: fn, Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${prod}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*` } } }),
            reasons: ['identityCenterRole'],
          },
        ],
      },
    ],
  };
}

// ------------------------------------------------------------------ the snapshot

export function buildDemoSnapshot(): Snapshot {
  const entraUsers = people.map((p) => ({
    id: uid(p.key),
    userPrincipalName: p.upn,
    displayName: p.name,
    accountEnabled: p.enabled ?? true,
    userType: p.guest ? 'Guest' : 'Member',
    onPremisesSyncEnabled: null,
  }));
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    meta: {
      tool: { name: 'jitaudit', version: 'demo' },
      collection: { startedAt: STARTED, endedAt: DEMO_COLLECTED_AT },
      configDigest: null,
      warnings: [
        {
          section: 'entra.pimPolicies',
          message: `group "AWS - Network Ops" (${gid(POLICY_NOT_READ)}): GET /policies/roleManagementPolicyAssignments answered 404 NotFound; its member and owner policies are not in the snapshot`,
        },
      ],
    },
    entra: {
      tenant: { provenance: collected('GET /organization'), data: { id: TENANT, displayName: 'Northwind Traders', defaultDomain: DOMAIN } },
      enterpriseApp: {
        provenance: collected('GET /servicePrincipals/{id}/appRoleAssignedTo'),
        data: {
          servicePrincipalId: guid('sp:aws'),
          appId: APP_ID,
          displayName: 'AWS IAM Identity Center (successor to AWS Single Sign-On)',
          appRoleAssignments: [
            ...GROUPS.map((g) => ({ principalId: gid(g.key), principalType: 'Group', principalDisplayName: g.name, appRoleId: guid('approle:user') })),
            { principalId: uid('ken'), principalType: 'User', principalDisplayName: user('ken').name, appRoleId: guid('approle:user') },
            // People who reach AWS only through PIM eligibility are assigned to the app themselves, so
            // SCIM keeps their Identity Center user between activations (eligible members are not members).
            ...ELIGIBLE_ONLY.map((k) => ({ principalId: uid(k), principalType: 'User', principalDisplayName: user(k).name, appRoleId: guid('approle:user') })),
          ],
        },
      },
      provisioning: {
        provenance: collected('GET /servicePrincipals/{id}/synchronization/jobs'),
        data: {
          jobs: [
            {
              id: 'aWSSingleSignOn.8f3e1c526a0b4d7e9a412c5b7d9e0f13.5b0e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
              templateId: 'aWSSingleSignOn',
              schedule: { interval: 'PT40M', state: 'Active', expiration: null },
              status: {
                code: 'Active',
                lastExecution: { timeBegan: '2026-10-01T05:20:11Z', timeEnded: '2026-10-01T05:21:02Z', state: 'Succeeded' },
                lastSuccessfulExecution: { timeBegan: '2026-10-01T05:20:11Z', timeEnded: '2026-10-01T05:21:02Z', state: 'Succeeded' },
                quarantine: null,
                countSuccessiveCompleteFailures: 0,
              },
            },
          ],
        },
      },
      groups: { provenance: collected('GET /groups/{id}?$expand=members,owners'), data: entraGroups() },
      users: { provenance: collected('GET /users/{id}'), data: entraUsers },
      mfaRegistration: {
        provenance: collected('GET /reports/authenticationMethods/userRegistrationDetails'),
        data: people.map((p) => ({
          id: uid(p.key),
          userPrincipalName: p.upn,
          isMfaRegistered: p.mfa !== false,
          isMfaCapable: p.mfa !== false,
          methodsRegistered: p.mfa === false ? [] : ['microsoftAuthenticatorPush', 'fido2'],
          lastUpdatedDateTime: '2026-09-30T00:00:00Z',
        })),
      },
      pimSchedules: { provenance: collected('GET /identityGovernance/privilegedAccess/group/*Schedules, *ScheduleInstances'), data: pimSchedules() },
      pimPolicies: { provenance: collected('GET /policies/roleManagementPolicyAssignments?$expand=policy($expand=rules)'), data: pimPolicies() },
      activations: { provenance: collected('GET /identityGovernance/privilegedAccess/group/assignmentScheduleRequests'), data: activations() },
      // Every eligibility began before the look-back and none was changed within it: no request.
      eligibilityRequests: { provenance: collected('GET /identityGovernance/privilegedAccess/group/eligibilityScheduleRequests'), data: [] },
      conditionalAccess: { provenance: collected('GET /identity/conditionalAccess/policies'), data: conditionalAccess() },
      // Sam, the leaver: deleted from Entra (still in the recycle bin), yet enabled in Identity Center.
      deletedUsers: {
        provenance: collected('GET /directory/deletedItems/microsoft.graph.user'),
        data: [{ id: uid('sam'), userPrincipalName: `${uid('sam').replace(/-/g, '')}sam.ortiz@${DOMAIN}`, displayName: 'Sam Ortiz', deletedDateTime: '2026-09-12T16:20:00Z' }],
      },
      accessReviews: {
        provenance: collected('GET /identityGovernance/accessReviews/definitions'),
        data: [
          {
            id: guid('review:prod-admins'),
            displayName: 'Quarterly review: AWS - Prod Admins',
            status: 'InProgress',
            scopeQuery: `/groups/${gid('prod-admins')}/transitiveMembers`,
            recurrence: { type: 'absoluteMonthly', interval: 3 },
          },
          {
            id: guid('review:data'),
            displayName: 'Quarterly review: AWS - Data Engineers',
            status: 'InProgress',
            scopeQuery: `/groups/${gid('data')}/transitiveMembers`,
            recurrence: { type: 'absoluteMonthly', interval: 3 },
          },
          {
            id: guid('review:breakfix'),
            displayName: 'Monthly review: AWS - Platform Break-Fix',
            status: 'InProgress',
            scopeQuery: `/groups/${gid('breakfix')}/transitiveMembers`,
            recurrence: { type: 'absoluteMonthly', interval: 1 },
          },
        ],
      },
      directoryRoles: {
        provenance: collected('GET /roleManagement/directory/{roleAssignments,roleEligibilitySchedules,roleDefinitions}, /policies/roleManagementPolicyAssignments (scopeType DirectoryRole)'),
        data: directoryRoles(),
      },
      appOwners: { provenance: collected('GET /servicePrincipals/{id}/owners, /applications(appId=…)/owners'), data: appOwners() },
      workloadIdentities: {
        provenance: collected("GET /servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo, /servicePrincipals/{id}, /servicePrincipals/{id}/owners"),
        data: workloadIdentities(),
      },
      accessPackages: { provenance: collected('GET /identityGovernance/entitlementManagement/accessPackages (resourceRoleScopes, assignmentPolicies), /identityGovernance/entitlementManagement/assignments'), data: accessPackages() },
    },
    aws: {
      organization: {
        provenance: collected('organizations:ListAccounts, ListParents, ListTagsForResource'),
        data: {
          id: 'o-n0rthw1nd7',
          managementAccountId: '111111111111',
          featureSet: 'ALL',
          accounts: ACCOUNTS.map((a) => ({ id: a.id, name: a.name, email: `aws+${a.name}@${DOMAIN}`, state: 'ACTIVE', ouPath: a.ouPath, tags: a.tags })),
        },
      },
      identityCenter: {
        provenance: collected('sso-admin:ListInstances'),
        data: { instanceArn: INSTANCE, identityStoreId: 'd-93670a1b2c', region: 'eu-west-1', ownerAccountId: '111111111111' },
      },
      identityStore: { provenance: collected('identitystore:ListUsers, ListGroups, ListGroupMemberships'), data: identityStore() },
      permissionSets: { provenance: collected('sso-admin:DescribePermissionSet and policy calls'), data: permissionSets() },
      accountAssignments: { provenance: collected('sso-admin:ListAccountAssignments'), data: accountAssignments() },
      portalSession: {
        provenance: {
          status: 'missing',
          error: { status: null, code: 'NotDeclared', message: 'No AWS API exposes the access-portal session duration, and the config does not declare it.' },
          fix: 'declare aws.portalSessionDuration in the config (IAM Identity Center console → Settings → Authentication → Session duration)',
        },
        data: null,
      },
      iamUsers: { provenance: collected('iam:GenerateCredentialReport, GetCredentialReport'), data: iamUsers() },
      cloudTrail: { provenance: collected('cloudtrail:LookupEvents'), data: cloudTrail() },
      controlPlane: { provenance: collected('iam:GetAccountAuthorizationDetails, organizations:ListDelegatedAdministrators'), data: controlPlane() },
      resourcePolicies: { provenance: collected('lambda:ListFunctions, GetPolicy; apigateway:GetRestApis'), data: resourcePolicies() },
    },
  };
}
