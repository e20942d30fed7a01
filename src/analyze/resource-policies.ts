// Access that never goes through an account assignment: a Lambda function or API Gateway REST API whose
// resource policy lets Identity Center roles in. One item per Allow statement that matches some
// permission set's role; its paths are those of the (account, permission set) pairs whose roles it
// matches: their holders get this access on top of what the assignment gives. Work is per statement
// and per distinct (account, permission set) pair, never per path.
//
// A permission set's role is arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/[<region>/]
// AWSReservedSSO_<permission set name>_<suffix>; the suffix is random and not in the snapshot. A
// statement's principals are tested against that ARN: with the suffix the pattern itself names (it
// then names that role), else a representative one only a wildcard matches. A statement "matches every
// permission set's role" (wildcard) when it matches the role of a permission set that does not exist.
//
// Conditions on the caller are evaluated per role, with the IAM operators' semantics (StringEquals exact,
// StringLike wildcards, ArnLike per ARN part, Not… negated): aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalOrgID (the organization's id) and aws:userid ("<role id>:<session>": matched against the
// role ids the snapshot has). What cannot be decided (an unknown role id, a session name, a principal
// tag) makes the role "undecided": named in `unevaluated`, and its paths counted in the impact. A Deny
// of the same policy that covers the Allow's actions and resources takes away the roles it certainly
// applies to (a carve-out such as StringNotLike aws:userid).
import type { ResourcePolicyT, Snapshot } from '../model/snapshot-schema.js';
import type { PathsWithParts } from './access-paths.js';
import { wildcardMatch } from './capabilities.js';
import { reachesFor, reachFields } from './control-plane.js';
import type { SnapshotIndex } from './snapshot-index.js';
import type { ResourceItem } from './types.js';

const PROD = 'prod';
const ADMIN = 'admin';
const PREFIX = 'AWSReservedSSO_';
/** A permission set no tenant has: a statement that lets its role in lets every set's role in. */
const PROBE_SET = 'JitauditNoSuchPermissionSet';
const PROBE_SUFFIX = 'f0e1d2c3b4a59687';

/** A role's unique id prefix (IAM identifiers): what aws:userid conditions name, with the session name. */
const ROLE_ID = /^AROA[A-Z0-9]+$/;
const PERMISSION_SET_ROLE = /^AWSReservedSSO_(.+)_[0-9a-fA-F]+$/;
const PROBE_ROLE_ID = 'AROAJITAUDITNOSUCHROLE';

/** One condition on the calling principal: aws:PrincipalArn, aws:userid, aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalTag/… */
interface PrincipalCondition {
  operator: string;
  key: string;
  values: string[];
}

interface Statement {
  readable: boolean;
  sid: string | null;
  effect: string;
  actions: string[];
  /** Resource element (null: NotResource or none). */
  resources: string[] | null;
  /** Principal element: anyone, or the AWS entries. */
  anyone: boolean;
  awsPrincipals: string[];
  /** Conditions on the principal (keys aws:Principal… and aws:userid): evaluated per role. */
  principalConditions: PrincipalCondition[];
  /** Other condition keys: the access holds only when they are met. */
  otherConditions: string[];
  principals: string[];
}

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const isPrincipalKey = (k: string) => k.startsWith('aws:principal') || k === 'aws:userid';

