// Who can get around Identity Center on the AWS side: the control plane (IAM principals of the
// management account and of the Identity Center delegated administrator) and resource policies that
// let Identity Center roles or anyone in. Normalisers on real AWS samples; the collector against the
// fake AWS (paging, throttling, refusals per account); read-only; older snapshots still load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GetAccountAuthorizationDetailsResponse } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { iamAction } from '../src/collect/aws/clients.js';
import { decodePolicyDocument, normaliseAuthorizationDetails, usedManagedPolicies } from '../src/collect/aws/control-plane.js';
import { AWS_OPERATIONS, type OperationName } from '../src/collect/aws/operations.js';
import { decodeApiGatewayPolicy, matchingStatements, resourcePolicyConfig, statementReasons } from '../src/collect/aws/resource-policies.js';
import type { ConfigFile } from '../src/model/config.js';
import { presentSections, type Snapshot } from '../src/model/snapshot-schema.js';
import { asSnapshot, isReadOnly, policyActions, collectFromFake } from './helpers/aws.js';
import { ROOT } from './helpers/demo.js';
import type { AwsScenario } from './fake-cloud/aws/scenario.js';
import { DEV, IC_REGION, MGMT, PROD, e2eScenario } from './fake-cloud/aws/scenarios.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/aws', name), 'utf8')) as Record<string, unknown>;

/** The CLI's sample back in the SDK's shape: documents URL-encoded as on the wire, lists as lists. */
function asSdk(cli: Record<string, unknown>): GetAccountAuthorizationDetailsResponse {
  const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
  const inline = (list: { PolicyName: string; PolicyDocument: unknown }[]) => list.map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: enc(p.PolicyDocument) }));
  // The CLI sample is untyped JSON: reshaped field by field below.
  type Any = Record<string, any>;
  return {
    UserDetailList: (cli.UserDetailList as Any[]).map((u) => ({ ...u, CreateDate: new Date(u.CreateDate), UserPolicyList: inline(u.UserPolicyList) })),
    RoleDetailList: (cli.RoleDetailList as Any[]).map((r) => ({ ...r, CreateDate: new Date(r.CreateDate), InstanceProfileList: [], AssumeRolePolicyDocument: enc(r.AssumeRolePolicyDocument), RolePolicyList: inline(r.RolePolicyList) })),
    GroupDetailList: (cli.GroupDetailList as Any[]).map((g) => ({ ...g, CreateDate: new Date(g.CreateDate), AttachedManagedPolicies: [g.AttachedManagedPolicies].flat(), GroupPolicyList: inline(g.GroupPolicyList) })),
    Policies: (cli.Policies as Any[]).map((p) => ({ ...p, CreateDate: new Date(p.CreateDate), UpdateDate: new Date(p.UpdateDate), PolicyVersionList: (p.PolicyVersionList as Any[]).map((v) => ({ ...v, CreateDate: new Date(v.CreateDate), Document: enc(v.Document) })) })),
    IsTruncated: cli.IsTruncated as boolean,
    Marker: cli.Marker as string,
  };
}

