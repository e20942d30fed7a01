// Who can get around the JIT on the AWS side: IAM users and roles of the account that runs Identity
// Center (the management account, or its delegated administrator) whose own policies let them change
// Identity Center — assign anyone any permission set, rewrite a permission set, add a user to a group —
// and who can act as them. Work is per IAM principal and per policy, never per path: every such
// holder can assign themselves anything, so its reach is the shared array of every path.
//
// Holders of a capable principal:
//   iam-user       the IAM user itself: standing (a person when it has a console password)
//   trusted-role   a role whose trust policy lets accounts, services or an external IdP in: the role is
//                  the holder, standing, with who it trusts in words
//   permission-set a permission-set role (AWSReservedSSO_<set>_<suffix>): the people with an access path
//                  to (that account, that set), standing or JIT as their paths are, with the path's window
// Service-linked roles (path /aws-service-role/) are assumed by their AWS service only: not holders.
// docs/control-plane.md explains the model and its limits.
import type { ControlPlaneAccountT, ControlPlaneT, IamPrincipalT, Snapshot } from '../model/snapshot-schema.js';
import { isoToSeconds } from '../util/duration.js';
import type { PathsWithParts } from './access-paths.js';
import { awsManagedPolicyVerdicts } from './aws-managed-policies.js';
import { IDENTITY_CENTER_ROUTES, identityPolicy, routeCapability, scpSet, scpStopsEveryRoute, type KnownPolicy, type PolicySet, type ScpSet } from './capabilities.js';
import { reachesFor, reachFields } from './control-plane.js';
import type { SnapshotIndex } from './snapshot-index.js';
import type { AccessPathDetail, ResourceItem } from './types.js';

/** The roles Identity Center creates for a permission set: AWSReservedSSO_<permission set name>_<hex suffix>. */
const PERMISSION_SET_ROLE = /^AWSReservedSSO_(.+)_[0-9a-fA-F]+$/;

type ManagedDoc = ControlPlaneT['managedPolicies'][number];

/** The policies that decide what an IAM principal may do: its own, its groups' (users), its boundary. */
export function principalPolicySet(p: IamPrincipalT, account: ControlPlaneAccountT, managed: ReadonlyMap<string, ManagedDoc>): PolicySet {
  const identity: KnownPolicy[] = [];
  const unknown: string[] = [];
  const name = (arn: string) => arn.split('/').pop() ?? arn;
  const document = (label: string, text: string) => {
    const k = identityPolicy(label, text, account.accountId);
    if (k) identity.push(k);
    else unknown.push(`${label} (not a policy document this evaluation can read)`);
  };
  const attached = (owner: string, arn: string) => {
    const doc = managed.get(arn)?.document ?? null;
    if (doc !== null) return document(`${owner}managed policy ${name(arn)}`, doc);
    const table = awsManagedPolicyVerdicts(arn);
    if (table) identity.push({ label: `${owner}AWS managed policy ${name(arn)}`, verdict: table });
    else unknown.push(`${owner}managed policy ${name(arn)} (its document is not in the snapshot)`);
  };
  for (const i of p.inlinePolicies) document(`inline policy ${i.name}`, i.document);
  for (const arn of p.attachedPolicyArns) attached('', arn);
  for (const g of p.groups) {
    const group = account.groups?.find((x) => x.name === g);
    if (!group) {
      unknown.push(`IAM group ${g} (its policies are not in the snapshot)`);
      continue;
    }
    for (const i of group.inlinePolicies) document(`group ${g}: inline policy ${i.name}`, i.document);
    for (const arn of group.attachedPolicyArns) attached(`group ${g}: `, arn);
  }
  let boundary: KnownPolicy | null = null;
  const b = p.permissionsBoundaryArn;
  if (b) {
    const doc = managed.get(b)?.document ?? null;
    const label = `permissions boundary ${name(b)}`;
    const known = doc !== null ? identityPolicy(label, doc, account.accountId) : awsManagedPolicyVerdicts(b) ? { label, verdict: awsManagedPolicyVerdicts(b)! } : null;
    if (known) boundary = known;
    else unknown.push(`${label} (${doc !== null ? 'not a policy document this evaluation can read' : 'its document is not in the snapshot'})`);
  }
  return { identity, boundary, unknown };
}

