// What a permission set's policies let its holder do to themselves: can they make themselves admin?
// Names say nothing ("ReadOnlyPlus" with an inline iam:PutRolePolicy is admin in all but name), so each
// escalation route below is asked of an IAM policy evaluation: is this action allowed on a representative
// resource under the set's identity policies and its permissions boundary?
//
// The evaluation is IAM's for identity policies within one account (no SCPs, RCPs or resource policies):
// an explicit Deny wins, else some Allow is needed, and a permissions boundary must allow it too.
// Where it cannot be sure it leans towards "can": an Allow with a Condition counts (the holder may meet
// it; the reason says "under conditions"), a Deny with a Condition does not (it may not apply).
// A policy whose document is not known is never read as harmless: it is named as unknown.
//
// The maintained simulator @cloud-copilot/iam-simulate is AGPL-3.0 (this tool is Apache-2.0), so the
// evaluation is this small one; it covers what the routes need: Action/NotAction, Resource/NotResource,
// IAM wildcards (* and ?; actions case-insensitive), Allow/Deny.
import { awsManagedPolicyVerdicts, probeKey, type Probe, type Verdict } from './aws-managed-policies.js';
import type { PermissionSetT } from '../model/snapshot-schema.js';

// Representative resources: an arbitrary one of the kind each action acts on, in no real account. A grant
// scoped to named resources (role/app-*) does not match them and is not counted as a route to admin.
const ROLE = 'arn:aws:iam::000000000000:role/jitaudit-probe';
const USER = 'arn:aws:iam::000000000000:user/jitaudit-probe';
const GROUP = 'arn:aws:iam::000000000000:group/jitaudit-probe';
const POLICY = 'arn:aws:iam::000000000000:policy/jitaudit-probe';
const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000';
const IDENTITY_STORE_GROUP = 'arn:aws:identitystore:::group/00000000-0000-0000-0000-000000000000';
const IDENTITY_STORE_USER = 'arn:aws:identitystore:::user/00000000-0000-0000-0000-000000000000';
/** The account id the representative resources name: an IAM principal's own account replaces it (identityPolicy). */
export const PROBE_ACCOUNT = '000000000000';

export { probeKey };
export type { Probe, Verdict };

export interface EscalationRoute {
  /** Every one of these must be allowed. */
  needs: Probe[];
  /** Why holding them makes one admin. */
  why: string;
}

const p = (action: string, resource: string): Probe => ({ action, resource });
const PASS_ROLE = p('iam:PassRole', ROLE);
const withPassRole = (action: string, resource: string, what: string): EscalationRoute => ({
  needs: [PASS_ROLE, p(action, resource)],
  why: `passes any role, admin ones included, to ${what} it starts and acts as that role`,
});

/**
 * The routes to admin, in the order a reason names them. Sources: AWS IAM documentation (actions and
 * their resource types) and the well-known IAM privilege-escalation paths (Rhino Security Labs, 2018).
 */
