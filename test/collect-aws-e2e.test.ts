// End to end, as a user runs it: scenario → `jitaudit collect --only aws` (the built CLI, the SDK
// pointed at the fake through AWS_ENDPOINT_URL) → a valid snapshot → `jitaudit audit` → the
// findings the scenario implies. And the fake's record proves that only reads were made.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamAction } from '../src/collect/aws/clients.js';
import { AWS_OPERATIONS, type OperationName } from '../src/collect/aws/operations.js';
import { loadSnapshot } from '../src/model/load-snapshot.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { FakeAws } from './fake-cloud/aws/server.js';
import { DEV, ENTRA_ADMINS, ENTRA_ALICE, ENTRA_BOB, IC_REGION, MGMT, PROD, SANDBOX, e2eScenario } from './fake-cloud/aws/scenarios.js';
import { isReadOnly, policyActions } from './helpers/aws.js';
import { jitaudit, jitauditAsync, tempDir, type Run } from './helpers/cli.js';

const CONFIG = [
  'aws:',
  `  identityCenterRegion: ${IC_REGION}`,
  '  memberAccountRoleName: JitAuditReadOnly',
  'breakglass:',
  `  users: [{account: "${MGMT}", userName: breakglass-1, drills: [{at: 2026-01-15, ticket: CHG-1}]}]`,
  '',
].join('\n');

const at = '2026-10-01T06:00:00Z';
const collectedAt = (source: string) => ({ provenance: { status: 'collected', source, collectedAt: at } });

/** The Entra half the AWS scenario was provisioned from (the Entra collector is tested elsewhere). */
function entraHalf(): Snapshot['entra'] {
  return {
    tenant: { ...collectedAt('GET /organization'), data: { id: 'tenant-1', displayName: 'Contoso', defaultDomain: 'contoso.example' } },
    enterpriseApp: { ...collectedAt('GET /servicePrincipals'), data: { servicePrincipalId: 'sp-1', appId: 'app-1', displayName: 'AWS IAM Identity Center', appRoleAssignments: [] } },
    provisioning: { ...collectedAt('GET /synchronization/jobs'), data: { jobs: [] } },
    groups: {
      ...collectedAt('GET /groups'),
      data: [
        {
          id: ENTRA_ADMINS,
          displayName: 'aws-admins',
          description: null,
          securityEnabled: true,
          isAssignableToRole: false,
          onPremisesSyncEnabled: null,
          membershipRule: null,
          members: [{ id: ENTRA_BOB, type: 'user', displayName: 'Bob' }],
          owners: [],
        },
      ],
    },
    users: {
      ...collectedAt('GET /users'),
      data: [
        { id: ENTRA_ALICE, userPrincipalName: 'alice@contoso.example', displayName: 'Alice', accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: null },
        { id: ENTRA_BOB, userPrincipalName: 'bob@contoso.example', displayName: 'Bob', accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: null },
      ],
    },
    mfaRegistration: { ...collectedAt('GET /reports/authenticationMethods/userRegistrationDetails'), data: [] },
    pimSchedules: { ...collectedAt('PIM for Groups'), data: { eligibilitySchedules: [], assignmentSchedules: [], eligibilityInstances: [], assignmentInstances: [] } },
    pimPolicies: { ...collectedAt('GET /policies/roleManagementPolicyAssignments'), data: [] },
    activations: { ...collectedAt('GET assignmentScheduleRequests'), data: [] },
    conditionalAccess: { ...collectedAt('GET /identity/conditionalAccess/policies'), data: [] },
    accessReviews: { ...collectedAt('GET /identityGovernance/accessReviews/definitions'), data: [] },
  } as Snapshot['entra'];
}

/** The fields of a report.json finding these tests read. */
interface ReportFinding {
  ruleId: string;
  status: string;
  object: { type: string; id: string; name: string };
  account?: string;
  impact?: { paths: number[] | 'all' | 'jit' };
}

