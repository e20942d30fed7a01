// Scenarios for the AWS collector tests.
import type { AwsScenario, FakeTrailRecord } from './scenario.js';

export const MGMT = '111111111111';
export const PROD = '222222222222';
export const DEV = '333333333333';
export const SANDBOX = '444444444444';
export const OLD = '555555555555';
export const IC_REGION = 'eu-west-1';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-7223aaaabbbbcccc';
export const psArn = (id: string) => `arn:aws:sso:::permissionSet/ssoins-7223aaaabbbbcccc/ps-${id}`;
export const ADMIN_PS = psArn('admin0000000001');
export const RO_PS = psArn('readonly0000001');
const STORE = 'd-9367aaaabb';
export const icUser = (key: string) => `9067aaaabb-${key.padEnd(8, '0').slice(0, 8)}-0000-4000-a000-000000000001`;
export const icGroup = (key: string) => `9067aaaabb-${key.padEnd(8, '0').slice(0, 8)}-0000-4000-b000-000000000002`;
export const ENTRA_ALICE = 'aa000000-0000-4000-a000-00000000a11c';
export const ENTRA_BOB = 'aa000000-0000-4000-a000-000000000b0b';
export const ENTRA_ADMINS = 'ab000000-0000-4000-a000-0000000ad111';

/** Recent, so that the default 90-day look-back covers it whenever the test runs. */
export const daysAgo = (days: number, at = '10:00:00') => `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)}T${at}Z`;

const trail = (r: FakeTrailRecord): FakeTrailRecord => ({ eventVersion: '1.08', ...r });

/**
 * The end-to-end organisation: every finding the issue names is in it once.
 *   • IAM user ci-deployer in prod is not a declared breakglass user;
 *   • breakglass-1 signed in to the console without MFA;
 *   • root signed in to prod;
 *   • alice (from Entra) is assigned ReadOnly in dev directly, as a USER;
 *   • contractor has no Entra source and holds ReadOnly in prod;
 *   • AdministratorAccess (admin tier) has a 12-hour session.
 * Plus the awkward parts: a suspended account, an account whose role cannot be assumed, a denied
 * operation in another, throttling, paging, and a credential report that is STARTED first.
 */