export const ESCALATION_ROUTES: readonly EscalationRoute[] = [
  { needs: [p('*', '*')], why: 'every action on every resource' },
  { needs: [p('iam:PutRolePolicy', ROLE)], why: 'writes an inline policy granting anything onto a role it can use' },
  { needs: [p('iam:PutUserPolicy', USER)], why: 'writes an inline policy granting anything onto an IAM user' },
  { needs: [p('iam:PutGroupPolicy', GROUP)], why: 'writes an inline policy granting anything onto an IAM group' },
  { needs: [p('iam:AttachRolePolicy', ROLE)], why: 'attaches AdministratorAccess to a role it can use' },
  { needs: [p('iam:AttachUserPolicy', USER)], why: 'attaches AdministratorAccess to an IAM user' },
  { needs: [p('iam:AttachGroupPolicy', GROUP)], why: 'attaches AdministratorAccess to an IAM group' },
  { needs: [p('iam:CreatePolicyVersion', POLICY)], why: 'rewrites a customer managed policy (as its default version) to grant anything' },
  { needs: [p('iam:SetDefaultPolicyVersion', POLICY)], why: 'switches a policy to an older, broader version' },
  { needs: [p('iam:UpdateAssumeRolePolicy', ROLE)], why: 'lets itself assume any role, admin ones included' },
  { needs: [p('iam:DeleteRolePermissionsBoundary', ROLE)], why: 'removes the boundary that limits a role' },
  { needs: [p('iam:CreateAccessKey', USER)], why: "creates access keys for another IAM user and acts as them" },
  { needs: [p('iam:CreateLoginProfile', USER)], why: 'sets a console password for another IAM user and signs in as them' },
  { needs: [p('iam:UpdateLoginProfile', USER)], why: "changes another IAM user's console password and signs in as them" },
  { needs: [p('iam:AddUserToGroup', GROUP)], why: 'adds an IAM user to an admin group' },
  withPassRole('lambda:CreateFunction', 'arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe', 'a Lambda function'),
  withPassRole('ec2:RunInstances', 'arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000', 'an EC2 instance'),
  withPassRole('ecs:RunTask', 'arn:aws:ecs:us-east-1:000000000000:task-definition/jitaudit-probe:1', 'an ECS task'),
  withPassRole('ecs:RegisterTaskDefinition', '*', 'an ECS task definition'),
  withPassRole('glue:CreateDevEndpoint', 'arn:aws:glue:us-east-1:000000000000:devEndpoint/jitaudit-probe', 'a Glue development endpoint'),
  withPassRole('glue:CreateJob', 'arn:aws:glue:us-east-1:000000000000:job/jitaudit-probe', 'a Glue job'),
  withPassRole('cloudformation:CreateStack', 'arn:aws:cloudformation:us-east-1:000000000000:stack/jitaudit-probe/00000000-0000-0000-0000-000000000000', 'a CloudFormation stack'),
  withPassRole('datapipeline:CreatePipeline', 'arn:aws:datapipeline:us-east-1:000000000000:pipeline/jitaudit-probe', 'a Data Pipeline'),
  withPassRole('sagemaker:CreateNotebookInstance', 'arn:aws:sagemaker:us-east-1:000000000000:notebook-instance/jitaudit-probe', 'a SageMaker notebook'),
  withPassRole('codebuild:CreateProject', 'arn:aws:codebuild:us-east-1:000000000000:project/jitaudit-probe', 'a CodeBuild project'),
  { needs: [p('sts:AssumeRole', ROLE)], why: 'assumes any role whose trust policy lets the account in, admin ones included' },
  { needs: [p('sso:CreateAccountAssignment', PERMISSION_SET)], why: 'assigns itself any permission set in any account (from the Identity Center account)' },
  { needs: [p('sso:PutInlinePolicyToPermissionSet', PERMISSION_SET)], why: 'writes an inline policy granting anything into a permission set' },
  { needs: [p('sso:AttachManagedPolicyToPermissionSet', PERMISSION_SET)], why: 'attaches AdministratorAccess to a permission set' },
  { needs: [p('sso:AttachCustomerManagedPolicyReferenceToPermissionSet', PERMISSION_SET)], why: 'attaches a broader customer managed policy to a permission set' },
  { needs: [p('sso:DeletePermissionsBoundaryFromPermissionSet', PERMISSION_SET)], why: "removes a permission set's boundary" },
  { needs: [p('identitystore:CreateGroupMembership', IDENTITY_STORE_GROUP)], why: 'adds a user to an Identity Center group that has admin assignments' },
];

/** Every probe of the routes, once (what a table of known policies must answer). */
export const PROBES: readonly Probe[] = [...new Map(ESCALATION_ROUTES.flatMap((r) => r.needs).map((x) => [probeKey(x), x])).values()];



/** IAM wildcard match (* any run, ? one character) in O(pattern × value): the text is the tenant's. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < value.length) {
    const c = pattern[pi];
    if (c === '*') {
      star = pi++;
      resume = vi;
    } else if (c !== undefined && (c === '?' || c === value[vi])) {
      pi++;
      vi++;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++resume;
    } else return false;
  }
  while (pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

interface Statement {
  effect: 'Allow' | 'Deny';
  action: string[] | null;
  notAction: string[] | null;
  resource: string[] | null;
  notResource: string[] | null;
  conditional: boolean;
}

/** A policy document read for evaluation; null when it is not a policy this evaluation can read. */
export function parsePolicy(document: string): Statement[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const raw = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : null;
  if (!list) return null;
  const strings = (v: unknown): string[] | null | undefined => {
    if (v === undefined) return null;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    return undefined; // present but not strings: unreadable
  };
  const out: Statement[] = [];
  for (const s of list) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return null;
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return null;
    const action = strings(st.Action);
    const notAction = strings(st.NotAction);
    const resource = strings(st.Resource);
    const notResource = strings(st.NotResource);
    if (action === undefined || notAction === undefined || resource === undefined || notResource === undefined) return null;
    if ((action === null) === (notAction === null) || (resource === null) === (notResource === null)) return null;
    const conditional = st.Condition !== undefined && !(typeof st.Condition === 'object' && st.Condition !== null && Object.keys(st.Condition).length === 0);
    out.push({ effect: st.Effect, action, notAction, resource, notResource, conditional });
  }
  return out;
}

