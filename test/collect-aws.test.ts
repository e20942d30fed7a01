// The AWS collector against the fake AWS on 127.0.0.1: what it collects, how it pages, retries,
// and what it does when an account or an operation is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsRuntime } from '../src/collect/aws/clients.js';
import { collectAws } from '../src/collect/aws/index.js';
import { AWS_OPERATIONS } from '../src/collect/aws/operations.js';
import type { ConfigFile } from '../src/model/config.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { asSnapshot, context, withFakeEnv, FAST } from './helpers/aws.js';
import { FakeAws } from './fake-cloud/aws/server.js';
import { ADMIN_PS, DEV, ENTRA_ALICE, IC_REGION, MGMT, OLD, PROD, RO_PS, SANDBOX, e2eScenario, icGroup, icUser } from './fake-cloud/aws/scenarios.js';

const CONFIG: ConfigFile = {
  aws: { identityCenterRegion: IC_REGION, memberAccountRoleName: 'JitAuditReadOnly' },
  breakglass: { users: [{ account: MGMT, userName: 'breakglass-1' }] },
};


describe('collectAws against the fake AWS', () => {
  const fake = new FakeAws(e2eScenario());
  let restore: () => void;
  let aws: Snapshot['aws'];
  const events: string[] = [];
  let ctx: ReturnType<typeof context>;
  let rt: AwsRuntime;

  beforeAll(async () => {
    await fake.start();
    restore = withFakeEnv(fake);
    ctx = context(CONFIG, events);
    aws = await collectAws(ctx, { ...FAST, onRuntime: (runtime) => (rt = runtime) });
  });
  afterAll(async () => {
    restore();
    await fake.stop();
  });

  it('produces an aws half that the snapshot schema accepts', () => {
    expect(() => asSnapshot(aws)).not.toThrow();
    expect(aws.organization.provenance.status).toBe('collected');
  });

  it('reads the organization: State, OU paths from the root, tags, through empty first pages', () => {
    const org = aws.organization.data!;
    expect(org).toMatchObject({ id: 'o-fake0rg123', managementAccountId: MGMT, featureSet: 'ALL' });
    expect(org.accounts.map((a) => [a.id, a.name, a.state, a.ouPath])).toEqual([
      [MGMT, 'management', 'ACTIVE', 'Root'],
      [PROD, 'payments-prod', 'ACTIVE', 'Root/Workloads/Prod'],
      [DEV, 'payments-dev', 'ACTIVE', 'Root/Workloads/Dev'],
      [SANDBOX, 'sandbox', 'ACTIVE', 'Root/Sandbox'],
      [OLD, 'old-project', 'SUSPENDED', 'Root/Sandbox'],
    ]);
    expect(org.accounts[1]!.tags).toEqual({ costcenter: 'payments', environment: 'prod', team: 'pay' });
    expect(Object.keys(org.accounts[1]!.tags)).toEqual(['costcenter', 'environment', 'team']);
  });

  it('reads the Identity Center instance in its home Region', () => {
    expect(aws.identityCenter.data).toEqual({ instanceArn: 'arn:aws:sso:::instance/ssoins-7223aaaabbbbcccc', identityStoreId: 'd-9367aaaabb', region: IC_REGION, ownerAccountId: MGMT });
  });

  it('reads permission sets with session, relay state, every policy kind and the boundary', () => {
    const [admin, ro] = aws.permissionSets.data!;
    expect(admin).toEqual({
      arn: ADMIN_PS,
      name: 'AdministratorAccess',
      description: 'Full access',
      sessionDuration: 'PT12H',
      relayState: null,
      managedPolicies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    });
    expect(ro!.arn).toBe(RO_PS);
    expect(ro!.relayState).toBe('https://console.aws.amazon.com/cloudwatch/home');
    expect(ro!.managedPolicies.map((m) => m.arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess']);
    expect(ro!.customerManagedPolicies).toEqual([{ name: 'AllowLogs', path: '/' }, { name: 'DenySecrets', path: '/guardrails/' }]);
    expect(JSON.parse(ro!.inlinePolicy!)).toMatchObject({ Statement: [{ Effect: 'Deny' }] });
    expect(ro!.permissionsBoundary).toEqual({ managedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', customerManagedPolicy: null });
  });

  it('lists every account assignment, sorted', () => {
    expect(aws.accountAssignments.data).toEqual([
      { accountId: PROD, permissionSetArn: ADMIN_PS, principalType: 'GROUP', principalId: icGroup('admins') },
      { accountId: PROD, permissionSetArn: RO_PS, principalType: 'USER', principalId: icUser('contract') },
      { accountId: DEV, permissionSetArn: ADMIN_PS, principalType: 'GROUP', principalId: icGroup('admins') },
      { accountId: DEV, permissionSetArn: RO_PS, principalType: 'USER', principalId: icUser('alice') },
    ]);
  });

  it('reads identity-store users and groups with ExternalIds, and memberships of assigned groups only', () => {
    const store = aws.identityStore.data!;
    expect(store.users.find((u) => u.userId === icUser('alice'))).toEqual({
      userId: icUser('alice'),
      userName: 'alice@contoso.example',
      displayName: 'Alice',
      externalIds: [{ issuer: 'https://scim.aws.com/1234', id: ENTRA_ALICE }],
      status: 'ENABLED',
    });
    expect(store.users.find((u) => u.userId === icUser('contract'))!.externalIds).toEqual([]);
    expect(store.groups.map((g) => g.displayName).sort()).toEqual(['aws-admins', 'not-assigned']);
    expect(store.memberships).toEqual([{ membershipId: 'm-1', groupId: icGroup('admins'), userId: icUser('bob') }]);
    expect(fake.calls.filter((c) => c.operation === 'identitystore:ListGroupMemberships').map((c) => c.params.GroupId)).toEqual([icGroup('admins')]);
  });

  it('reads IAM users of every active account from the credential report, polling until COMPLETE', () => {
    const iam = aws.iamUsers.data!;
    expect(iam.map((a) => [a.accountId, a.provenance.status])).toEqual([
      [MGMT, 'collected'],
      [PROD, 'collected'],
      [DEV, 'missing'],
      [SANDBOX, 'missing'],
    ]);
    const mgmt = iam[0]!;
    expect(mgmt.provenance).toMatchObject({ source: 'iam:GetCredentialReport (caller credentials)' });
    expect(mgmt.root).toEqual({ mfaActive: true, accessKeysActive: false, passwordLastUsed: null });
    expect(mgmt.users![0]).toMatchObject({
      userName: 'breakglass-1',
      arn: `arn:aws:iam::${MGMT}:user/breakglass-1`,
      passwordEnabled: true,
      mfaActive: true,
      mfaDevices: [{ serialNumber: `arn:aws:iam::${MGMT}:mfa/breakglass-1-fido`, enabledAt: '2024-05-02T10:05:00Z' }],
      accessKeys: [],
      attachedPolicies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      inlinePolicyNames: [],
    });
    const prod = iam[1]!;
    expect(prod.provenance).toMatchObject({ source: 'iam:GetCredentialReport (role JitAuditReadOnly)' });
    expect(prod.root).toMatchObject({ mfaActive: false, accessKeysActive: true });
    expect(prod.users![0]).toMatchObject({
      userName: 'ci-deployer',
      passwordEnabled: false,
      passwordLastUsed: null,
      mfaActive: false,
      mfaDevices: [],
      accessKeys: [
        { active: true, lastRotated: '2025-01-10T00:00:00Z', lastUsed: '2026-09-30T22:10:00Z' },
        { active: false, lastRotated: '2024-01-10T00:00:00Z', lastUsed: null },
      ],
      inlinePolicyNames: ['deploy'],
    });
    // STARTED, INPROGRESS, COMPLETE in the management account; the first GetCredentialReport was throttled and retried.
    expect(fake.calls.filter((c) => c.operation === 'iam:GenerateCredentialReport' && c.account === MGMT)).toHaveLength(3);
    // MFA devices are read only for users whose report says MFA is active.
    expect(fake.calls.filter((c) => c.operation === 'iam:ListMFADevices').map((c) => c.params.UserName)).toEqual(['breakglass-1']);
  });

  it('marks an account missing when its role cannot be assumed, naming sts:AssumeRole', () => {
    const sandbox = aws.iamUsers.data!.find((a) => a.accountId === SANDBOX)!;
    expect(sandbox.users).toBeNull();
    expect(sandbox.provenance).toMatchObject({ status: 'missing', error: { code: 'AccessDenied', status: 403 } });
    const p = sandbox.provenance as { error: { message: string }; fix: string };
    expect(p.error.message).toMatch(/cannot assume role JitAuditReadOnly in account 444444444444: sts:AssumeRole was denied/);
    expect(p.fix).toMatch(/JitAuditReadOnly/);
  });

  it('names the IAM action that was denied', () => {
    const dev = aws.iamUsers.data!.find((a) => a.accountId === DEV)!;
    expect(dev.provenance).toMatchObject({ status: 'missing', error: { code: 'AccessDenied' } });
    const p = dev.provenance as { error: { message: string }; fix: string };
    expect(p.error.message).toMatch(/^iam:GenerateCredentialReport was denied in account 333333333333/);
    expect(p.fix).toMatch(/allow iam:GenerateCredentialReport/);
  });

  it('does not audit suspended accounts, and says so', () => {
    expect(aws.iamUsers.data!.some((a) => a.accountId === OLD)).toBe(false);
    expect(ctx.warnings).toContainEqual({ section: 'aws.iamUsers', message: `account ${OLD} (old-project) is SUSPENDED: not audited` });
  });

  it('looks up root, breakglass and federation events, one attribute per call, with per-lookup provenance', () => {
    const trail = aws.cloudTrail.data!;
    const keys = trail.lookups.map((l) => `${l.accountId}|${l.region}|${l.attribute}=${l.value}|${l.provenance.status}`);
    // Breakglass users also where global-endpoint console sign-ins land (us-east-2, eu-north-1, ap-southeast-2).
    expect(keys).toEqual([
      `${MGMT}|ap-southeast-2|Username=breakglass-1|collected`,
      `${MGMT}|eu-north-1|Username=breakglass-1|collected`,
      `${MGMT}|eu-west-1|EventName=CreateAccountAssignment|collected`,
      `${MGMT}|eu-west-1|EventName=CreateGroupMembership|collected`,
      `${MGMT}|eu-west-1|EventName=DeleteAccountAssignment|collected`,
      `${MGMT}|eu-west-1|EventName=DeleteGroupMembership|collected`,
      `${MGMT}|eu-west-1|EventName=Federate|collected`,
      `${MGMT}|eu-west-1|EventName=GetRoleCredentials|collected`,
      `${MGMT}|eu-west-1|Username=breakglass-1|collected`,
      `${MGMT}|eu-west-1|Username=root|collected`,
      `${MGMT}|us-east-1|Username=breakglass-1|collected`,
      `${MGMT}|us-east-1|Username=root|collected`,
      `${MGMT}|us-east-2|Username=breakglass-1|collected`,
      `${PROD}|eu-west-1|Username=root|collected`,
      `${PROD}|us-east-1|Username=root|collected`,
      `${DEV}|eu-west-1|Username=root|collected`,
      `${DEV}|us-east-1|Username=root|collected`,
      `${SANDBOX}|eu-west-1|Username=root|missing`,
      `${SANDBOX}|us-east-1|Username=root|missing`,
    ]);
    for (const call of fake.calls.filter((c) => c.operation === 'cloudtrail:LookupEvents')) {
      expect((call.params.LookupAttributes as unknown[]).length).toBe(1);
    }
    expect(trail.events.map((e) => e.eventId)).toEqual(['ev-bob-legacy', 'ev-root-prod', 'ev-root-prod-api', 'ev-bg1-failed-eu-north-1', 'ev-bg1-ap-southeast-2', 'ev-bg1-nomfa', 'ev-alice-creds']);
  });

  it('normalises CloudTrail records: MFA, outcome, root, onBehalfOf and the federation target', () => {
    const byId = new Map(aws.cloudTrail.data!.events.map((e) => [e.eventId, e]));
    expect(byId.get('ev-bg1-nomfa')).toMatchObject({
      eventName: 'ConsoleLogin',
      accountId: MGMT,
      region: 'us-east-1',
      userIdentity: { type: 'IAMUser', userName: 'breakglass-1', arn: `arn:aws:iam::${MGMT}:user/breakglass-1`, onBehalfOfUserId: null },
      mfaUsed: false,
      outcome: 'Success',
      sourceIpAddress: '203.0.113.77',
      federation: null,
    });
    expect(byId.get('ev-root-prod')).toMatchObject({ userIdentity: { type: 'Root', userName: null }, mfaUsed: true, outcome: 'Success' });
    expect(byId.get('ev-bg1-failed-eu-north-1')).toMatchObject({ region: 'eu-north-1', outcome: 'Failure', errorMessage: 'Failed authentication', userIdentity: { type: 'IAMUser', userName: 'breakglass-1', arn: null } });
    expect(byId.get('ev-bg1-ap-southeast-2')).toMatchObject({ region: 'ap-southeast-2', outcome: 'Success', mfaUsed: true, errorMessage: null });
    expect(byId.get('ev-root-prod-api')).toMatchObject({ eventName: 'CreateAccessKey', outcome: 'Failure', mfaUsed: null });
    expect(byId.get('ev-alice-creds')).toMatchObject({
      userIdentity: { type: 'IdentityCenterUser', onBehalfOfUserId: icUser('alice'), userName: null },
      federation: { accountId: DEV, roleName: 'ReadOnly' },
      region: IC_REGION,
    });
    expect(byId.get('ev-bob-legacy')).toMatchObject({
      userIdentity: { type: 'Unknown', userName: 'bob@contoso.example', principalId: icUser('bob'), onBehalfOfUserId: null },
      federation: { accountId: PROD, roleName: 'AdministratorAccess' },
    });
  });

  it('asks CloudTrail for the configured look-back only (default 90 days)', () => {
    const lookup = aws.cloudTrail.data!.lookups[0]!;
    const days = (Date.parse(lookup.endTime) - Date.parse(lookup.startTime)) / 86_400_000;
    expect(days).toBe(90);
    expect(aws.cloudTrail.data!.events.some((e) => e.eventId === 'ev-too-old')).toBe(false);
  });

  it('retries throttling errors of every protocol (ThrottlingException, TooManyRequestsException, Throttling)', () => {
    expect(fake.calls.filter((c) => c.operation === 'sso-admin:ListPermissionSets').map((c) => c.error)).toEqual(['ThrottlingException', 'ThrottlingException', null]);
    expect(fake.calls.filter((c) => c.operation === 'organizations:ListRoots').map((c) => c.error)).toEqual(['TooManyRequestsException', null, null]); // then an empty page with a NextToken
    expect(fake.calls.filter((c) => c.operation === 'iam:GetCredentialReport')[0]!.error).toBe('Throttling');
  });

  it('paces every attempt by its bucket, the SDK\'s retries included', () => {
    const retried = fake.calls.filter((c) => c.error !== null).length;
    expect(retried).toBeGreaterThan(3);
    // Each request the fake received, throttled or not, took a token first; the call log has one entry per call.
    expect(rt.attempts).toBe(fake.calls.length);
    expect(rt.calls.length).toBeLessThan(fake.calls.length);
  });

  it('pages everywhere (page size 2 in the fake)', () => {
    // 4 users in pages of 2 → 2 calls; 5 accounts' tags etc.
    expect(fake.count('identitystore:ListUsers')).toBe(2);
    expect(fake.count('identitystore:ListGroups')).toBe(1);
    expect(fake.calls.filter((c) => c.operation === 'sso-admin:ListManagedPoliciesInPermissionSet' && c.params.PermissionSetArn === RO_PS)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.operation === 'organizations:ListTagsForResource' && c.params.ResourceId === PROD)).toHaveLength(3); // empty first page, 2, 1
  });

  it('declares nothing it did not read: the portal session is missing unless the config declares it', () => {
    expect(aws.portalSession.provenance).toMatchObject({ status: 'missing', error: { code: 'NotDeclared' } });
  });

  it('reports progress per section', () => {
    for (const s of ['organization', 'identityCenter', 'identityStore', 'permissionSets', 'accountAssignments', 'iamUsers', 'cloudTrail']) {
      expect(events).toContain(`start aws.${s}`);
      expect(events).toContain(`done aws.${s} collected`);
    }
  });

  it('calls only the operations it lists, all read-only', () => {
    const called = [...new Set(fake.calls.map((c) => c.operation))].sort();
    for (const op of called) expect(Object.keys(AWS_OPERATIONS)).toContain(op);
    expect(called.length).toBeGreaterThan(20);
  });

  it('gives the same snapshot for the same organisation', async () => {
    const again = new FakeAws(e2eScenario());
    await again.start();
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = again.url;
    try {
      const second = await collectAws(context(CONFIG), FAST);
      const strip = (x: unknown) => JSON.stringify(x, (k, v: unknown) => (['collectedAt', 'startTime', 'endTime'].includes(k) ? undefined : v));
      expect(strip(second)).toBe(strip(aws));
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
      await again.stop();
    }
  });
});