export function e2eScenario(): AwsScenario {
  return {
    callerAccountId: MGMT,
    pageSize: 2,
    organization: {
      id: 'o-fake0rg123',
      managementAccountId: MGMT,
      rootId: 'r-ab12',
      ous: [
        { id: 'ou-ab12-work0001', name: 'Workloads', parentId: 'r-ab12' },
        { id: 'ou-ab12-prod0001', name: 'Prod', parentId: 'ou-ab12-work0001' },
        { id: 'ou-ab12-dev00001', name: 'Dev', parentId: 'ou-ab12-work0001' },
        { id: 'ou-ab12-sand0001', name: 'Sandbox', parentId: 'r-ab12' },
      ],
      accounts: [
        { id: MGMT, name: 'management', parentId: 'r-ab12', tags: { owner: 'platform' } },
        { id: PROD, name: 'payments-prod', parentId: 'ou-ab12-prod0001', tags: { environment: 'prod', costcenter: 'payments', team: 'pay' } },
        { id: DEV, name: 'payments-dev', parentId: 'ou-ab12-dev00001', tags: { environment: 'dev' } },
        { id: SANDBOX, name: 'sandbox', parentId: 'ou-ab12-sand0001' },
        { id: OLD, name: 'old-project', parentId: 'ou-ab12-sand0001', state: 'SUSPENDED' },
      ],
    },
    identityCenter: {
      region: IC_REGION,
      instanceArn: INSTANCE,
      identityStoreId: STORE,
      ownerAccountId: MGMT,
      permissionSets: [
        {
          arn: ADMIN_PS,
          name: 'AdministratorAccess',
          description: 'Full access',
          sessionDuration: 'PT12H',
          managed: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
        },
        {
          arn: RO_PS,
          name: 'ReadOnly',
          sessionDuration: 'PT1H',
          relayState: 'https://console.aws.amazon.com/cloudwatch/home',
          managed: [
            { name: 'ViewOnlyAccess', arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' },
            { name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          ],
          customerManaged: [{ name: 'DenySecrets', path: '/guardrails/' }, { name: 'AllowLogs' }],
          inline: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
          boundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
        },
      ],
      assignments: [
        { accountId: PROD, permissionSetArn: ADMIN_PS, principalType: 'GROUP', principalId: icGroup('admins') },
        { accountId: DEV, permissionSetArn: ADMIN_PS, principalType: 'GROUP', principalId: icGroup('admins') },
        { accountId: DEV, permissionSetArn: RO_PS, principalType: 'USER', principalId: icUser('alice') },
        { accountId: PROD, permissionSetArn: RO_PS, principalType: 'USER', principalId: icUser('contract') },
      ],
      extraProvisioned: [{ accountId: SANDBOX, permissionSetArn: RO_PS }],
      users: [
        { userId: icUser('alice'), userName: 'alice@contoso.example', displayName: 'Alice', externalIds: [{ issuer: 'https://scim.aws.com/1234', id: ENTRA_ALICE }] },
        { userId: icUser('bob'), userName: 'bob@contoso.example', displayName: 'Bob', externalIds: [{ issuer: 'https://scim.aws.com/1234', id: ENTRA_BOB }] },
        { userId: icUser('contract'), userName: 'contractor-ops', displayName: 'Contractor' },
        { userId: icUser('carol'), userName: 'carol@contoso.example', status: 'DISABLED' },
      ],
      groups: [
        { groupId: icGroup('admins'), displayName: 'aws-admins', description: 'Admins', externalIds: [{ issuer: 'https://scim.aws.com/1234', id: ENTRA_ADMINS }] },
        { groupId: icGroup('unused'), displayName: 'not-assigned' },
      ],
      memberships: [
        { membershipId: 'm-1', groupId: icGroup('admins'), userId: icUser('bob') },
        { membershipId: 'm-2', groupId: icGroup('unused'), userId: icUser('alice') },
      ],
    },
    iam: {
      [MGMT]: {
        users: [
          {
            userName: 'breakglass-1',
            password: true,
            passwordLastUsed: daysAgo(3),
            mfaDevices: [{ serialNumber: `arn:aws:iam::${MGMT}:mfa/breakglass-1-fido`, enabledAt: '2024-05-02T10:05:00Z' }],
            attachedPolicies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
          },
        ],
        root: { mfa: true },
        reportCallsUntilComplete: 3,
      },
      [PROD]: {
        users: [
          {
            userName: 'ci-deployer',
            password: false,
            keys: [{ active: true, lastRotated: '2025-01-10T00:00:00+00:00', lastUsed: '2026-09-30T22:10:00+00:00' }, { active: false, lastRotated: '2024-01-10T00:00:00+00:00' }],
            inlinePolicies: ['deploy'],
          },
        ],
        root: { mfa: false, keys: true, passwordLastUsed: daysAgo(5, '03:12:00') },
      },
      [DEV]: { users: [{ userName: 'dev-user', password: true }] },
    },
    cloudTrail: {
      [`${MGMT}|us-east-1`]: [
        trail({
          eventID: 'ev-bg1-nomfa',
          eventTime: daysAgo(3, '02:14:00'),
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          eventType: 'AwsConsoleSignIn',
          awsRegion: 'us-east-1',
          sourceIPAddress: '203.0.113.77',
          recipientAccountId: MGMT,
          userIdentity: { type: 'IAMUser', principalId: 'AIDAFAKE', arn: `arn:aws:iam::${MGMT}:user/breakglass-1`, accountId: MGMT, userName: 'breakglass-1' },
          responseElements: { ConsoleLogin: 'Success' },
          additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No' },
        }),
        trail({
          eventID: 'ev-other-user',
          eventTime: daysAgo(2),
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          awsRegion: 'us-east-1',
          recipientAccountId: MGMT,
          userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${MGMT}:user/someone`, accountId: MGMT, userName: 'someone' },
          responseElements: { ConsoleLogin: 'Success' },
          additionalEventData: { MFAUsed: 'No' },
        }),
        trail({
          eventID: 'ev-too-old',
          eventTime: daysAgo(120),
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          awsRegion: 'us-east-1',
          recipientAccountId: MGMT,
          userIdentity: { type: 'Root', arn: `arn:aws:iam::${MGMT}:root`, accountId: MGMT },
          responseElements: { ConsoleLogin: 'Success' },
          additionalEventData: { MFAUsed: 'Yes' },
        }),
      ],
      // IAM-user sign-ins through the global endpoint are recorded in us-east-2, eu-north-1 or
      // ap-southeast-2 when the browser has the account-alias cookie (record shapes from the AWS
      // CloudTrail user guide, test/fixtures/cloudtrail/SOURCE.md).
      [`${MGMT}|eu-north-1`]: [
        trail({
          eventVersion: '1.05',
          eventID: 'ev-bg1-failed-eu-north-1',
          eventTime: daysAgo(4, '01:10:00'),
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          eventType: 'AwsConsoleSignIn',
          awsRegion: 'eu-north-1',
          sourceIPAddress: '192.0.2.0',
          recipientAccountId: MGMT,
          userIdentity: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', accountId: MGMT, accessKeyId: '', userName: 'breakglass-1' },
          errorMessage: 'Failed authentication',
          requestParameters: null,
          responseElements: { ConsoleLogin: 'Failure' },
          additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: 'Yes' },
        }),
      ],
      [`${MGMT}|ap-southeast-2`]: [
        trail({
          eventVersion: '1.05',
          eventID: 'ev-bg1-ap-southeast-2',
          eventTime: daysAgo(4, '01:12:00'),
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          eventType: 'AwsConsoleSignIn',
          awsRegion: 'ap-southeast-2',
          sourceIPAddress: '192.0.2.0',
          recipientAccountId: MGMT,
          userIdentity: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', arn: `arn:aws:iam::${MGMT}:user/breakglass-1`, accountId: MGMT, userName: 'breakglass-1' },
          requestParameters: null,
          responseElements: { ConsoleLogin: 'Success' },
          additionalEventData: { MobileVersion: 'No', LoginTo: 'https://console.aws.amazon.com/sns', MFAUsed: 'Yes' },
        }),
      ],
      [`${PROD}|us-east-1`]: [
        trail({
          eventID: 'ev-root-prod',
          eventTime: daysAgo(5, '03:12:00'),
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          awsRegion: 'us-east-1',
          sourceIPAddress: '203.0.113.9',
          recipientAccountId: PROD,
          userIdentity: { type: 'Root', principalId: PROD, arn: `arn:aws:iam::${PROD}:root`, accountId: PROD },
          responseElements: { ConsoleLogin: 'Success' },
          additionalEventData: { MFAUsed: 'YES' },
        }),
        trail({
          eventID: 'ev-root-prod-api',
          eventTime: daysAgo(5, '03:20:00'),
          eventName: 'CreateAccessKey',
          eventSource: 'iam.amazonaws.com',
          awsRegion: 'us-east-1',
          sourceIPAddress: '203.0.113.9',
          recipientAccountId: PROD,
          userIdentity: { type: 'Root', principalId: PROD, arn: `arn:aws:iam::${PROD}:root`, accountId: PROD },
          errorCode: 'AccessDenied',
        }),
      ],
      [`${MGMT}|${IC_REGION}`]: [
        trail({
          eventID: 'ev-alice-creds',
          eventTime: daysAgo(1, '09:00:00'),
          eventName: 'GetRoleCredentials',
          eventSource: 'sso.amazonaws.com',
          awsRegion: IC_REGION,
          recipientAccountId: MGMT,
          userIdentity: { type: 'IdentityCenterUser', accountId: MGMT, onBehalfOf: { userId: icUser('alice'), identityStoreArn: `arn:aws:identitystore::${MGMT}:identitystore/${STORE}` }, credentialId: 'cred-1' },
          requestParameters: { accountId: DEV, roleName: 'ReadOnly' },
        }),
        trail({
          eventID: 'ev-bob-legacy',
          eventTime: daysAgo(40, '09:00:00'),
          eventName: 'Federate',
          eventSource: 'sso.amazonaws.com',
          awsRegion: IC_REGION,
          recipientAccountId: MGMT,
          // The pre-2025 shape (AWS SSO user guide, "Understanding AWS SSO log file entries"): type Unknown,
          // the Identity Center user id in principalId, the user name in userName.
          userIdentity: { type: 'Unknown', principalId: icUser('bob'), accountId: MGMT, userName: 'bob@contoso.example' },
          serviceEventDetails: { account_id: PROD, role_name: 'AdministratorAccess' },
        }),
      ],
    },
    faults: {
      throttleFirst: { 'sso-admin:ListPermissionSets': 2, 'organizations:ListRoots': 1, 'iam:GetCredentialReport': 1, 'cloudtrail:LookupEvents': 1 },
      deny: [
        { operation: 'sts:AssumeRole', account: SANDBOX },
        { operation: 'iam:GenerateCredentialReport', account: DEV },
      ],
      emptyFirstPages: true,
    },
  };
}

/** A larger organisation of a given shape, for the assignment-strategy tests. */
export function shapeScenario(shape: { accounts: number; permissionSets: number; users: number; groups: number; assignments: 'every-account' | 'few' }): AwsScenario {
  const accounts = Array.from({ length: shape.accounts }, (_, i) => ({ id: String(100000000000 + i + 1), name: `acct-${i + 1}`, parentId: 'r-ab12' }));
  const mgmt = accounts[0]!.id;
  const sets = Array.from({ length: shape.permissionSets }, (_, i) => ({ arn: psArn(`shape${String(i).padStart(10, '0')}`), name: `Set${i}`, sessionDuration: 'PT1H' }));
  const users = Array.from({ length: shape.users }, (_, i) => ({ userId: icUser(`u${String(i).padStart(4, '0')}`), userName: `user${i}@contoso.example` }));
  const groups = Array.from({ length: shape.groups }, (_, i) => ({ groupId: icGroup(`g${String(i).padStart(4, '0')}`), displayName: `group-${i}` }));
  const principals = [...groups.map((g) => ({ principalType: 'GROUP' as const, principalId: g.groupId })), ...users.map((u) => ({ principalType: 'USER' as const, principalId: u.userId }))];
  const assignments =
    shape.assignments === 'every-account'
      ? // Every principal holds every permission set in every account.
        principals.flatMap((p) => accounts.flatMap((a) => sets.map((s) => ({ accountId: a.id, permissionSetArn: s.arn, ...p }))))
      : // One pair per permission set in the first account, shared by all principals.
        principals.flatMap((p) => sets.map((s) => ({ accountId: accounts[0]!.id, permissionSetArn: s.arn, ...p })));
  return {
    callerAccountId: mgmt,
    organization: { id: 'o-shape', managementAccountId: mgmt, rootId: 'r-ab12', ous: [], accounts },
    identityCenter: {
      region: IC_REGION,
      instanceArn: INSTANCE,
      identityStoreId: STORE,
      ownerAccountId: mgmt,
      permissionSets: sets,
      assignments,
      users,
      groups,
      memberships: [],
    },
    iam: {},
    cloudTrail: {},
  };
}