describe('jitaudit collect --only aws, then audit', () => {
  const fake = new FakeAws(e2eScenario());
  const dir = tempDir('jitaudit-aws-e2e-');
  const config = join(dir, 'jitaudit.config.yaml');
  const snapshotFile = join(dir, 'snapshot.json');
  let run: Run;
  let findings: ReportFinding[];
  let report: { accessPaths: { account: string }[]; findings: ReportFinding[] };

  beforeAll(async () => {
    writeFileSync(config, CONFIG);
    await fake.start();
    run = await jitauditAsync(['collect', '--only', 'aws', '--config', config, '--out', snapshotFile], dir, { ...fake.env(), JITAUDIT_RATE_SCALE: '100' });
    if (run.code !== 0) return;
    // Join the Entra half the scenario implies, then audit as a user would.
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot;
    snapshot.entra = entraHalf();
    const joined = join(dir, 'joined.json');
    writeFileSync(joined, `${JSON.stringify(snapshot, null, 2)}\n`);
    const out = join(dir, 'reports');
    const audit = jitaudit(['audit', '--snapshot', joined, '--config', config, '--format', 'json', '--out', out], dir);
    expect(audit.code, audit.stderr).toBe(1);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as typeof report;
    findings = report.findings;
  }, 60_000);
  afterAll(() => fake.stop());

  it('writes a snapshot that loads and validates, with progress on stderr', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    for (const s of ['organization', 'identityCenter', 'identityStore', 'permissionSets', 'accountAssignments', 'iamUsers', 'cloudTrail']) {
      expect(run.stderr).toMatch(new RegExp(`^jitaudit: aws\\.${s}: collected .*in \\d+\\.\\d s$`, 'm'));
    }
    expect(run.stderr).toMatch(/^jitaudit: aws\.portalSession: missing/m);
    const { snapshot } = loadSnapshot(snapshotFile);
    expect(snapshot.entra.tenant.provenance).toMatchObject({ status: 'missing', error: { code: 'NotCollected' } });
    expect(snapshot.aws.organization.data!.accounts).toHaveLength(5);
    expect(snapshot.aws.iamUsers.data!.find((a) => a.accountId === SANDBOX)!.provenance.status).toBe('missing');
    expect(snapshot.meta.warnings).toContainEqual(expect.objectContaining({ section: 'aws.iamUsers', message: expect.stringMatching(/^account 444444444444: AccessDenied: cannot assume role/) }));
  });

  it('finds the IAM user that is not a declared breakglass user', () => {
    const f = findings.filter((x) => x.ruleId === 'iam-user-not-breakglass').map((x) => x.object.id);
    expect(f).toEqual([`arn:aws:iam::${PROD}:user/ci-deployer`]);
  });

  it('finds the breakglass console sign-in without MFA', () => {
    expect(findings.filter((x) => x.ruleId === 'breakglass-sign-in-without-mfa').map((x) => x.object.id)).toEqual(['ev-bg1-nomfa']);
  });

  it('finds root activity', () => {
    expect(findings.filter((x) => x.ruleId === 'root-activity').map((x) => x.object.id).sort()).toEqual(['ev-root-prod', 'ev-root-prod-api']);
  });

  it('finds the direct Identity Center user assignment', () => {
    const f = findings.filter((x) => x.ruleId === 'direct-user-assignment');
    expect(f).toHaveLength(1);
    // One finding per user × permission set: the object is the assignment, its impact the account.
    expect(f[0]!.object.id).toMatch(/alice@contoso\.example/);
    expect(f[0]!.account ?? report.accessPaths[(f[0]!.impact!.paths as number[])[0]!]!.account).toBe(DEV);
  });

  it('finds the Identity Center user without an Entra source', () => {
    const f = findings.filter((x) => x.ruleId === 'unmanaged-identity-center-access');
    expect(f).toHaveLength(1);
    expect(`${f[0]!.object.id} ${f[0]!.object.name}`).toMatch(/contractor-ops/);
  });

  it('finds the admin-tier permission set with a 12-hour session', () => {
    const f = findings.filter((x) => x.ruleId === 'privileged-permission-set-long-session');
    expect(f.map((x) => x.object.name)).toEqual(['AdministratorAccess']);
  });

  it('made only read-only calls, each granted by the policy of the identity that made it', () => {
    const auditor = policyActions('auditor-role.json');
    const member = policyActions('member-account-role.json');
    expect(fake.calls.length).toBeGreaterThan(50);
    for (const call of fake.calls) {
      expect(Object.keys(AWS_OPERATIONS), call.operation).toContain(call.operation);
      const action = iamAction(call.operation as OperationName);
      expect(isReadOnly(action), action).toBe(true);
      // The management account is the caller's own; every other account is reached through the member role.
      expect(call.account === MGMT ? auditor : member, `${action} in ${call.account}`).toContain(action);
    }
    // Identity Center federation events in the management account, where the instance lives.
    expect(fake.calls.some((c) => c.operation === 'cloudtrail:LookupEvents' && c.account === MGMT && c.region === IC_REGION)).toBe(true);
  });
});
