// The AWS side of who can get around the JIT (src/analyze/aws-control-plane.ts, resource-policies.ts):
// the Identity Center routes on real IAM documents, holders (an IAM user, a trusted role, people with a
// path to a permission set's role, with their window), a boundary's Deny, unknown documents, resource
// policies (wildcards, production trusting non-production), rules on the demo, HTML escaping, explain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { principalPolicySet } from '../src/analyze/aws-control-plane.js';
import { IDENTITY_CENTER_ROUTES, routeCapability } from '../src/analyze/capabilities.js';
import { judgeStatement, judgeWithDenies, readStatement, statementMatches, type Caller } from '../src/analyze/resource-policies.js';
import { matchingStatements } from '../src/collect/aws/resource-policies.js';
import type { ControlPlaneAccountT, IamPrincipalT, Snapshot } from '../src/model/snapshot-schema.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { explain } from '../src/report/explain.js';
import { renderControlPlane } from '../src/report/html/control-plane.js';
import { ROOT, demoSnapshot, auditDemoVariant } from './helpers/demo.js';

const MGMT = '111111111111';
const cli = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/aws/get-account-authorization-details.cli.json'), 'utf8'));
type Cp = NonNullable<NonNullable<Snapshot['aws']['controlPlane']>['data']>;

const principal = (o: Partial<IamPrincipalT>): IamPrincipalT => ({
  type: 'user',
  name: 'p',
  id: 'AIDAEXAMPLE',
  arn: `arn:aws:iam::${MGMT}:user/p`,
  path: '/',
  attachedPolicyArns: [],
  inlinePolicies: [],
  groups: [],
  permissionsBoundaryArn: null,
  trustPolicy: null,
  permissionSetRole: false,
  ...o,
});
const account = (o: Partial<ControlPlaneAccountT> = {}): ControlPlaneAccountT => ({
  accountId: MGMT,
  roles: ['management'],
  scpExempt: true,
  provenance: { status: 'collected', source: 'test', collectedAt: '2026-10-01T00:00:00Z' },
  principals: [],
  groups: [],
  ...o,
});
const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const judge = (p: IamPrincipalT, a = account(), managed: Cp['managedPolicies'] = []) =>
  routeCapability(principalPolicySet(p, a, new Map(managed.map((m) => [m.arn, m]))), IDENTITY_CENTER_ROUTES);