export function readStatement(text: string): Statement {
  const unreadable: Statement = { readable: false, sid: null, effect: 'Allow', actions: [], resources: null, anyone: true, awsPrincipals: [], principalConditions: [], otherConditions: [], principals: [] };
  let s: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return unreadable;
    s = parsed as Record<string, unknown>;
  } catch {
    return unreadable;
  }
  const out: Statement = {
    readable: true,
    sid: typeof s.Sid === 'string' ? s.Sid : null,
    effect: typeof s.Effect === 'string' ? s.Effect : '',
    actions: [...strings(s.Action), ...strings(s.NotAction).map((a) => `NotAction ${a}`)],
    resources: s.Resource === undefined ? null : strings(s.Resource),
    anyone: false,
    awsPrincipals: [],
    principalConditions: [],
    otherConditions: [],
    principals: [],
  };
  if (s.Principal === '*') {
    out.anyone = true;
    out.principals.push('Principal *');
  } else if (s.Principal && typeof s.Principal === 'object') {
    for (const [kind, v] of Object.entries(s.Principal as Record<string, unknown>)) {
      for (const x of strings(v)) {
        if (kind !== 'AWS') continue;
        out.principals.push(`Principal AWS ${x}`);
        if (x === '*') out.anyone = true;
        else out.awsPrincipals.push(x);
      }
    }
  }
  if (s.Condition && typeof s.Condition === 'object') {
    for (const [operator, block] of Object.entries(s.Condition as Record<string, unknown>)) {
      if (!block || typeof block !== 'object') continue;
      for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
        const values = strings(v);
        if (isPrincipalKey(key.toLowerCase())) {
          out.principals.push(`${operator} ${key} ${values.join(', ')}`);
          out.principalConditions.push({ operator, key, values });
        } else out.otherConditions.push(`${operator} ${key}`);
      }
    }
  }
  return out;
}

/** The ARN a permission set's role would have in an account, for a pattern (its own suffix when it names one). */
function roleArns(pattern: string, accountId: string, setName: string, region: string | null): string[] {
  const named = new RegExp(`${PREFIX}${setName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_([0-9a-fA-F]+)`).exec(pattern);
  const name = `${PREFIX}${setName}_${named?.[1] ?? PROBE_SUFFIX}`;
  const base = `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/`;
  return region ? [`${base}${region}/${name}`, `${base}${name}`] : [`${base}${name}`];
}

/** The permission set's role as a caller: what its request context holds. */
export interface Caller {
  accountId: string;
  setName: string;
  /** Identity Center's Region (the role path has it, except for us-east-1 instances). */
  region: string | null;
  /** The role's unique id (AROA…) when the snapshot has the role; null when it does not. */
  roleId: string | null;
  /** The organization id; null when unknown. */
  orgId: string | null;
}

export type Verdict = 'yes' | 'no' | 'unknown';
export interface Judgement {
  verdict: Verdict;
  /** Why it is unknown: the conditions that could not be evaluated for this role. */
  why: string[];
}