const actionMatch = (patterns: string[], action: string) => patterns.some((x) => wildcardMatch(x.toLowerCase(), action.toLowerCase()));
// A policy variable (${aws:username}) names the caller's own resource, never an arbitrary one.
const resourceMatch = (patterns: string[], resource: string) =>
  patterns.some((x) => (x.includes('${') ? x === resource : wildcardMatch(x, resource)));

/** Does a statement cover the probe? The `*` probe ("everything") is covered only by an Action that is all wildcards on Resource `*`. */
function covers(s: Statement, probe: Probe): boolean {
  if (probe.action === '*') {
    if (s.effect === 'Deny') {
      // Any unconditional Deny on anything takes away "everything".
      return true;
    }
    return s.action !== null && s.action.some((a) => /^[*:]+$/.test(a) && a.includes('*')) && s.resource !== null && s.resource.includes('*');
  }
  const actionOk = s.action !== null ? actionMatch(s.action, probe.action) : !actionMatch(s.notAction!, probe.action);
  const resourceOk = s.resource !== null ? resourceMatch(s.resource, probe.resource) : !resourceMatch(s.notResource!, probe.resource);
  return actionOk && resourceOk;
}

/** One policy's verdict on one probe. */
export function evaluatePolicy(statements: Statement[], probe: Probe): Verdict {
  let verdict: Verdict = 'none';
  for (const s of statements) {
    if (!covers(s, probe)) continue;
    if (s.effect === 'Deny') {
      if (!s.conditional) return 'deny';
    } else if (!s.conditional) verdict = 'allow';
    else if (verdict === 'none') verdict = 'allow-conditional';
  }
  return verdict;
}

/** A policy of a permission set (or an IAM principal), as far as it is known. */
export interface KnownPolicy {
  label: string;
  verdict: (probe: Probe) => Verdict;
}

export interface PolicySet {
  identity: KnownPolicy[];
  /** Null: no boundary. */
  boundary: KnownPolicy | null;
  /** Policies (identity or boundary) whose documents are not known, as words. */
  unknown: string[];
  /** The service control policies in effect (a delegated administrator's principals); absent: none evaluated. */
  scp?: ScpSet;
}

/** One SCP attached to one level, read for evaluation; statements null when its document cannot be read. */
export interface ScpPolicy {
  name: string;
  statements: Statement[] | null;
}

/** The SCPs in effect for one account, by level: the root first, then each OU, then the account. */
export interface ScpSet {
  accountId: string;
  levels: { label: string; policies: ScpPolicy[] }[];
}

/** What the SCPs say of one probe: it passes (with what could not be judged), or which level or policy stops it. */
export type ScpDecision = { passes: true; notes: string[] } | { passes: false; why: string };

/**
 * SCP semantics (AWS Organizations): an action passes only if every level (root, each OU, the account)
 * has an SCP allowing it, and no SCP at any level denies it. Leaning to "can": a Deny with a Condition
 * does not stop it (it may not apply), an Allow with one counts, a document that cannot be read may allow
 * it and denies nothing, and a level with no SCP at all (the policy type not enabled) does not stop it;
 * each is said in the notes.
 */
export function scpDecision(scp: ScpSet, probe: Probe): ScpDecision {
  const q = { action: probe.action, resource: probe.resource.replace(`:${PROBE_ACCOUNT}:`, `:${scp.accountId}:`) };
  const notes: string[] = [];
  for (const level of scp.levels) {
    if (level.policies.length === 0) {
      notes.push(`no SCP attached at ${level.label}`);
      continue;
    }
    let allowing = false;
    const unreadable: string[] = [];
    for (const policy of level.policies) {
      if (!policy.statements) {
        unreadable.push(policy.name);
        continue;
      }
      for (const st of policy.statements) {
        if (!covers(st, q)) continue;
        if (st.effect === 'Deny') {
          if (!st.conditional) return { passes: false, why: `denied by SCP ${policy.name} at ${level.label}` };
          notes.push(`SCP ${policy.name} at ${level.label} denies it under a condition this evaluation cannot judge`);
        } else {
          if (st.conditional) notes.push(`SCP ${policy.name} at ${level.label} allows it only under a condition`);
          allowing = true;
        }
      }
    }
    if (!allowing) {
      if (!unreadable.length) return { passes: false, why: `no SCP at ${level.label} allows it` };
      notes.push(`SCP ${unreadable.join(', ')} at ${level.label} could not be read (it may not allow it)`);
    }
  }
  return { passes: true, notes: [...new Set(notes)] };
}