/** Who a trust policy lets assume the role, one line per principal, with the condition keys that narrow it. */
export function trustSummary(trustPolicy: string | null): string[] {
  if (trustPolicy === null) return ['(no trust policy)'];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trustPolicy);
  } catch {
    return ['(the trust policy could not be read)'];
  }
  const raw = (parsed as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const out: string[] = [];
  for (const s of list as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object' || s.Effect !== 'Allow') continue;
    const keys = s.Condition && typeof s.Condition === 'object' ? Object.values(s.Condition as Record<string, Record<string, unknown>>).flatMap((block) => (block && typeof block === 'object' ? Object.entries(block).map(([k, v]) => `${k} ${[v].flat().join(', ')}`) : [])) : [];
    const when = keys.length ? ` if ${keys.join('; ')}` : '';
    const principal = s.Principal;
    if (principal === '*') out.push(`anyone (*)${when}`);
    else if (principal && typeof principal === 'object') {
      for (const [kind, v] of Object.entries(principal as Record<string, unknown>)) for (const x of [v].flat()) out.push(`${kind} ${String(x)}${when}`);
    }
  }
  return out.length ? out.sort() : ['(nobody: no Allow statement)'];
}

type Person = AccessPathDetail['principal'];
const personKey = (p: Person) => p.entraUserId ?? p.identityCenterUserId ?? p.upn ?? '';
const personName = (p: Person) => p.upn ?? p.identityCenterUserId ?? p.entraUserId ?? '(unknown)';

/** Worst window first: standing, unbounded, unknown, then the longest total. */
function windowRank(path: AccessPathDetail): number {
  const w = path.window;
  if (path.standing || !w) return Infinity;
  if (w.unbounded) return Number.MAX_VALUE;
  if (!w.known || w.total === null) return Number.MAX_SAFE_INTEGER;
  return isoToSeconds(w.total) ?? Number.MAX_SAFE_INTEGER;
}