/** ArnLike / ArnEquals: each of the six colon-separated parts matched on its own (a * never spans a colon). */
function arnMatch(pattern: string, value: string): boolean {
  const split = (x: string) => {
    const parts = x.split(':');
    return parts.length < 6 ? null : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const v = split(value);
  return p !== null && v !== null && p.every((x, i) => wildcardMatch(x, v[i]!));
}

type Test = (pattern: string, value: string) => boolean;
/** An operator's comparison, and whether it is negated; null for operators that do not compare strings or ARNs. */
function operatorTest(operator: string): { test: Test; negated: boolean; ifExists: boolean } | null {
  const ifExists = /IfExists$/.test(operator);
  const base = operator.replace(/^For(Any|All)Values?:/, '').replace(/IfExists$/, '');
  const table: Record<string, Test> = {
    StringEquals: (p, v) => p === v,
    StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
    StringLike: wildcardMatch,
    ArnEquals: arnMatch,
    ArnLike: arnMatch,
  };
  const positive = base.replace(/Not(?=Equals|Like)/, '');
  const test = table[positive];
  return test ? { test, negated: positive !== base, ifExists } : null;
}

/** The verdict of one principal condition for a caller. */
function conditionVerdict(c: PrincipalCondition, who: Caller): Judgement {
  const k = c.key.toLowerCase();
  const text = `${c.operator} ${c.key} ${c.values.join(', ')}`;
  const op = operatorTest(c.operator);
  const unknown = (reason: string): Judgement => ({ verdict: 'unknown', why: [`${text}: ${reason}`] });
  if (!op) return unknown('operator not evaluated');
  // Per value: does it match (yes / no / unknown)? A positive operator needs one value to match; a
  // negated one needs none to match (several values of a negated operator work as AND).
  let perValue: (v: string) => Verdict;
  let reason = '';
  if (k === 'aws:principalarn') {
    perValue = (v) => (roleArns(v, who.accountId, who.setName, who.region).some((arn) => op.test(v, arn)) ? 'yes' : 'no');
  } else if (k === 'aws:principalaccount') {
    perValue = (v) => (op.test(v, who.accountId) ? 'yes' : 'no');
  } else if (k === 'aws:principalorgid') {
    if (who.orgId === null) return unknown('the organization id is not in the snapshot');
    perValue = (v) => (op.test(v, who.orgId!) ? 'yes' : 'no');
  } else if (k === 'aws:userid') {
    // A role's aws:userid is "<role id>:<session name>"; the session name is the person's, chosen at sign-in.
    perValue = (v) => {
      const colon = v.indexOf(':');
      const idPart = colon < 0 ? v : v.slice(0, colon);
      const session = colon < 0 ? null : v.slice(colon + 1);
      const anyId = /^\*+$/.test(idPart) && op.test === wildcardMatch;
      let id: Verdict;
      if (anyId) id = 'yes';
      else if (who.roleId !== null) id = op.test(idPart, who.roleId) ? 'yes' : 'no';
      else if (ROLE_ID.test(idPart) || /[*?]/.test(idPart)) {
        reason = 'names a role id the snapshot does not have for this permission set\'s role';
        id = 'unknown';
      } else id = 'no';
      if (id === 'no') return 'no';
      if (session === null) return op.test === wildcardMatch && idPart.endsWith('*') ? id : 'no';
      if (op.test === wildcardMatch && /^\*+$/.test(session)) return id;
      reason ||= 'the session name (the person signing in) decides';
      return 'unknown';
    };
  } else {
    return unknown('not evaluated (a principal tag, path or type the snapshot does not hold)');
  }
  const verdicts = c.values.map(perValue);
  const any: Verdict = verdicts.includes('yes') ? 'yes' : verdicts.includes('unknown') ? 'unknown' : 'no';
  const result: Verdict = op.negated ? (any === 'yes' ? 'no' : any === 'no' ? 'yes' : 'unknown') : any;
  return result === 'unknown' ? unknown(reason || 'not evaluated') : { verdict: result, why: [] };
}

/** Does the statement apply to the caller (its Principal element and principal conditions)? */
export function judgeStatement(st: Statement, who: Caller): Judgement {
  if (!st.readable) return { verdict: 'yes', why: [] };
  const { accountId, setName } = who;
  const principalOk =
    st.anyone ||
    st.awsPrincipals.some((x) => {
      if (x === accountId || x === `arn:aws:iam::${accountId}:root`) return true;
      // A Principal element names a role exactly (no wildcards): its account and name.
      const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(x);
      return m !== null && m[1] === accountId && m[2]!.startsWith(`${PREFIX}${setName}_`) && /^[0-9a-fA-F]+$/.test(m[2]!.slice(`${PREFIX}${setName}_`.length));
    });
  if (!principalOk) return { verdict: 'no', why: [] };
  const why: string[] = [];
  for (const c of st.principalConditions) {
    const j = conditionVerdict(c, who);
    if (j.verdict === 'no') return { verdict: 'no', why: [] };
    why.push(...j.why);
  }
  return why.length ? { verdict: 'unknown', why } : { verdict: 'yes', why: [] };
}

/** Does the statement certainly let the role of `setName` in `accountId` in? (Unknown roles and conditions: no.) */
export function statementMatches(st: Statement, accountId: string, setName: string, region: string | null, roleId: string | null = null, orgId: string | null = null): boolean {
  return judgeStatement(st, { accountId, setName, region, roleId, orgId }).verdict === 'yes';
}

/** A Deny statement takes an Allow away only where it covers all of its actions and resources, unconditionally otherwise. */
function denyCovers(deny: Statement, allow: Statement): boolean {
  if (!deny.readable || deny.otherConditions.length > 0) return false;
  const actions = deny.actions.filter((a) => !a.startsWith('NotAction '));
  if (actions.length !== deny.actions.length || allow.actions.length === 0 || allow.actions.some((a) => a.startsWith('NotAction '))) return false;
  if (!allow.actions.every((a) => actions.some((d) => wildcardMatch(d.toLowerCase(), a.toLowerCase())))) return false;
  if (deny.resources === null || allow.resources === null) return false;
  return allow.resources.every((r) => deny.resources!.some((d) => wildcardMatch(d, r)));
}

/** The Allow's judgement once the policy's Deny statements that cover it are applied. */
export function judgeWithDenies(allow: Statement, denies: Statement[], who: Caller): Judgement {
  const a = judgeStatement(allow, who);
  if (a.verdict === 'no') return a;
  const why = [...a.why];
  for (const d of denies) {
    if (!denyCovers(d, allow)) continue;
    const j = judgeStatement(d, who);
    if (j.verdict === 'yes') return { verdict: 'no', why: [] };
    if (j.verdict === 'unknown') why.push(...j.why.map((w) => `Deny ${d.sid ?? ''}`.trimEnd() + ` may take it away: ${w}`));
  }
  return why.length ? { verdict: 'unknown', why } : { verdict: 'yes', why: [] };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The resourcePolicies collection (resource-types.ts documents each field); empty without aws.resourcePolicies. */
export function resourcePolicies(ix: SnapshotIndex, found: PathsWithParts, all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): ResourceItem[] {
  const section = (ix.snapshot as Snapshot).aws.resourcePolicies?.data ?? null;
  if (!section || section.policies.length === 0) return [];
  const reaches = reachesFor(ix, found, all, byGroup);
  const { pairs } = reaches.targetsWithPaths();
  const region = ix.snapshot.aws.identityCenter.data?.region ?? null;
  const orgAccounts = new Set((ix.snapshot.aws.organization.data?.accounts ?? []).map((a) => a.id));
  const accountIds = [...new Set([...orgAccounts, ...pairs.map((x) => x.account.id)])].sort();
  const orgId = ix.snapshot.aws.organization.data?.id ?? null;
  // Permission-set roles the snapshot has (the control-plane accounts): their unique ids, for aws:userid.
  const roleIds = new Map<string, string>();
  const rolesKnown = new Set<string>();
  for (const a of (ix.snapshot as Snapshot).aws.controlPlane?.data?.accounts ?? []) {
    if (!a.principals) continue;
    rolesKnown.add(a.accountId);
    for (const p of a.principals) {
      const set = p.type === 'role' && p.permissionSetRole ? PERMISSION_SET_ROLE.exec(p.name)?.[1] : undefined;
      if (set !== undefined && p.id) roleIds.set(`${a.accountId}|${set}`, p.id);
    }
  }
  const caller = (accountId: string, setName: string): Caller => ({ accountId, setName, region, roleId: roleIds.get(`${accountId}|${setName}`) ?? null, orgId });
  // The probe set's role does not exist: a known id no statement names, so only an any-id pattern matches it.
  const probe = (accountId: string): Caller => ({ accountId, setName: PROBE_SET, region, roleId: PROBE_ROLE_ID, orgId });
  const out: ResourceItem[] = [];
  section.policies.forEach((policy: ResourcePolicyT, i) => {
    const acct = ix.account(policy.accountId);
    const read = policy.statements.map((raw) => readStatement(raw.statement));
    const denies = read.filter((st) => st.readable && st.effect === 'Deny');
    policy.statements.forEach((raw, j) => {
      const st = read[j]!;
      if (st.readable && st.effect !== 'Allow') return;
      const matched: number[] = [];
      const undecided: number[] = [];
      const why = new Set<string>();
      pairs.forEach((pair, n) => {
        const who = caller(pair.account.id, pair.permissionSet.name);
        const judged = judgeWithDenies(st, denies, who);
        if (judged.verdict === 'yes') matched.push(n);
        else if (judged.verdict === 'unknown') {
          undecided.push(n);
          // An unknown role id is said once, not per role.
          judged.why.forEach((w) => why.add(w));
        }
      });
      const probes = accountIds.map((id) => ({ id, j: judgeWithDenies(st, denies, probe(id)) }));
      // Undecided counts as letting in (never a false clean); `unevaluated` says what was not decided.
      const wildcardAccounts = probes.filter((x) => x.j.verdict !== 'no').map((x) => x.id);
      const wildcard = wildcardAccounts.length > 0;
      probes.forEach((x) => x.j.why.forEach((w) => why.add(w)));
      const unevaluated = [...why].sort(byText);
      if (!matched.length && !wildcard && !undecided.length && !unevaluated.length) return;
      const hits = matched.map((n) => pairs[n]!);
      const maybe = undecided.map((n) => pairs[n]!);
      const isNonProd = (h: (typeof hits)[number]) => h.account.environment !== PROD;
      const isLowerTier = (h: (typeof hits)[number]) => h.account.environment === PROD && h.account.id !== policy.accountId && h.permissionSet.tier !== ADMIN;
      // Named accounts outside the organization: their roles are nobody's access path here.
      const named = [...st.awsPrincipals.map((x) => /(\d{12})/.exec(x)?.[1] ?? null), ...st.principalConditions.filter((c) => c.key.toLowerCase() === 'aws:principalarn').flatMap((c) => c.values).map((x) => /^arn:[^:]*:iam::(\d{12}):/.exec(x)?.[1] ?? null)];
      const external = [...new Set(named.filter((x): x is string => x !== null && !orgAccounts.has(x)))].sort();
      // Impact: the certain and the undecided roles' paths (an unevaluated condition is never read as safe).
      const reach = reaches.pairs([...matched, ...undecided].sort((a, b) => a - b));
      const names = (list: typeof hits, f: (h: (typeof hits)[number]) => string) => [...new Set(list.map(f))].sort(byText);
      const resource = `${policy.service === 'lambda' ? 'Lambda function' : 'API Gateway REST API'} ${policy.resourceName}`;
      out.push({
        ref: {
          type: 'resourcePolicyStatement',
          id: `${policy.resourceArn}#${st.sid ?? j}`,
          name: `${resource} in ${acct.name} (${policy.region}): statement ${st.sid ?? j + 1}`,
          pointer: `/aws/resourcePolicies/data/policies/${i}/statements/${j}`,
          account: { id: acct.id, name: acct.name, environment: acct.environment },
        },
        paths: reach.paths,
        data: {
          kind: 'resource-policy',
          holder: resource,
          how: `${resource} lets ${wildcard ? "every permission set's role" : hits.length ? names(hits, (h) => h.permissionSet.name).join(', ') : 'possibly some permission set roles'} in (${st.principals.join('; ') || 'statement not readable'})`,
          service: policy.service,
          resourceArn: policy.resourceArn,
          resourceName: policy.resourceName,
          region: policy.region,
          accountId: policy.accountId,
          accountName: acct.name,
          environment: acct.environment,
          statementIndex: j,
          sid: st.sid,
          statement: raw.statement,
          statementReadable: st.readable,
          actions: st.actions,
          principals: st.principals,
          conditions: st.otherConditions,
          unevaluated,
          // For messages: nothing when every condition was decided.
          undecidedNote: unevaluated.length ? ` Not decided (counted as letting in): ${unevaluated.join('; ')}.` : '',
          undecidedCount: undecided.length,
          undecidedPermissionSets: names(undecided.map((n) => pairs[n]!), (h) => `${h.permissionSet.name} in ${h.account.name} (${h.account.id})`),
          wildcard,
          wildcardAccounts,
          matchCount: hits.length,
          matchedPermissionSets: names(hits, (h) => h.permissionSet.name),
          matchedAccounts: names(hits, (h) => `${h.account.name} (${h.account.id})`),
          nonProdMatches: [
            ...names(hits.filter(isNonProd), (h) => `${h.permissionSet.name} in ${h.account.name} (${h.account.id}, ${h.account.environment})`),
            ...names(maybe.filter(isNonProd), (h) => `${h.permissionSet.name} in ${h.account.name} (${h.account.id}, ${h.account.environment}; undecided)`),
          ],
          lowerTierMatches: [
            ...names(hits.filter(isLowerTier), (h) => `${h.permissionSet.name} (${h.permissionSet.tier}) in ${h.account.name} (${h.account.id})`),
            ...names(maybe.filter(isLowerTier), (h) => `${h.permissionSet.name} (${h.permissionSet.tier}) in ${h.account.name} (${h.account.id}; undecided)`),
          ],
          externalAccounts: external,
          ...reachFields(reach),
        },
      });
    });
  });
  return out;
}
