import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyPermissionSet, classifyPermissionSetWithReason } from '../src/analyze/classify.js';
import { escalationCapability, evaluatePolicy, IDENTITY_CENTER_ROUTES, parsePolicy, PROBES, probeKey, routeCapability, scpDecision, scpStopsEveryRoute, wildcardMatch } from '../src/analyze/capabilities.js';
import { AWS_MANAGED_POLICY_VERDICTS } from '../src/analyze/aws-managed-policies.js';
import { resolveConfig } from '../src/model/config.js';
import type { PermissionSetT } from '../src/model/snapshot-schema.js';
import { analyzeDemo } from './helpers/demo.js';

const config = resolveConfig({}, null);
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const managed = (name: string, path = '') => ({ name, arn: `arn:aws:iam::aws:policy/${path}${name}` });
const set = (over: Partial<PermissionSetT>): PermissionSetT => ({
  arn: `arn:aws:sso:::permissionSet/ssoins-1/ps-${Math.random().toString(36).slice(2)}`,
  name: 'ReadOnlyPlus',
  description: null,
  sessionDuration: 'PT1H',
  relayState: null,
  managedPolicies: [],
  customerManagedPolicies: [],
  inlinePolicy: null,
  permissionsBoundary: null,
  ...over,
});
const passRoleLambda = policy(
  { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
  { Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*' },
);

describe('capability tiers', () => {
  it('iam:PassRole + lambda:CreateFunction in the inline policy: admin, with the route as the reason', () => {
    const d = classifyPermissionSetWithReason(config, set({ inlinePolicy: passRoleLambda }));
    expect(d.tier).toBe('admin');
    expect(d.reason).toMatch(/^iam:PassRole \+ lambda:CreateFunction allowed by the inline policy: /);
  });

  it('a single escalation action, any case, on a wildcard resource: admin', () => {
    const d = classifyPermissionSetWithReason(config, set({ inlinePolicy: policy({ Effect: 'Allow', Action: 'IAM:putrolepolicy', Resource: 'arn:aws:iam::*:role/*' }) }));
    expect(d).toEqual({ tier: 'admin', reason: expect.stringMatching(/^iam:PutRolePolicy allowed by the inline policy/) });
  });

  it('* on * (the configured inlineAdmin matcher aside): admin by capability', () => {
    const only = resolveConfig({ permissionSetTiers: { 'read-only': { names: ['Viewer*'] } } }, null);
    const d = classifyPermissionSetWithReason(only, set({ inlinePolicy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    expect(d).toEqual({ tier: 'admin', reason: expect.stringMatching(/^\* on \* allowed by the inline policy/) });
  });

  it('a read-only inline policy: the default tier, saying what was evaluated', () => {
    const d = classifyPermissionSetWithReason(config, set({ inlinePolicy: policy({ Effect: 'Allow', Action: ['s3:Get*', 'iam:Get*', 'iam:List*', 'ec2:Describe*'], Resource: '*' }) }));
    expect(d.tier).toBe('standard');
    expect(d.reason).toBe('default tier: no configured tier matches and no route to admin is allowed by the inline policy');
  });

  it('PassRole scoped to named roles, or without a compute action, is no route', () => {
    const scoped = policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/app-*' }, { Effect: 'Allow', Action: 'lambda:*', Resource: '*' });
    expect(classifyPermissionSet(config, set({ inlinePolicy: scoped }))).toBe('standard');
    expect(classifyPermissionSet(config, set({ inlinePolicy: policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }) }))).toBe('standard');
  });

  it('an explicit Deny in the same policy takes the route away', () => {
    const denied = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: ['iam:*', 'sts:*', 'sso:*', 'identitystore:*', 'lambda:*', 'ec2:*', 'ecs:*', 'glue:*', 'cloudformation:*', 'datapipeline:*', 'sagemaker:*', 'codebuild:*'], Resource: '*' });
    // Not the default config: its inlineAdmin matcher would class `*` admin by name.
    const only = resolveConfig({ permissionSetTiers: {} }, null);
    expect(classifyPermissionSet(only, set({ inlinePolicy: denied }))).toBe('standard');
    expect(classifyPermissionSet(only, set({ inlinePolicy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }))).toBe('admin');
  });

  it('a permissions boundary that does not allow iam:* lowers it back to the default tier', () => {
    const d = classifyPermissionSetWithReason(
      config,
      set({ inlinePolicy: passRoleLambda, permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess', customerManagedPolicy: null } }),
    );
    expect(d.tier).toBe('standard');
    expect(d.reason).toContain('its permissions boundary blocks the ones its policies allow');
  });

  it('a boundary whose document is unknown is said, never read as limiting or as safe', () => {
    const boundary = { managedPolicyArn: null, customerManagedPolicy: { name: 'DevBoundary', path: '/' } };
    const raised = classifyPermissionSetWithReason(config, set({ inlinePolicy: passRoleLambda, permissionsBoundary: boundary }));
    expect(raised.tier).toBe('admin');
    expect(raised.reason).toContain('its permissions boundary could not be evaluated');
    const kept = classifyPermissionSetWithReason(config, set({ inlinePolicy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), permissionsBoundary: boundary }));
    expect(kept.tier).toBe('standard');
    expect(kept.reason).toContain('capability unknown: permissions boundary DevBoundary');
  });

  it('a configured tier wins, with the route to admin still named', () => {
    const named = resolveConfig({ permissionSetTiers: { 'read-only': { names: ['ReadOnly*'] } } }, null);
    const d = classifyPermissionSetWithReason(named, set({ inlinePolicy: passRoleLambda }));
    expect(d.tier).toBe('read-only');
    expect(d.reason).toMatch(/^configured: its name matches permissionSetTiers\.read-only; yet iam:PassRole \+ lambda:CreateFunction allowed/);
  });

  it('an unknown managed policy or a customer managed one: capability unknown, tier kept', () => {
    const d = classifyPermissionSetWithReason(
      config,
      set({ managedPolicies: [managed('AmazonRedshiftFullAccess')], customerManagedPolicies: [{ name: 'DataLakeBucketAccess', path: '/' }] }),
    );
    expect(d.tier).toBe('standard');
    expect(d.reason).toBe(
      'default tier; capability unknown: managed policy AmazonRedshiftFullAccess (its document is not in the snapshot); customer managed policy DataLakeBucketAccess (its document is not in the snapshot)',
    );
    expect(d.reason).not.toMatch(/no route to admin is allowed/);
  });

  it('an inline policy it cannot read is unknown, not harmless', () => {
    const d = classifyPermissionSetWithReason(config, set({ inlinePolicy: '{"Statement": [{"Effect": "Allow", "Action": 7, "Resource": "*"}]}' }));
    expect(d).toEqual({ tier: 'standard', reason: expect.stringContaining('capability unknown: the inline policy') });
  });

  it('well-known AWS managed policies: Lambda full access is a route (under conditions), ReadOnlyAccess is none', () => {
    const lambda = classifyPermissionSetWithReason(config, set({ managedPolicies: [managed('AWSLambda_FullAccess')] }));
    expect(lambda.tier).toBe('admin');
    expect(lambda.reason).toMatch(/^iam:PassRole \+ lambda:CreateFunction allowed by AWS managed policy AWSLambda_FullAccess \(under conditions\)/);
    const only = resolveConfig({ permissionSetTiers: {} }, null);
    expect(classifyPermissionSetWithReason(only, set({ managedPolicies: [managed('ReadOnlyAccess')] }))).toEqual({
      tier: 'standard',
      reason: 'default tier: no configured tier matches and no route to admin is allowed by AWS managed policy ReadOnlyAccess',
    });
    expect(classifyPermissionSet(only, set({ managedPolicies: [managed('PowerUserAccess')] }))).toBe('admin');
  });

  it('is decided once per permission set', () => {
    const ps = set({ inlinePolicy: passRoleLambda });
    expect(classifyPermissionSetWithReason(config, ps)).toBe(classifyPermissionSetWithReason(config, ps));
  });
});

describe('the policy evaluation', () => {
  it('matches IAM wildcards in linear time on hostile text', () => {
    expect(wildcardMatch('iam:put*policy', 'iam:putrolepolicy')).toBe(true);
    expect(wildcardMatch('iam:?ut*', 'iam:put')).toBe(true);
    expect(wildcardMatch('iam:put*x', 'iam:putrolepolicy')).toBe(false);
    const start = Date.now();
    expect(wildcardMatch(`${'*a'.repeat(2000)}b`, 'a'.repeat(20000))).toBe(false);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('NotAction and NotResource, conditions and policy variables', () => {
    const st = parsePolicy(policy(
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' },
      { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
    ))!;
    const at = (action: string, resource: string) => evaluatePolicy(st, { action, resource });
    expect(at('lambda:CreateFunction', 'arn:aws:lambda:us-east-1:0:function:f')).toBe('allow');
    expect(at('iam:PassRole', 'arn:aws:iam::0:role/r')).toBe('none');
    expect(at('iam:CreateAccessKey', 'arn:aws:iam::0:user/someone-else')).toBe('none');
    expect(at('iam:PutRolePolicy', 'arn:aws:iam::0:role/r')).toBe('allow-conditional');
    // A conditional Deny may not apply: the Allow stands.
    expect(at('sts:AssumeRole', 'arn:aws:iam::0:role/r')).toBe('allow');
    expect(at('*', '*')).toBe('none');
  });

  it('the built-in AWS managed policy table is what the policies\' documents say', () => {
    const dir = new URL('./fixtures/aws-managed-policies/', import.meta.url);
    const recomputed: Record<string, unknown> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const { arn, versionId, document } = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      const statements = parsePolicy(JSON.stringify(document));
      expect(statements, arn).not.toBeNull();
      const of = (v: string) => PROBES.filter((p) => evaluatePolicy(statements!, p) === v).map(probeKey);
      recomputed[arn] = { version: versionId, allow: of('allow'), allowConditional: of('allow-conditional'), deny: of('deny') };
    }
    expect(AWS_MANAGED_POLICY_VERDICTS).toEqual(recomputed);
    expect(AWS_MANAGED_POLICY_VERDICTS['arn:aws:iam::aws:policy/AdministratorAccess']!.allow).toContain('* on *');
  });

  it('escalationCapability names what it evaluated', () => {
    const c = escalationCapability(set({ inlinePolicy: passRoleLambda, managedPolicies: [managed('ReadOnlyAccess')] }));
    expect(c.evaluated).toEqual(['the inline policy', 'AWS managed policy ReadOnlyAccess']);
    expect(c.unknown).toEqual([]);
  });
});

describe('the demo', () => {
  it('each permission set resource says why it has its tier; a capability-raised set is admin on its paths too', () => {
    const before = analyzeDemo();
    const reasons = Object.fromEntries(before.resources.permissionSets!.map((i) => [i.data.name, [i.data.tier, i.data.tierReason]]));
    expect(reasons).toEqual({
      AdministratorAccess: ['admin', 'configured: its managed policy AdministratorAccess matches permissionSetTiers.admin'],
      EC2AdminAccess: ['standard', 'default tier: no configured tier matches and no route to admin is allowed by AWS managed policy AmazonEC2FullAccess'],
      ReadOnlyAccess: ['read-only', 'configured: its managed policy ReadOnlyAccess matches permissionSetTiers.read-only'],
      PowerUser: ['admin', 'configured: its managed policy PowerUserAccess matches permissionSetTiers.admin'],
      DataEngineer: [
        'standard',
        'default tier; capability unknown: customer managed policy DataLakeBucketAccess (its document is not in the snapshot); no route to admin found in AWS managed policy AmazonAthenaFullAccess',
      ],
      PlatformBreakFix: ['admin', 'configured: its inline policy (inlineAdmin) matches permissionSetTiers.admin'],
    });
    const after = analyzeDemo((s) => {
      const ec2 = s.aws.permissionSets.data!.find((ps) => ps.name === 'EC2AdminAccess')!;
      ec2.inlinePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] });
    });
    const item = after.resources.permissionSets!.find((i) => i.data.name === 'EC2AdminAccess')!;
    expect(item.data.tier).toBe('admin');
    expect(item.data.tierReason).toMatch(/^iam:PassRole \+ ec2:RunInstances allowed by the inline policy and AWS managed policy AmazonEC2FullAccess: /);
    const paths = after.accessPaths.filter((p) => p.permissionSet.name === 'EC2AdminAccess');
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.permissionSet.tier === 'admin')).toBe(true);
  });
});