function knownPolicies(ps: PermissionSetT): PolicySet {
  const identity: KnownPolicy[] = [];
  const unknown: string[] = [];
  if (ps.inlinePolicy !== null && ps.inlinePolicy.trim() !== '') {
    const statements = parsePolicy(ps.inlinePolicy);
    if (statements) identity.push({ label: 'the inline policy', verdict: (probe) => evaluatePolicy(statements, probe) });
    else unknown.push('the inline policy (not a policy document this evaluation can read)');
  }
  for (const m of ps.managedPolicies) {
    const known = awsManagedPolicyVerdicts(m.arn);
    if (known) identity.push({ label: `AWS managed policy ${m.name}`, verdict: known });
    else unknown.push(`managed policy ${m.name} (its document is not in the snapshot)`);
  }
  for (const c of ps.customerManagedPolicies) unknown.push(`customer managed policy ${c.name} (its document is not in the snapshot)`);
  let boundary: KnownPolicy | null = null;
  const b = ps.permissionsBoundary;
  if (b) {
    const arn = b.managedPolicyArn;
    const known = arn ? awsManagedPolicyVerdicts(arn) : null;
    if (known) boundary = { label: `permissions boundary ${arn!.split('/').pop()}`, verdict: known };
    else unknown.push(`permissions boundary ${arn ?? b.customerManagedPolicy?.name ?? '(unnamed)'} (its document is not in the snapshot)`);
  }
  return { identity, boundary, unknown };
}

/** Is the probe allowed, and by which policies (labels), and only under conditions? Null: not allowed. */
function allowed(set: PolicySet, probe: Probe): { by: string[]; conditional: boolean } | null {
  const verdicts = set.identity.map((k) => ({ label: k.label, v: k.verdict(probe) }));
  if (verdicts.some((x) => x.v === 'deny')) return null;
  const allowing = verdicts.filter((x) => x.v === 'allow' || x.v === 'allow-conditional');
  if (!allowing.length) return null;
  let conditional = allowing.every((x) => x.v === 'allow-conditional');
  if (set.boundary) {
    const v = set.boundary.verdict(probe);
    if (v === 'deny' || v === 'none') return null;
    if (v === 'allow-conditional') conditional = true;
  }
  return { by: allowing.map((x) => x.label), conditional };
}

export interface Capability {
  /** The first route to admin its policies allow, in words; null when none is allowed by what is known. */
  escalation: string | null;
  /** Routes the identity policies allow that service control policies take away, with the SCP that does (earlier routes than `escalation`). */
  scpRemoved?: string[];
  /** What could not be evaluated (documents not known), in words; empty when everything was. */
  unknown: string[];
  /** A permissions boundary took away routes the identity policies allow. */
  boundaryBlocked: boolean;
  /** The policies evaluated, in words. */
  evaluated: string[];
}

/** Evaluate a permission set's routes to admin: one pass over the routes, once per set. */
export function escalationCapability(ps: PermissionSetT): Capability {
  return routeCapability(knownPolicies(ps), ESCALATION_ROUTES);
}