/** The awsControlPlane collection (resource-types.ts documents each field); empty without aws.controlPlane. */
export function awsControlPlane(ix: SnapshotIndex, found: PathsWithParts, all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): ResourceItem[] {
  const cp = (ix.snapshot as Snapshot).aws.controlPlane?.data ?? null;
  if (!cp) return [];
  const reach = reachesFor(ix, found, all, byGroup).every();
  const managed = new Map(cp.managedPolicies.map((m) => [m.arn, m]));
  const credentialReport = new Map((ix.snapshot.aws.iamUsers.data ?? []).flatMap((a) => (a.users ?? []).map((u) => [u.arn, u] as const)));
  const permissionSetsByName = new Map([...ix.permissionSetsByArn.values()].map(({ value }) => [value.name, value]));
  const out: ResourceItem[] = [];
  cp.accounts.forEach((account, a) => {
    const acct = ix.account(account.accountId);
    const roleWords = account.roles.map((r) => (r === 'management' ? 'management account' : 'Identity Center delegated administrator')).join(' and ');
    // Service control policies: they do not apply to the management account; a delegated
    // administrator's principals are limited by those in effect for it (root, OUs, account), when read.
    // Not read (asked and refused) is not "no SCP": the principals are judged on IAM alone and say so.
    const scps = account.serviceControlPolicies;
    const scp = account.scpExempt ? 'exempt' : !scps ? 'not-collected' : scps.targets === null ? 'unreadable' : 'applied';
    const scpEval: ScpSet | undefined = scp === 'applied' ? scpSet(account.accountId, scps!.targets!) : undefined;
    const unread = scps?.provenance.status === 'missing' ? `${scps.provenance.error.code}: ${scps.provenance.error.message}` : '';
    const limits =
      scp === 'exempt'
        ? 'management account: service control policies do not apply'
        : scp === 'not-collected'
          ? 'service control policies were not collected: they may narrow this, and were not evaluated'
          : scp === 'unreadable'
            ? `service control policies could not be read (${unread}): incomplete, they may narrow this and were not evaluated`
            : `service control policies evaluated: ${scps!.targets!.map((t, k) => `${scpEval!.levels[k]!.label} (${t.policies.map((x) => x.name).join(', ') || 'none'})`).join('; ')}`;
    (account.principals ?? []).forEach((p, i) => {
      if (p.type === 'role' && p.path.startsWith('/aws-service-role/')) return;
      const set: PolicySet = { ...principalPolicySet(p, account, managed), ...(scpEval ? { scp: scpEval } : {}) };
      const cap = routeCapability(set, IDENTITY_CENTER_ROUTES);
      if (cap.escalation === null && cap.unknown.length === 0) return;
      // Unknown identity policies cannot matter when the SCPs stop every route anyway.
      if (cap.escalation === null && scpEval && scpStopsEveryRoute(scpEval, IDENTITY_CENTER_ROUTES)) return;
      const canChange = cap.escalation !== null ? 'yes' : 'unknown';
      const removed = cap.scpRemoved ?? [];
      const capability = {
        canChange,
        route: cap.escalation,
        conditional: cap.escalation?.includes('(under conditions)') ?? false,
        unknownPolicies: cap.unknown,
        boundaryBlocked: cap.boundaryBlocked,
        evaluatedPolicies: cap.evaluated,
        scp,
        limits: removed.length ? `${limits}; they took away ${removed.join(', ')}` : limits,
      };
      const iamPrincipal = { type: p.type, name: p.name, arn: p.arn, id: p.id, path: p.path, permissionSetRole: p.permissionSetRole };
      const common = {
        kind: 'aws-control-plane',
        accountId: account.accountId,
        accountName: acct.name,
        accountRoles: [...account.roles].sort(),
        iamPrincipal,
        ...capability,
        ...reachFields(reach),
      };
      const pointer = `/aws/controlPlane/data/accounts/${a}/principals/${i}`;
      const ref = { type: p.type === 'user' ? 'iamUser' : 'iamRole', id: p.arn, name: `${p.name} in ${acct.name} (${roleWords})`, pointer, account: { id: acct.id, name: acct.name, environment: acct.environment } };
      const setName = p.permissionSetRole ? (PERMISSION_SET_ROLE.exec(p.name)?.[1] ?? null) : null;
      if (p.type === 'role' && setName !== null) {
        // Whoever has an access path to (this account, this set) can use the role: each person is a holder.
        const ps = permissionSetsByName.get(setName) ?? null;
        if (!ps) return;
        const pair = reachesFor(ix, found, all, byGroup)
          .targetsWithPaths()
          .pairs.find((x) => x.account.id === account.accountId && x.permissionSet.arn === ps.arn);
        if (!pair) return;
        const byPerson = new Map<string, AccessPathDetail[]>();
        for (const n of pair.paths) {
          const path = found.paths[n]!;
          const list = byPerson.get(personKey(path.principal));
          if (list) list.push(path);
          else byPerson.set(personKey(path.principal), [path]);
        }
        for (const list of [...byPerson.values()].sort((x, y) => (personName(x[0]!.principal) < personName(y[0]!.principal) ? -1 : 1))) {
          const worst = list.reduce((w, x) => (windowRank(x) > windowRank(w) ? x : w));
          const person = worst.principal;
          const standing = list.some((x) => x.standing);
          out.push({
            ref: { ...ref, id: `${p.arn}|${personKey(person)}`, name: `${personName(person)}: permission set ${ps.name} in ${acct.name} (${roleWords})`, principal: person },
            paths: reach.paths,
            data: {
              ...common,
              holder: personName(person),
              principal: { type: 'user', upn: person.upn, entraUserId: person.entraUserId, identityCenterUserId: person.identityCenterUserId, arn: null },
              holderVia: 'permission-set',
              how: `${standing ? 'has' : 'can activate'} permission set ${ps.name} in ${acct.name} (${roleWords}): its role ${p.name} can change Identity Center`,
              permissionSet: { arn: ps.arn, name: ps.name },
              standing,
              holderPaths: list.map((x) => x.id).sort(),
              window: standing ? null : worst.window,
              trust: [],
              human: true,
              credentials: null,
            },
          });
        }
        return;
      }
      const user = p.type === 'user' ? (credentialReport.get(p.arn) ?? null) : null;
      out.push({
        ref,
        paths: reach.paths,
        data: {
          ...common,
          holder: p.name,
          principal: { type: p.type === 'user' ? 'iamUser' : 'iamRole', upn: null, entraUserId: null, identityCenterUserId: null, arn: p.arn },
          holderVia: p.type === 'user' ? 'iam-user' : 'trusted-role',
          how:
            p.type === 'user'
              ? `IAM user ${p.name} in ${acct.name} (${roleWords})`
              : `IAM role ${p.name} in ${acct.name} (${roleWords}), assumable by ${trustSummary(p.trustPolicy).join('; ')}`,
          permissionSet: null,
          standing: true,
          holderPaths: [],
          window: null,
          trust: p.type === 'role' ? trustSummary(p.trustPolicy) : [],
          // An IAM user with a console password is (or can be) a person; without one, a workload's keys.
          human: p.type === 'user' ? (user ? user.passwordEnabled : null) : false,
          // The credential report's facts (aws.iamUsers); null when the user is not in it.
          credentials: user ? { passwordEnabled: user.passwordEnabled, mfaActive: user.mfaActive, activeAccessKeys: user.accessKeys.filter((k) => k.active).length } : null,
        },
      });
    });
  });
  return out;
}