describe('control-plane normaliser on the AWS sample', () => {
  const cli = fixture('get-account-authorization-details.cli.json');
  const d = normaliseAuthorizationDetails([asSdk(cli)]);

  it('keeps users and roles with groups, attached policies, inline documents decoded and the trust policy', () => {
    expect(d.principals.map((p) => [p.type, p.name])).toEqual([
      ['role', 'EC2role'],
      ['user', 'Alice'],
      ['user', 'Bob'],
      ['user', 'Charlie'],
    ]);
    const bob = d.principals.find((p) => p.name === 'Bob')!;
    expect(bob).toMatchObject({ id: 'AIDACKCEVSQ6C3EXAMPLE', arn: 'arn:aws:iam::123456789012:user/Bob', groups: ['Admins'], trustPolicy: null, permissionSetRole: false, permissionsBoundaryArn: null });
    expect(JSON.parse(bob.inlinePolicies[0]!.document)).toEqual((cli.UserDetailList as { UserPolicyList: { PolicyDocument: unknown }[] }[])[1]!.UserPolicyList[0]!.PolicyDocument);
    const role = d.principals.find((p) => p.name === 'EC2role')!;
    expect(role.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess', 'arn:aws:iam::aws:policy/AmazonS3FullAccess']);
    expect(JSON.parse(role.trustPolicy!)).toMatchObject({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  });

  it('keeps groups and the default version of each managed policy', () => {
    expect(d.groups.map((g) => [g.name, g.attachedPolicyArns])).toEqual([
      ['Admins', ['arn:aws:iam::aws:policy/AdministratorAccess']],
      ['Dev', ['arn:aws:iam::aws:policy/PowerUserAccess']],
      ['Finance', []],
    ]);
    expect(JSON.parse(d.groups[2]!.inlinePolicies[0]!.document)).toMatchObject({ Statement: [{ Action: 'aws-portal:*' }] });
    expect(d.managedPolicies.map((p) => [p.arn, p.defaultVersionId])).toEqual([
      ['arn:aws:iam::123456789012:policy/S3-read-only-specific-bucket', 'v1'],
      ['arn:aws:iam::123456789012:policy/create-update-delete-set-managed-policies', 'v1'],
      ['arn:aws:iam::aws:policy/AmazonEC2FullAccess', 'v1'],
    ]);
    expect(JSON.parse(d.managedPolicies[1]!.document!).Statement.Action).toContain('iam:SetDefaultPolicyVersion');
  });

  it('keeps only the managed policies in use, and an attached one the answer lacks as an unknown document', () => {
    const used = usedManagedPolicies([{ principals: d.principals, groups: d.groups }], d.managedPolicies);
    expect(used.map((p) => [p.arn, p.document === null])).toEqual([
      ['arn:aws:iam::aws:policy/AdministratorAccess', true],
      ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess', true],
      ['arn:aws:iam::aws:policy/AmazonS3FullAccess', true],
      ['arn:aws:iam::aws:policy/PowerUserAccess', true],
    ]);
  });

  it('marks AWSReservedSSO_ roles as permission-set roles', () => {
    const page = asSdk(cli);
    page.RoleDetailList = [{ ...page.RoleDetailList![0]!, RoleName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef', Path: '/aws-reserved/sso.amazonaws.com/' }];
    expect(normaliseAuthorizationDetails([page]).principals.find((p) => p.type === 'role')!.permissionSetRole).toBe(true);
  });

  it('refuses a document that is not URL-encoded instead of guessing', () => {
    expect(() => decodePolicyDocument('%E0%A4%A', 'user x')).toThrow(/not URL-encoded/);
  });
});

describe('resource-policy normalisers on the AWS samples', () => {
  it('Lambda GetPolicy: a service principal does not matter; an Identity Center role or anyone does', () => {
    const { Policy } = fixture('lambda-get-policy.json') as { Policy: string };
    expect(matchingStatements(Policy, 'function test')).toEqual([]);
    const sso = JSON.parse(Policy);
    sso.Statement[0].Principal = { AWS: ['arn:aws:iam::123456789102:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef'] };
    expect(matchingStatements(JSON.stringify(sso), 'f')[0]!.reasons).toEqual(['identityCenterRole']);
  });

  it('API Gateway GetRestApis: unescapes the policy string and finds the wildcard principal', () => {
    const { items } = fixture('apigateway-get-rest-apis.json') as { items: { policy?: string }[] };
    const doc = decodeApiGatewayPolicy(items[0]!.policy!, 'api xxx');
    expect(JSON.parse(doc)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] });
    expect(matchingStatements(doc, 'api')[0]!.reasons).toEqual(['wildcardPrincipal']);
    expect(items[1]!.policy).toBeUndefined();
    // Slashes come escaped too ("arn:…\/*\/*"); plain JSON passes as it is.
    expect(JSON.parse(decodeApiGatewayPolicy('{\\"Resource\\":\\"arn:aws:execute-api:us-west-2:111111111111:a\\/*\\/*\\"}', 'api')).Resource).toBe('arn:aws:execute-api:us-west-2:111111111111:a/*/*');
    expect(decodeApiGatewayPolicy('{"Statement":[]}', 'api')).toBe('{"Statement":[]}');
  });

  it('recognises aws:PrincipalArn and aws:userid conditions, in any case, and nothing else', () => {
    const cond = (key: string, value: unknown) => ({ Effect: 'Allow', Principal: '*', Condition: { ArnLike: { [key]: value } } });
    expect(statementReasons(cond('aws:PrincipalArn', 'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*'))).toEqual(['identityCenterRole', 'wildcardPrincipal']);
    expect(statementReasons(cond('AWS:UserId', ['AROAEXAMPLE:AWSReservedSSO_x']))).toEqual(['identityCenterRole', 'wildcardPrincipal']);
    expect(statementReasons(cond('aws:SourceArn', 'AWSReservedSSO_'))).toEqual(['wildcardPrincipal']);
    const onRole = (key: string, value: unknown) => ({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/ci' }, Condition: { ArnLike: { [key]: value } } });
    expect(statementReasons(onRole('aws:PrincipalArn', 'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*'))).toEqual(['identityCenterRole']);
    expect(statementReasons(onRole('aws:SourceArn', 'AWSReservedSSO_'))).toEqual([]);
    // A role named by its unique id (the re:Post answer's "AROAABCDEFGHIJ:*"): it may be a permission set's role.
    expect(statementReasons({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Condition: { StringLike: { 'aws:userid': 'AROAABCDEFGHIJ:*' } } })).toEqual(['accountPrincipal', 'identityCenterRole']);
    // A whole account is kept whatever narrows it: the analysis judges the conditions (an IAM user's id lets no role in).
    expect(statementReasons({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Condition: { StringLike: { 'aws:userid': 'AIDAEXAMPLE' } } })).toEqual(['accountPrincipal']);
    expect(statementReasons({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })).toEqual(['accountPrincipal']);
    expect(statementReasons({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:user/ci' } })).toEqual([]);
    expect(statementReasons({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] } })).toEqual(['wildcardPrincipal']);
    expect(() => matchingStatements('not json', 'f')).toThrow(/not JSON/);
  });

  it('reads the config defensively: absent = not asked for, wrong = an error, never a guess', () => {
    expect(resourcePolicyConfig(undefined)).toBeNull();
    expect(resourcePolicyConfig({ cloudTrailRegions: ['eu-west-1'] })).toBeNull();
    expect(resourcePolicyConfig({ resourcePolicyRegions: ['eu-west-1', 'eu-west-1', 'us-east-1'] })).toEqual({ regions: ['eu-west-1', 'us-east-1'], accounts: null });
    expect(resourcePolicyConfig({ resourcePolicyRegions: 'eu-west-1' })).toMatchObject({ error: expect.stringMatching(/resourcePolicyRegions/) });
    expect(resourcePolicyConfig({ resourcePolicyRegions: ['eu-west-1'], resourcePolicyAccounts: ['12'] })).toMatchObject({ error: expect.stringMatching(/resourcePolicyAccounts/) });
  });
});

const SSO_ROLE = (account: string, ps: string) => `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${IC_REGION}/AWSReservedSSO_${ps}_0123456789abcdef`;

function scenario(): AwsScenario {
  const s = e2eScenario();
  s.delegatedAdministrators = [DEV];
  s.authorizationDetails = {
    [MGMT]: {
      users: [{ name: 'breakglass-1', groups: ['Admins'], inline: { NoBilling: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' }] } } }],
      groups: [{ name: 'Admins', attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }],
      roles: [
        { name: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef', path: `/aws-reserved/sso.amazonaws.com/${IC_REGION}/`, trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${MGMT}:saml-provider/AWSSSO_0123_DO_NOT_DELETE` }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'] }] }, attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        { name: 'IdentityCenterPipeline', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${MGMT}:oidc-provider/token.actions.githubusercontent.com` }, Action: 'sts:AssumeRoleWithWebIdentity' }] }, attached: [`arn:aws:iam::${MGMT}:policy/SsoAdmin`], boundary: `arn:aws:iam::${MGMT}:policy/Boundary` },
      ],
      policies: [
        { arn: `arn:aws:iam::${MGMT}:policy/SsoAdmin`, versions: 3, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sso:*', 'identitystore:*'], Resource: '*' }] } },
        { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        { arn: 'arn:aws:iam::aws:policy/AmazonEC2FullAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } },
      ],
    },
    [DEV]: {
      roles: [{ name: 'IdentityCenterDelegatedAdmin', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 'sts:AssumeRole' }] }, inline: { Sso: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sso:CreateAccountAssignment', Resource: '*' }] } } }],
    },
  };
  // The delegated administrator (DEV, in Workloads/Dev): FullAWSAccess everywhere, and Workloads denies
  // changes to Identity Center.
  s.serviceControlPolicies = {
    policies: [{ id: 'p-denysso0001', name: 'DenyIdentityCenterWrites', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['sso:Create*', 'sso:Put*', 'sso:Attach*', 'sso:Delete*', 'identitystore:*'], Resource: '*' }] } }],
    attachments: { 'r-ab12': ['p-FullAWSAccess'], 'ou-ab12-work0001': ['p-FullAWSAccess', 'p-denysso0001'], 'ou-ab12-dev00001': ['p-FullAWSAccess'], [DEV]: ['p-FullAWSAccess'] },
  };
  s.lambdaFunctions = {
    [`${PROD}|${IC_REGION}`]: [
      { name: 'payouts', policy: { Version: '2012-10-17', Id: 'default', Statement: [{ Sid: 'sso', Effect: 'Allow', Principal: { AWS: SSO_ROLE(PROD, 'Developers') }, Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:${IC_REGION}:${PROD}:function:payouts` }, { Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: '*' }] } },
      { name: 'reports', policy: { Version: '2012-10-17', Id: 'default', Statement: [{ Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: '*' }] } },
      { name: 'no-policy' },
    ],
  };
  s.restApis = {
    [`${PROD}|${IC_REGION}`]: [
      { id: 'a1b2c3d4e5', name: 'public', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${IC_REGION}:${PROD}:a1b2c3d4e5/*/*` }] } },
      { id: 'f6g7h8i9j0', name: 'private' },
      { id: 'k1l2m3n4o5', name: 'internal' },
    ],
  };
  s.faults = {
    ...s.faults,
    throttleFirst: { ...s.faults?.throttleFirst, 'iam:GetAccountAuthorizationDetails': 2, 'lambda:GetPolicy': 1, 'apigateway:GetRestApis': 1 },
    deny: [...(s.faults?.deny ?? []), { operation: 'lambda:ListFunctions', account: DEV }],
  };
  return s;
}

const CONFIG = {
  aws: { identityCenterRegion: IC_REGION, memberAccountRoleName: 'JitAuditReadOnly', resourcePolicyRegions: [IC_REGION], resourcePolicyAccounts: [PROD, DEV] },
  breakglass: { users: [{ account: MGMT, userName: 'breakglass-1' }] },
} as unknown as ConfigFile;

describe('collectAws: control plane and resource policies against the fake AWS', () => {
  const collected = collectFromFake(scenario(), CONFIG);

  it('writes both sections, and the snapshot schema accepts them', () => {
    expect(collected.aws.controlPlane!.provenance.status).toBe('collected');
    expect(collected.aws.resourcePolicies!.provenance.status).toBe('collected');
    const snapshot = asSnapshot(collected.aws);
    expect(presentSections(snapshot).map((s) => s.path).filter((p) => p === 'aws.controlPlane' || p === 'aws.resourcePolicies')).toEqual(['aws.controlPlane', 'aws.resourcePolicies']);
  });

  it('reads the management account with its own credentials and the delegated administrator through the member role', () => {
    const cp = collected.aws.controlPlane!.data!;
    expect(cp.managementAccountId).toBe(MGMT);
    expect(cp.delegatedAdministrators).toMatchObject({ provenance: { status: 'collected' }, accountIds: [DEV] });
    expect(cp.accounts.map((a) => [a.accountId, a.roles, a.scpExempt, a.provenance.status === 'collected' && a.provenance.source])).toEqual([
      [MGMT, ['management'], true, 'iam:GetAccountAuthorizationDetails (caller credentials)'],
      [DEV, ['delegatedAdministrator'], false, 'iam:GetAccountAuthorizationDetails (role JitAuditReadOnly)'],
    ]);
    expect(collected.fake.calls.some((c) => c.operation === 'organizations:ListDelegatedAdministrators' && c.params.ServicePrincipal === 'sso.amazonaws.com')).toBe(true);
  });

  it("reads the delegated administrator's SCPs from the root down (ListParents, ListPoliciesForTarget, DescribePolicy once per policy); none for the management account", () => {
    const [mgmt, dev] = collected.aws.controlPlane!.data!.accounts;
    expect(mgmt!.serviceControlPolicies).toBeUndefined();
    const scps = dev!.serviceControlPolicies!;
    expect(scps.provenance.status).toBe('collected');
    expect(scps.targets!.map((t) => [t.targetId, t.type, t.policies.map((p) => p.name)])).toEqual([
      ['r-ab12', 'ROOT', ['FullAWSAccess']],
      // Sorted by policy id (p-FullAWSAccess before p-denysso0001).
      ['ou-ab12-work0001', 'ORGANIZATIONAL_UNIT', ['FullAWSAccess', 'DenyIdentityCenterWrites']],
      ['ou-ab12-dev00001', 'ORGANIZATIONAL_UNIT', ['FullAWSAccess']],
      [DEV, 'ACCOUNT', ['FullAWSAccess']],
    ]);
    expect(scps.targets![0]!.policies[0]).toMatchObject({ id: 'p-FullAWSAccess', awsManaged: true });
    expect(JSON.parse(scps.targets![1]!.policies[1]!.content!)).toMatchObject({ Statement: [{ Effect: 'Deny' }] });
    // The scenario answers an empty first page with a NextToken (as Organizations may): each is followed.
    expect([...new Set(collected.fake.calls.filter((c) => c.operation === 'organizations:ListParents' && !c.error).map((c) => c.params.ChildId))]).toEqual([DEV, 'ou-ab12-dev00001', 'ou-ab12-work0001']);
    expect(collected.fake.calls.filter((c) => c.operation === 'organizations:ListPoliciesForTarget').every((c) => c.params.Filter === 'SERVICE_CONTROL_POLICY')).toBe(true);
    expect(collected.fake.calls.filter((c) => c.operation === 'organizations:DescribePolicy' && !c.error).map((c) => c.params.PolicyId).sort()).toEqual(['p-FullAWSAccess', 'p-denysso0001']);
  });

  it('keeps every principal with its policies, through pages of 2 and throttling', () => {
    const mgmt = collected.aws.controlPlane!.data!.accounts[0]!;
    expect(mgmt.principals!.map((p) => [p.type, p.name, p.permissionSetRole])).toEqual([
      // Sorted by ARN: role/IdentityCenterPipeline before role/aws-reserved/….
      ['role', 'IdentityCenterPipeline', false],
      ['role', 'AWSReservedSSO_AdministratorAccess_0123456789abcdef', true],
      ['user', 'breakglass-1', false],
    ]);
    const pipeline = mgmt.principals![0]!;
    expect(pipeline).toMatchObject({ attachedPolicyArns: [`arn:aws:iam::${MGMT}:policy/SsoAdmin`], permissionsBoundaryArn: `arn:aws:iam::${MGMT}:policy/Boundary` });
    expect(JSON.parse(pipeline.trustPolicy!).Statement[0].Principal.Federated).toMatch(/token\.actions\.githubusercontent\.com/);
    expect(mgmt.principals![2]).toMatchObject({ groups: ['Admins'], inlinePolicies: [{ name: 'NoBilling' }] });
    expect(mgmt.groups!.map((g) => g.name)).toEqual(['Admins']);
    // 7 entities in pages of 2 → 4 pages, plus the 2 throttled attempts retried by the SDK.
    const mgmtCalls = collected.fake.calls.filter((c) => c.operation === 'iam:GetAccountAuthorizationDetails' && c.account === MGMT);
    expect(mgmtCalls.filter((c) => !c.error)).toHaveLength(4);
    expect(mgmtCalls[0]!.params).toMatchObject({ 'Filter.member.1': 'User', 'Filter.member.2': 'Role', 'Filter.member.3': 'Group', 'Filter.member.4': 'LocalManagedPolicy', 'Filter.member.5': 'AWSManagedPolicy' });
    expect(collected.fake.calls.filter((c) => c.operation === 'iam:GetAccountAuthorizationDetails' && c.error === 'Throttling')).toHaveLength(2);
  });

  it('keeps managed policies once per ARN, the default version only, and only those in use', () => {
    const cp = collected.aws.controlPlane!.data!;
    expect(cp.managedPolicies.map((p) => [p.arn, p.defaultVersionId])).toEqual([
      [`arn:aws:iam::${MGMT}:policy/Boundary`, null],
      [`arn:aws:iam::${MGMT}:policy/SsoAdmin`, 'v3'],
      ['arn:aws:iam::aws:policy/AdministratorAccess', 'v1'],
    ]);
    expect(JSON.parse(cp.managedPolicies[1]!.document!)).toMatchObject({ Statement: [{ Action: ['sso:*', 'identitystore:*'] }] });
    expect(cp.managedPolicies[0]!.document).toBeNull();
  });

  it('keeps only the statements that let Identity Center roles or anyone in, with the resource ARN', () => {
    const rp = collected.aws.resourcePolicies!.data!;
    expect(rp.regions).toEqual([IC_REGION]);
    expect(rp.policies.map((p) => [p.service, p.resourceArn, p.statements.map((s) => s.reasons)])).toEqual([
      ['apigateway', `arn:aws:apigateway:${IC_REGION}::/restapis/a1b2c3d4e5`, [['wildcardPrincipal']]],
      ['lambda', `arn:aws:lambda:${IC_REGION}:${PROD}:function:payouts`, [['identityCenterRole']]],
    ]);
    expect(JSON.parse(rp.policies[1]!.statements[0]!.statement)).toMatchObject({ Sid: 'sso' });
    // 3 functions in pages of 2; GetPolicy for each (one throttled, retried; one ResourceNotFoundException).
    expect(collected.fake.calls.filter((c) => c.operation === 'lambda:ListFunctions' && c.account === PROD)).toHaveLength(2);
    expect(collected.fake.calls.filter((c) => c.operation === 'lambda:GetPolicy' && c.error === 'ResourceNotFoundException').map((c) => c.params.FunctionName)).toEqual(['no-policy']);
    expect(collected.fake.calls.filter((c) => c.operation === 'apigateway:GetRestApis' && c.account === PROD && !c.error)).toHaveLength(2);
  });

  it('records each account, Region and service on its own: a refusal in one is missing there only', () => {
    const scopes = collected.aws.resourcePolicies!.data!.scopes.map((s) => [s.accountId, s.service, s.provenance.status, s.resourcesRead]);
    expect(scopes).toEqual([
      [PROD, 'apigateway', 'collected', 3],
      [PROD, 'lambda', 'collected', 3],
      [DEV, 'apigateway', 'collected', 0],
      [DEV, 'lambda', 'missing', null],
    ]);
    const denied = collected.aws.resourcePolicies!.data!.scopes[3]!.provenance;
    expect(denied).toMatchObject({ status: 'missing', error: { code: 'AccessDeniedException', status: 403 }, fix: expect.stringMatching(/lambda:ListFunctions/) });
  });

  it('calls only listed, read-only operations, each granted by the policy of the identity that made it', () => {
    const auditor = policyActions('auditor-role.json');
    const member = policyActions('member-account-role.json');
    const newOps = ['organizations:ListDelegatedAdministrators', 'organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:DescribePolicy', 'iam:GetAccountAuthorizationDetails', 'lambda:ListFunctions', 'lambda:GetPolicy', 'apigateway:GetRestApis'];
    for (const op of newOps) {
      expect(Object.keys(AWS_OPERATIONS)).toContain(op);
      expect(op.split(':')[1]).toMatch(/^(List|Get|Describe|Lookup)[A-Z]/);
      expect(collected.fake.count(op), op).toBeGreaterThan(0);
    }
    expect(iamAction('apigateway:GetRestApis')).toBe('apigateway:GET');
    for (const call of collected.fake.calls) {
      expect(Object.keys(AWS_OPERATIONS), call.operation).toContain(call.operation);
      const action = iamAction(call.operation as OperationName);
      expect(isReadOnly(action), action).toBe(true);
      expect(call.account === MGMT ? auditor : member, `${action} in ${call.account}`).toContain(action);
    }
  });
});

describe('collectAws: the control plane when parts are refused, resource policies not asked for', () => {
  const s = scenario();
  s.faults = { deny: [{ operation: 'organizations:ListDelegatedAdministrators' }, { operation: 'iam:GetAccountAuthorizationDetails', account: MGMT }] };
  const events: string[] = [];
  const collected = collectFromFake(s, { aws: { identityCenterRegion: IC_REGION } }, events);

  const refused = scenario();
  refused.faults = { deny: [{ operation: 'organizations:DescribePolicy' }] };
  const scpRefused = collectFromFake(refused, { aws: { identityCenterRegion: IC_REGION } });
  it("records the delegated administrator's SCPs as missing when a policy cannot be read, never as none", () => {
    const dev = scpRefused.aws.controlPlane!.data!.accounts.find((a) => a.accountId === DEV)!;
    expect(dev.serviceControlPolicies).toMatchObject({ provenance: { status: 'missing', error: { code: 'AccessDeniedException' } }, targets: null });
    // The principals are still read: only the SCPs are unknown.
    expect(dev.provenance.status).toBe('collected');
    expect(() => asSnapshot(scpRefused.aws)).not.toThrow();
  });

  it('says the delegated administrator is unknown and the management account missing, never "no one"', () => {
    const cp = collected.aws.controlPlane!.data!;
    expect(cp.delegatedAdministrators).toMatchObject({ provenance: { status: 'missing', error: { code: 'AccessDeniedException' } }, accountIds: null });
    expect(cp.accounts).toEqual([
      expect.objectContaining({ accountId: MGMT, principals: null, groups: null, provenance: expect.objectContaining({ status: 'missing', fix: expect.stringMatching(/iam:GetAccountAuthorizationDetails/) }) }),
    ]);
  });

  it('leaves resourcePolicies out when aws.resourcePolicyRegions is not set (not asked for), and makes no such call', () => {
    expect('resourcePolicies' in collected.aws).toBe(false);
    expect(events.some((e) => e.includes('aws.resourcePolicies'))).toBe(false);
    expect(collected.fake.count('lambda:ListFunctions') + collected.fake.count('apigateway:GetRestApis')).toBe(0);
    expect(() => asSnapshot(collected.aws)).not.toThrow();
  });
});

describe('older snapshots', () => {
  it('still load without the two sections, which then count as not asked for', () => {
    const snapshot = asSnapshot(minimalAws());
    expect(snapshot.aws.controlPlane).toBeUndefined();
    expect(presentSections(snapshot).some((s) => s.path === 'aws.controlPlane' || s.path === 'aws.resourcePolicies')).toBe(false);
  });

  it('load with the sections present and missing (asked for, not read): incomplete, not clean', () => {
    const missing = { provenance: { status: 'missing', error: { status: 403, code: 'AccessDenied', message: 'no' }, fix: null }, data: null };
    const snapshot = asSnapshot({ ...minimalAws(), controlPlane: missing, resourcePolicies: missing } as unknown as Snapshot['aws']);
    expect(presentSections(snapshot).filter((s) => s.path === 'aws.controlPlane' || s.path === 'aws.resourcePolicies').map((s) => s.section.provenance.status)).toEqual(['missing', 'missing']);
  });
});

function minimalAws(): Snapshot['aws'] {
  const notRead = { provenance: { status: 'missing', error: { status: null, code: 'NotCollected', message: 'not collected' }, fix: null }, data: null };
  return {
    organization: notRead,
    identityCenter: notRead,
    identityStore: notRead,
    permissionSets: notRead,
    accountAssignments: notRead,
    portalSession: notRead,
    iamUsers: notRead,
    cloudTrail: notRead,
  } as unknown as Snapshot['aws'];
}