/** The first of `routes` a set of policies allows (identity policies, then the boundary): one pass over the routes. */
export function routeCapability(set: PolicySet, routes: readonly EscalationRoute[]): Capability {
  const evaluated = [...set.identity.map((k) => k.label), ...(set.boundary ? [set.boundary.label] : [])];
  const unboundaried: PolicySet = { ...set, boundary: null };
  let boundaryBlocked = false;
  const scpRemoved: string[] = [];
  const scpField = set.scp ? { scpRemoved } : {};
  for (const route of routes) {
    const results = route.needs.map((probe) => allowed(set, probe));
    const what = route.needs[0]!.action === '*' ? '* on *' : route.needs.map((x) => x.action).join(' + ');
    if (results.every((r) => r !== null)) {
      // Service control policies come last: they take away what IAM allows, never add to it.
      const scp = set.scp ? route.needs.map((probe) => scpDecision(set.scp!, probe)) : [];
      const stopped = scp.find((d): d is { passes: false; why: string } => !d.passes);
      if (stopped) {
        scpRemoved.push(`${what} (${stopped.why})`);
        continue;
      }
      const scpNotes = [...new Set(scp.flatMap((d) => (d.passes ? d.notes : [])))];
      const by = [...new Set(results.flatMap((r) => r!.by))];
      const conditional = results.some((r) => r!.conditional);
      const boundaryNote = set.unknown.some((u) => u.startsWith('permissions boundary')) ? '; its permissions boundary could not be evaluated' : '';
      const removedNote = scpRemoved.length ? `; service control policies took away ${listWords(scpRemoved)}` : '';
      const scpNote = scpNotes.length ? `; service control policies let it through, but ${listWords(scpNotes)}` : '';
      return {
        escalation: `${what} allowed by ${listWords(by)}${conditional ? ' (under conditions)' : ''}: ${route.why}${boundaryNote}${removedNote}${scpNote}`,
        ...scpField,
        unknown: set.unknown,
        boundaryBlocked,
        evaluated,
      };
    }
    if (set.boundary && route.needs.every((probe) => allowed(unboundaried, probe) !== null)) boundaryBlocked = true;
  }
  return { escalation: null, ...scpField, unknown: set.unknown, boundaryBlocked, evaluated };
}

/** Do the SCPs stop every route whatever the identity policies say (so an unknown identity policy cannot matter)? */
export function scpStopsEveryRoute(scp: ScpSet, routes: readonly EscalationRoute[]): boolean {
  return routes.every((r) => r.needs.some((probe) => !scpDecision(scp, probe).passes));
}

/** The SCPs of a snapshot's account, read for evaluation (labels name the level and the policy). */
export function scpSet(accountId: string, targets: { targetId: string; type: string; policies: { name: string; content: string | null }[] }[]): ScpSet {
  const kind = (t: string) => (t === 'ROOT' ? 'the root' : t === 'ORGANIZATIONAL_UNIT' ? 'OU' : 'the account');
  return {
    accountId,
    levels: targets.map((t) => ({
      label: `${kind(t.type)} ${t.targetId}`,
      policies: t.policies.map((p) => ({ name: p.name, statements: p.content === null ? null : parsePolicy(p.content) })),
    })),
  };
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The routes to changing Identity Center from the account that runs it (the management account or its
 * delegated administrator): its own actions first (assignments, permission sets, the identity store),
 * then every route to admin in that account (an admin there can do them all). identitystore:UpdateUser
 * renames an Identity Center user who has admin assignments to one's own user name and signs in as
 * them. It is the one probe the table of AWS managed policies (aws-managed-policies.ts) was not
 * computed for: those policies grant identity-store writes by wildcard, so one that allows it allows
 * identitystore:CreateGroupMembership too, a route checked before it.
 */
export const IDENTITY_CENTER_ROUTES: readonly EscalationRoute[] = [
  ESCALATION_ROUTES[0]!,
  ...ESCALATION_ROUTES.filter((r) => /^(sso|identitystore):/.test(r.needs[0]!.action)),
  { needs: [p('identitystore:UpdateUser', IDENTITY_STORE_USER)], why: "renames an Identity Center user who has admin assignments to one's own user name and signs in as them" },
  ...ESCALATION_ROUTES.slice(1)
    .filter((r) => !/^(sso|identitystore):/.test(r.needs[0]!.action))
    .map((r) => ({ needs: r.needs, why: `${r.why}: an admin of the account that runs Identity Center changes it at will` })),
];

/**
 * An IAM policy document as a KnownPolicy for a principal of `accountId`: the representative resources
 * are put in that account, so a grant scoped to the account's own ARNs (arn:aws:iam::<id>:role/*)
 * matches as it would. Null when the document cannot be read.
 */
export function identityPolicy(label: string, document: string, accountId: string): KnownPolicy | null {
  const statements = parsePolicy(document);
  if (!statements) return null;
  const local = new Map<string, Probe>();
  return {
    label,
    verdict: (probe) => {
      let q = local.get(probe.resource);
      if (!q) local.set(probe.resource, (q = { action: probe.action, resource: probe.resource.replace(`:${PROBE_ACCOUNT}:`, `:${accountId}:`) }));
      return evaluatePolicy(statements, { action: probe.action, resource: q.resource });
    },
  };
}