describe('service control policies (scpDecision, routeCapability with an SCP set)', () => {
  const org = (name: string) => JSON.parse(readFileSync(`test/fixtures/aws/organizations/${name}`, 'utf8'));
  // The AWS CLI sample's DescribePolicy Content: Allow * on * (what FullAWSAccess says too).
  const allowAll = { name: 'FullAWSAccess', statements: parsePolicy(org('describe-policy.cli.json').Policy.Content) };
  const denyIc = { name: 'DenyIC', statements: parsePolicy(policy({ Effect: 'Deny', Action: ['sso:*', 'identitystore:*'], Resource: '*' })) };
  const scps = (...levels: { name: string; statements: ReturnType<typeof parsePolicy> }[][]) => ({
    accountId: '222222222222',
    levels: levels.map((policies, i) => ({ label: i === 0 ? 'the root r-1' : i === levels.length - 1 ? 'the account 222222222222' : `OU ou-${i}`, policies })),
  });
  const assign = { action: 'sso:CreateAccountAssignment', resource: 'arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000' };

  it('every level must allow (FullAWSAccess), and an unconditional Deny at any level stops it', () => {
    expect(scpDecision(scps([allowAll], [allowAll], [allowAll]), assign)).toEqual({ passes: true, notes: [] });
    expect(scpDecision(scps([allowAll], [allowAll, denyIc], [allowAll]), assign)).toEqual({ passes: false, why: 'denied by SCP DenyIC at OU ou-1' });
    const ec2Only = { name: 'AllowAllEC2Actions', statements: parsePolicy(policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })) };
    expect(scpDecision(scps([allowAll], [ec2Only], [allowAll]), assign)).toEqual({ passes: false, why: 'no SCP at OU ou-1 allows it' });
  });

  it('NotAction in a Deny: what it does not name is denied', () => {
    const onlyReads = { name: 'DenyAllButReads', statements: parsePolicy(policy({ Effect: 'Deny', NotAction: ['*:Get*', '*:List*', '*:Describe*'], Resource: '*' })) };
    expect(scpDecision(scps([allowAll, onlyReads], [allowAll]), assign).passes).toBe(false);
    expect(scpDecision(scps([allowAll, onlyReads], [allowAll]), { action: 'sso:ListInstances', resource: '*' }).passes).toBe(true);
  });

  it("a Deny under a condition (the AWS example's admin-role exception) or an unreadable SCP does not stop it, and says so", () => {
    const exception = { name: 'DenyAccessWithException', statements: parsePolicy(JSON.stringify(org('scp-deny-with-exception.json'))) };
    const putRole = { action: 'iam:PutRolePolicy', resource: 'arn:aws:iam::000000000000:role/name-of-role-to-deny' };
    expect(scpDecision(scps([allowAll, exception], [allowAll]), putRole)).toEqual({ passes: true, notes: ['SCP DenyAccessWithException at the root r-1 denies it under a condition this evaluation cannot judge'] });
    expect(scpDecision(scps([{ name: 'Broken', statements: null }], [allowAll]), assign)).toEqual({ passes: true, notes: ['SCP Broken at the root r-1 could not be read (it may not allow it)'] });
  });

  it('routeCapability: an SCP takes a route away and the next allowed route names it; all taken away is no route', () => {
    const admin = { identity: [{ label: 'inline policy admin', verdict: (p: { action: string; resource: string }) => evaluatePolicy(parsePolicy(policy({ Effect: 'Allow', Action: '*', Resource: '*' }))!, p) }], boundary: null, unknown: [] };
    const icOnly = { ...admin, identity: [{ label: 'inline policy ic', verdict: (p: { action: string; resource: string }) => evaluatePolicy(parsePolicy(policy({ Effect: 'Allow', Action: ['sso:*', 'identitystore:*'], Resource: '*' }))!, p) }] };
    const denied = scps([allowAll], [allowAll, denyIc], [allowAll]);
    const a = routeCapability({ ...admin, scp: denied }, IDENTITY_CENTER_ROUTES);
    expect(a.escalation).toMatch(/^iam:PutRolePolicy allowed by inline policy admin: .*; service control policies took away \* on \* \(denied by SCP DenyIC at OU ou-1\), sso:CreateAccountAssignment \(denied by SCP DenyIC at OU ou-1\)/);
    expect(routeCapability({ ...icOnly, scp: denied }, IDENTITY_CENTER_ROUTES)).toMatchObject({ escalation: null, unknown: [] });
    expect(routeCapability({ ...icOnly, scp: denied }, IDENTITY_CENTER_ROUTES).scpRemoved).toHaveLength(7);
    // Without SCPs (the management account): unchanged.
    expect(routeCapability(icOnly, IDENTITY_CENTER_ROUTES).escalation).toMatch(/^sso:CreateAccountAssignment allowed by inline policy ic/);
    expect(scpStopsEveryRoute(scps([allowAll], [{ name: 'DenyAll', statements: parsePolicy(policy({ Effect: 'Deny', Action: '*', Resource: '*' })) }]), IDENTITY_CENTER_ROUTES)).toBe(true);
    expect(scpStopsEveryRoute(denied, IDENTITY_CENTER_ROUTES)).toBe(false);
  });
});