describe('the Identity Center routes on IAM documents', () => {
  // The AWS CLI sample: Bob is in group Admins (AdministratorAccess) with an inline policy; Charlie in Dev (PowerUserAccess).
  const groups = (cli.GroupDetailList as { GroupName: string; Arn: string; AttachedManagedPolicies: { PolicyArn: string } | { PolicyArn: string }[]; GroupPolicyList: { PolicyName: string; PolicyDocument: unknown }[] }[]).map((g) => ({
    name: g.GroupName,
    arn: g.Arn,
    attachedPolicyArns: [g.AttachedManagedPolicies].flat().map((x) => x.PolicyArn),
    inlinePolicies: g.GroupPolicyList.map((x) => ({ name: x.PolicyName, document: JSON.stringify(x.PolicyDocument) })),
  }));
  const bobInline = (cli.UserDetailList as { UserName: string; UserPolicyList: { PolicyName: string; PolicyDocument: unknown }[] }[]).find((u) => u.UserName === 'Bob')!.UserPolicyList[0]!;
  const sample = account({ groups });

  it("a user in the sample's Admins group can change Identity Center through the group's AdministratorAccess", () => {
    const alice = judge(principal({ name: 'Alice', groups: ['Admins'] }), sample);
    expect(alice.escalation).toMatch(/^\* on \* allowed by group Admins: AWS managed policy AdministratorAccess/);
  });
  it("the sample's customer managed policy document (CreatePolicyVersion) is a route; a read-only S3 one is not", () => {
    const managed = (cli.Policies as { Arn: string; PolicyName: string; DefaultVersionId: string; PolicyVersionList: { Document: unknown; IsDefaultVersion: boolean }[] }[]).map((p) => ({
      arn: p.Arn,
      name: p.PolicyName,
      defaultVersionId: p.DefaultVersionId,
      document: JSON.stringify(p.PolicyVersionList.find((v) => v.IsDefaultVersion)!.Document),
    }));
    const setManager = judge(principal({ attachedPolicyArns: ['arn:aws:iam::123456789012:policy/create-update-delete-set-managed-policies'] }), account(), managed);
    expect(setManager.escalation).toMatch(/^iam:CreatePolicyVersion allowed by managed policy create-update-delete-set-managed-policies/);
    const s3 = judge(principal({ attachedPolicyArns: ['arn:aws:iam::123456789012:policy/S3-read-only-specific-bucket'] }), account(), managed);
    expect(s3).toMatchObject({ escalation: null, unknown: [] });
  });
  it("Bob's inline Deny of IAM (the sample's DenyBillingAndIAMPolicy) takes the IAM routes away, not the group's * on *", () => {
    const bob = judge(principal({ name: 'Bob', groups: ['Admins'], inlinePolicies: [{ name: bobInline.PolicyName, document: JSON.stringify(bobInline.PolicyDocument) }] }), sample);
    // An unconditional Deny on anything takes "everything" away; sso:CreateAccountAssignment is still allowed.
    expect(bob.escalation).toMatch(/^sso:CreateAccountAssignment allowed by group Admins: AWS managed policy AdministratorAccess/);
  });
  it('a permissions boundary that denies sso:* and identitystore:* takes those routes away', () => {
    const boundary = { arn: `arn:aws:iam::${MGMT}:policy/no-sso`, name: 'no-sso', defaultVersionId: 'v1', document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: ['sso:*', 'identitystore:*', 'iam:*', 'sts:*'], Resource: '*' }]) };
    const p = principal({ inlinePolicies: [{ name: 'ops', document: doc([{ Effect: 'Allow', Action: ['sso:*', 'identitystore:*'], Resource: '*' }]) }], permissionsBoundaryArn: boundary.arn });
    const r = judge(p, account(), [boundary]);
    expect(r).toMatchObject({ escalation: null, boundaryBlocked: true, unknown: [] });
    expect(judge({ ...p, permissionsBoundaryArn: null }).escalation).toMatch(/^sso:CreateAccountAssignment allowed by inline policy ops/);
  });
  it('an unknown managed policy, group or boundary is unknown, never safe', () => {
    expect(judge(principal({ attachedPolicyArns: [`arn:aws:iam::${MGMT}:policy/Mystery`] }))).toMatchObject({ escalation: null, unknown: ['managed policy Mystery (its document is not in the snapshot)'] });
    expect(judge(principal({ groups: ['Ghosts'] })).unknown).toEqual(['IAM group Ghosts (its policies are not in the snapshot)']);
    expect(judge(principal({ attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'], permissionsBoundaryArn: `arn:aws:iam::${MGMT}:policy/B` })).escalation).toMatch(/its permissions boundary could not be evaluated$/);
  });
  it("grants scoped to the principal's own account match (the probes are put in it); a Condition is said", () => {
    const p = principal({ inlinePolicies: [{ name: 'roles', document: doc([{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: `arn:aws:iam::${MGMT}:role/*`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]) }] });
    expect(judge(p).escalation).toMatch(/^iam:PutRolePolicy allowed by inline policy roles \(under conditions\)/);
    expect(judge(p, account({ accountId: '999999999999' })).escalation).toBeNull();
  });
});

const audit = auditDemoVariant;
const items = (r: AuditResult, c: string) => (r.analysis.resources[c] ?? []).map((i) => i.data as Record<string, any>);
const fired = (r: AuditResult, rule: string) => r.findings.filter((f) => f.finding.ruleId === rule).map((f) => f.finding);

describe('awsControlPlane on the demo', () => {
  const result = audit();
  const aws = items(result, 'awsControlPlane');

  it('an IAM user with AdministratorAccess: a standing, human holder (console password), every path', () => {
    const ops = aws.find((i) => i.holder === 'legacy-ops')!;
    expect(ops).toMatchObject({ holderVia: 'iam-user', standing: true, human: true, canChange: 'yes', scp: 'exempt', credentials: { passwordEnabled: true, mfaActive: false } });
    expect(ops.pathCount).toBe(result.analysis.accessPaths.length);
  });
  it('a CI role trusted by GitHub OIDC: PassRole + CreateFunction, with its trust in words', () => {
    const ci = aws.find((i) => i.holder === 'github-ci-deploy')!;
    expect(ci).toMatchObject({ holderVia: 'trusted-role', standing: true, human: false });
    expect(ci.route).toMatch(/^iam:PassRole \+ lambda:CreateFunction allowed by inline policy deploy-functions/);
    expect(ci.trust[0]).toMatch(/^Federated arn:aws:iam::111111111111:oidc-provider\/token\.actions\.githubusercontent\.com if .*repo:northwind\/\*/);
  });
  it("a permission-set role links to the people with a path to it: a JIT path makes a JIT holder with the path's window", () => {
    const alice = aws.find((i) => i.holderVia === 'permission-set' && i.permissionSet.name === 'PlatformBreakFix')!;
    const path = result.analysis.accessPaths.find((p) => p.account.id === MGMT && p.permissionSet.name === 'PlatformBreakFix')!;
    expect(path.standing).toBe(false);
    expect(alice).toMatchObject({ holder: path.principal.upn, standing: false, holderPaths: [path.id], window: path.window });
    const readOnly = aws.filter((i) => i.holderVia === 'permission-set' && i.permissionSet.name === 'ReadOnlyAccess');
    expect(readOnly.length).toBeGreaterThan(0);
    expect(readOnly.every((i) => i.standing && i.window === null && /sso:CreateAccountAssignment/.test(i.route))).toBe(true);
  });
  it('every holder shares the one array of every path (nothing per path)', () => {
    const lists = new Set(result.analysis.resources.awsControlPlane!.map((i) => i.paths));
    expect(lists.size).toBe(1);
  });
  it('the rules: standing holders critical, the JIT permission-set holder high', () => {
    const standing = fired(result, 'aws-control-plane-standing');
    expect(standing.map((f) => f.object.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^legacy-ops in /), expect.stringMatching(/^github-ci-deploy in /)]));
    expect(standing.every((f) => f.severity === 'critical')).toBe(true);
    const jit = fired(result, 'aws-control-plane-via-permission-set');
    expect(jit).toHaveLength(1);
    expect(jit[0]).toMatchObject({ severity: 'high' });
    expect(jit[0]!.message).toMatch(/can activate permission set PlatformBreakFix in northwind-management/);
  });
  it('absent section: not asked for, no items; present and missing: the rules are not evaluable (incomplete)', () => {
    const absent = audit((s) => {
      delete s.aws.controlPlane;
    });
    expect(absent.analysis.resources.awsControlPlane).toEqual([]);
    const missing = audit((s) => {
      s.aws.controlPlane = { provenance: { status: 'missing', error: { status: 403, code: 'AccessDenied', message: 'no' }, fix: 'grant it' }, data: null } as never;
    });
    expect(missing.analysis.resources.awsControlPlane).toEqual([]);
    expect(missing.gate.blockingIncomplete).toContain('aws.controlPlane');
  });
  it('explain --user shows the permission-set way around the JIT', () => {
    const upn = aws.find((i) => i.permissionSet?.name === 'PlatformBreakFix')!.holder as string;
    const text = explain(result, demoSnapshot(), { user: upn });
    expect(text).toMatch(/can activate permission set PlatformBreakFix in northwind-management/);
    expect(text).toMatch(/HIGH aws-control-plane-via-permission-set/);
  });
});

describe('resource policies', () => {
  const arn = (acct: string, set: string) => `arn:aws:iam::${acct}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_${set}`;
  const st = (o: object) => readStatement(JSON.stringify({ Effect: 'Allow', Action: 'lambda:InvokeFunction', ...o }));
  it('AWSReservedSSO_* matches every set (a set that does not exist too); a named set matches only itself', () => {
    const any = st({ Principal: { AWS: '222222222222' }, Condition: { ArnLike: { 'aws:PrincipalArn': arn('222222222222', '*') } } });
    expect(statementMatches(any, '222222222222', 'NoSuchSet', 'eu-west-1')).toBe(true);
    expect(statementMatches(any, '444444444444', 'NoSuchSet', 'eu-west-1')).toBe(false);
    const one = st({ Principal: { AWS: '222222222222' }, Condition: { ArnLike: { 'aws:PrincipalArn': arn('222222222222', 'Dev_*') } } });
    expect(statementMatches(one, '222222222222', 'Dev', 'eu-west-1')).toBe(true);
    expect(statementMatches(one, '222222222222', 'Admin', 'eu-west-1')).toBe(false);
  });
  it('a bare * principal matches every role; aws:userid with an unknown role id is not certain; an exact role ARN its set', () => {
    expect(statementMatches(st({ Principal: '*' }), '222222222222', 'X', null)).toBe(true);
    expect(statementMatches(st({ Principal: '*', Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } } }), '222222222222', 'X', null)).toBe(false);
    const exact = st({ Principal: { AWS: 'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef' } });
    expect(statementMatches(exact, '222222222222', 'Dev', 'eu-west-1')).toBe(true);
    expect(statementMatches(exact, '222222222222', 'Admin', 'eu-west-1')).toBe(false);
  });
  it('a statement that is not JSON is read as letting every role in (never safe)', () => {
    const bad = readStatement('{not json');
    expect(bad.readable).toBe(false);
    expect(statementMatches(bad, '1', 'X', null)).toBe(true);
  });
  describe('conditions on the caller (the AWS documentation examples in test/fixtures/aws/resource-policy-conditions.json)', () => {
    const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/aws/resource-policy-conditions.json'), 'utf8'));
    const stmt = (o: object) => readStatement(JSON.stringify(o));
    const who = (o: Partial<Caller> = {}): Caller => ({ accountId: '123456789012', setName: 'Dev', region: 'eu-west-2', roleId: null, orgId: null, ...o });
    const ROLE = 'AROAABCDEFGHIJ'; // the re:Post answer's role unique id

    it('aws:PrincipalOrgID (Lambda add-permission --principal-org-id): every role of the organization; another org none; no org id: undecided, named', () => {
      const org = stmt(fx.lambdaPrincipalOrgId.Statement[0]);
      expect(judgeStatement(org, who({ orgId: 'o-a1b2c3d4e5f' })).verdict).toBe('yes');
      expect(judgeStatement(org, who({ orgId: 'o-zzzzzzzzzz' })).verdict).toBe('no');
      const unknown = judgeStatement(org, who());
      expect(unknown.verdict).toBe('unknown');
      expect(unknown.why).toEqual(['StringEquals aws:PrincipalOrgID o-a1b2c3d4e5f: the organization id is not in the snapshot']);
    });

    it('aws:PrincipalArn: the Identity Center role ARN as the documentation gives it, with and without the Region part', () => {
      const exact = fx.identityCenterRoleArn as string; // …/sso.amazonaws.com/eu-west-2/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef
      const dba = who({ accountId: '111122223333', setName: 'DatabaseAdministrator' });
      expect(judgeStatement(stmt({ Effect: 'Allow', Principal: { AWS: exact } }), dba).verdict).toBe('yes');
      expect(judgeStatement(stmt({ Effect: 'Allow', Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': exact } } }), dba).verdict).toBe('yes');
      expect(judgeStatement(stmt({ Effect: 'Allow', Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': exact } } }), { ...dba, setName: 'Dev' }).verdict).toBe('no');
      // An instance in us-east-1 has no Region in the path: …/sso.amazonaws.com/AWSReservedSSO_<set>_<suffix>.
      const usEast1 = (fx.identityCenterRoleArnUsEast1 as string).replace('aws-account-ID', '111122223333').replace('permission-set-name_unique-suffix', 'DatabaseAdministrator_*');
      expect(judgeStatement(stmt({ Effect: 'Allow', Principal: '*', Condition: { ArnLike: { 'aws:PrincipalArn': usEast1 } } }), { ...dba, region: null }).verdict).toBe('yes');
    });

    it('operators: StringEquals has no wildcards, StringLike has; ArnLike matches each ARN part on its own (a * never spans a colon)', () => {
      const any = 'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*';
      const with_ = (operator: string, value: string) => judgeStatement(stmt({ Effect: 'Allow', Principal: '*', Condition: { [operator]: { 'aws:PrincipalArn': value } } }), who()).verdict;
      expect(with_('ArnLike', any)).toBe('yes');
      expect(with_('StringLike', any)).toBe('yes');
      expect(with_('StringEquals', any)).toBe('no');
      // Fewer than six parts: never an ARN match, while the same text as a string pattern matches.
      expect(with_('ArnLike', 'arn:*:role/aws-reserved/*')).toBe('no');
      expect(with_('StringLike', 'arn:*:role/aws-reserved/*')).toBe('yes');
      expect(with_('StringEqualsIgnoreCase', 'ARN:AWS:IAM::123456789012:ROLE/AWS-RESERVED/SSO.AMAZONAWS.COM/EU-WEST-2/AWSRESERVEDSSO_DEV_F0E1D2C3B4A59687')).toBe('yes');
      // A negated operator with several values: none may match (AND).
      expect(judgeStatement(stmt({ ...fx.denyOutsideAccount.Statement[0], Principal: '*' }), who()).verdict).toBe('no');
      expect(judgeStatement(stmt({ ...fx.denyOutsideAccount.Statement[0], Principal: '*' }), who({ accountId: '444444444444' })).verdict).toBe('yes');
      // A principal tag cannot be told from the snapshot: undecided, named.
      expect(judgeStatement(stmt({ Effect: 'Allow', Principal: '*', Condition: { StringEquals: { 'aws:PrincipalTag/department': 'hr' } } }), who()).why).toEqual([
        'StringEquals aws:PrincipalTag/department hr: not evaluated (a principal tag, path or type the snapshot does not hold)',
      ]);
    });

    it("aws:userid \"<role id>:*\": the role with that id; another known role not; a role whose id the snapshot lacks is undecided (named), a session name too", () => {
      const allow = stmt({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'lambda:InvokeFunction', Resource: '*', Condition: { StringLike: { 'aws:userid': `${ROLE}:*` } } });
      expect(judgeStatement(allow, who({ roleId: ROLE })).verdict).toBe('yes');
      expect(judgeStatement(allow, who({ roleId: 'AROAOTHERROLE0000' })).verdict).toBe('no');
      expect(judgeStatement(allow, who())).toEqual({ verdict: 'unknown', why: [`StringLike aws:userid ${ROLE}:*: names a role id the snapshot does not have for this permission set's role`] });
      const session = stmt({ Effect: 'Allow', Principal: '*', Condition: { StringEquals: { 'aws:userid': `${ROLE}:alice@example.com` } } });
      expect(judgeStatement(session, who({ roleId: ROLE })).why).toEqual([`StringEquals aws:userid ${ROLE}:alice@example.com: the session name (the person signing in) decides`]);
      // An IAM user's id (no session part) is never a role's.
      expect(judgeStatement(stmt({ Effect: 'Allow', Principal: '*', Condition: { StringEquals: { 'aws:userid': 'AIDAEXAMPLE' } } }), who()).verdict).toBe('no');
    });

    it("a Deny carve-out (re:Post: Deny unless aws:userid is the role's) takes every other known role away; a Deny with another condition (aws:SourceIp) does not", () => {
      const deny = stmt(fx.denyUnlessUserId.Statement[0]);
      const allow = stmt({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
      expect(judgeWithDenies(allow, [deny], who({ roleId: ROLE })).verdict).toBe('yes');
      expect(judgeWithDenies(allow, [deny], who({ roleId: 'AROAOTHERROLE0000' })).verdict).toBe('no');
      expect(judgeWithDenies(allow, [deny], who()).why).toEqual([`Deny may take it away: StringNotLike aws:userId ${ROLE}:*: names a role id the snapshot does not have for this permission set's role`]);
      // A Deny that does not cover the Allow's action leaves it alone.
      expect(judgeWithDenies(stmt({ Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: '*' }), [deny], who({ roleId: 'AROAOTHERROLE0000' })).verdict).toBe('yes');
      const arnDeny = stmt(fx.denyUnlessPrincipalArn.Statement[0]);
      expect(judgeWithDenies(allow, [arnDeny], who()).verdict).toBe('no');
      const [apiAllow, ipDeny] = (fx.apiGatewayDenySourceIp.Statement as object[]).map(stmt);
      expect(judgeWithDenies(apiAllow!, [ipDeny!], who()).verdict).toBe('yes');
    });

    it('on the demo: aws:userid of a known permission-set role names it; an unknown role id is an item that says so, with the undecided sets counted', () => {
      const demo = demoSnapshot();
      const mgmtRole = demo.aws.controlPlane!.data!.accounts[0]!.principals!.find((p) => p.name.startsWith('AWSReservedSSO_PlatformBreakFix_'))!;
      const mgmt = demo.aws.controlPlane!.data!.accounts[0]!.accountId;
      const result = audit((s) => {
        const fn = s.aws.resourcePolicies!.data!.policies.find((p) => p.resourceName === 'payments-refund')!;
        const add = (o: object) => fn.statements.push({ statement: JSON.stringify({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn.resourceArn, ...o }), reasons: ['identityCenterRole'] });
        add({ Sid: 'KnownRoleId', Principal: { AWS: `arn:aws:iam::${mgmt}:root` }, Condition: { StringLike: { 'aws:userid': `${mgmtRole.id}:*` } } });
        add({ Sid: 'UnknownRoleId', Principal: { AWS: `arn:aws:iam::${fn.accountId}:root` }, Condition: { StringLike: { 'aws:userid': 'AROAABCDEFGHIJ:*' } } });
      });
      const list = items(result, 'resourcePolicies');
      const known = list.find((i) => i.sid === 'KnownRoleId')!;
      expect(known).toMatchObject({ wildcard: false, matchedPermissionSets: ['PlatformBreakFix'], unevaluated: [], undecidedCount: 0 });
      const unknown = list.find((i) => i.sid === 'UnknownRoleId')!;
      expect(unknown).toMatchObject({ wildcard: false, matchCount: 0, unevaluated: ["StringLike aws:userid AROAABCDEFGHIJ:*: names a role id the snapshot does not have for this permission set's role"] });
      expect(unknown.undecidedCount).toBeGreaterThan(0);
      expect(unknown.pathCount).toBeGreaterThan(0);
    });
  });

  it('a whole account as the principal, as the collector keeps it, lets every permission set of that account in: a wildcard', () => {
    const demo = demoSnapshot();
    const fn = demo.aws.resourcePolicies!.data!.policies.find((p) => p.resourceName === 'payments-refund')!;
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'WholeAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${fn.accountId}:root` }, Action: 'lambda:InvokeFunction', Resource: fn.resourceArn }] });
    const kept = matchingStatements(doc, 'test');
    expect(kept.map((s) => s.reasons)).toEqual([['accountPrincipal']]);
    const result = audit((s) => {
      s.aws.resourcePolicies!.data!.policies.find((p) => p.resourceName === 'payments-refund')!.statements.push(...kept);
    });
    const item = items(result, 'resourcePolicies').find((i) => i.sid === 'WholeAccount')!;
    expect(item).toMatchObject({ wildcard: true, wildcardAccounts: [fn.accountId] });
    expect(item.pathCount).toBeGreaterThan(0);
  });

  it('on the demo: the prod Lambda with AWSReservedSSO_* is a wildcard; the prod API trusting a dev PowerUser role is prod-trusts-nonprod', () => {
    const result = audit();
    const list = items(result, 'resourcePolicies');
    const fn = list.find((i) => i.resourceName === 'payments-refund')!;
    expect(fn).toMatchObject({ wildcard: true, environment: 'prod', nonProdMatches: [] });
    const api = list.find((i) => i.resourceName === 'payments-internal')!;
    expect(api).toMatchObject({ wildcard: false, matchedPermissionSets: ['PowerUser'] });
    expect(api.nonProdMatches).toEqual(['PowerUser in payments-dev (444444444444, non-prod)']);
    // Its impact: the paths to (payments-dev, PowerUser), whose holders get this access.
    const item = result.analysis.resources.resourcePolicies!.find((i) => i.data.resourceName === 'payments-internal')!;
    expect(item.paths!.length).toBeGreaterThan(0);
    expect(item.paths!.every((n) => result.analysis.accessPaths[n]!.account.id === '444444444444' && result.analysis.accessPaths[n]!.permissionSet.name === 'PowerUser')).toBe(true);
    expect(fired(result, 'resource-policy-wildcard-ic-role').map((f) => f.object.id)).toEqual([`${fn.resourceArn}#IdentityCenterInvoke`]);
    expect(fired(result, 'resource-policy-prod-trusts-nonprod').map((f) => f.object.id)).toEqual([`${api.resourceArn}#DevTesting`]);
  });
});

describe('the HTML section escapes hostile names', () => {
  it('an IAM user and a resource named with markup are text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const result = audit((s) => {
      const cp = s.aws.controlPlane!.data!;
      const u = cp.accounts[0]!.principals!.find((p) => p.name === 'legacy-ops')!;
      u.name = evil;
      s.aws.resourcePolicies!.data!.policies[0]!.resourceName = evil;
    });
    const page = String(renderControlPlane(result));
    expect(page).not.toContain(evil);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toMatch(/IAM principals that can change Identity Center/);
    expect(page).toMatch(/Resource policies that let Identity Center roles in/);
  });
});

describe("a delegated administrator's service control policies", () => {
  const DELEGATED = '444444444444';
  const fullAccess = { id: 'p-FullAWSAccess', arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess', name: 'FullAWSAccess', awsManaged: true, content: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) };
  const denyIc = { id: 'p-denyic00001', arn: 'arn:aws:organizations::111111111111:policy/o-x/service_control_policy/p-denyic00001', name: 'DenyIdentityCenterWrites', awsManaged: false, content: doc([{ Effect: 'Deny', Action: ['sso:*', 'identitystore:*'], Resource: '*' }]) };
  const withDelegated = (scps: ControlPlaneAccountT['serviceControlPolicies']) =>
    audit((s) => {
      s.aws.controlPlane!.data!.accounts.push(
        account({
          accountId: DELEGATED,
          roles: ['delegatedAdministrator'],
          scpExempt: false,
          principals: [
            principal({ name: 'ic-operator', arn: `arn:aws:iam::${DELEGATED}:user/ic-operator`, inlinePolicies: [{ name: 'ic', document: doc([{ Effect: 'Allow', Action: ['sso:*', 'identitystore:*'], Resource: '*' }]) }] }),
            principal({ name: 'da-admin', arn: `arn:aws:iam::${DELEGATED}:user/da-admin`, inlinePolicies: [{ name: 'admin', document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }] }),
          ],
          ...(scps ? { serviceControlPolicies: scps } : {}),
        }),
      );
    });
  const targets = (ouPolicies: (typeof fullAccess)[]) => [
    { targetId: 'r-ab12', type: 'ROOT' as const, policies: [fullAccess] },
    { targetId: 'ou-ab12-dev00001', type: 'ORGANIZATIONAL_UNIT' as const, policies: ouPolicies },
    { targetId: DELEGATED, type: 'ACCOUNT' as const, policies: [fullAccess] },
  ];
  const collectedAt = { status: 'collected' as const, source: 'test', collectedAt: '2026-10-01T00:00:00Z' };
  const delegatedItems = (r: AuditResult) => items(r, 'awsControlPlane').filter((i) => i.accountId === DELEGATED);

  it('an SCP denying sso:* and identitystore:* removes an Identity Center operator, and says what it took from an admin', () => {
    const r = withDelegated({ provenance: collectedAt, targets: targets([fullAccess, denyIc]) });
    const list = delegatedItems(r);
    expect(list.map((i) => i.holder)).toEqual(['da-admin']);
    expect(list[0]).toMatchObject({ scp: 'applied', canChange: 'yes' });
    expect(list[0]!.route).toMatch(/^iam:PutRolePolicy allowed by inline policy admin: .*; service control policies took away \* on \* \(denied by SCP DenyIdentityCenterWrites at OU ou-ab12-dev00001\)/);
    expect(list[0]!.limits).toMatch(/^service control policies evaluated: the root r-ab12 \(FullAWSAccess\); OU ou-ab12-dev00001 \(FullAWSAccess, DenyIdentityCenterWrites\); the account 444444444444 \(FullAWSAccess\); they took away /);
    // The management account is not limited by SCPs: its items are as before.
    expect(items(r, 'awsControlPlane').find((i) => i.holder === 'legacy-ops')).toMatchObject({ scp: 'exempt', canChange: 'yes' });
  });

  it('FullAWSAccess at every level leaves both; SCPs not read keep both, marked unreadable, never as "no SCP"', () => {
    expect(delegatedItems(withDelegated({ provenance: collectedAt, targets: targets([fullAccess]) })).map((i) => [i.holder, i.scp])).toEqual([
      ['ic-operator', 'applied'],
      ['da-admin', 'applied'],
    ]);
    const unread = delegatedItems(withDelegated({ provenance: { status: 'missing', error: { status: 400, code: 'AccessDeniedException', message: 'no' }, fix: null }, targets: null }));
    expect(unread.map((i) => [i.holder, i.scp])).toEqual([
      ['ic-operator', 'unreadable'],
      ['da-admin', 'unreadable'],
    ]);
    expect(unread[0]!.limits).toMatch(/could not be read \(AccessDeniedException: no\): incomplete/);
    expect(delegatedItems(withDelegated(undefined)).map((i) => i.scp)).toEqual(['not-collected', 'not-collected']);
  });
});
