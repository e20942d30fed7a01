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
import type { ResourcePolicyT, Snapshot } from '../model/snapshot-schema.js';
import type { PathWithSource } from './access-paths.js';
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

/** Condition keys (lower case) that name the calling principal, and what they hold. */
const ARN_KEYS = new Set(['aws:principalarn']);
const ACCOUNT_KEYS = new Set(['aws:principalaccount']);
const UNEVALUATED_KEYS = new Set(['aws:userid']);

interface Statement {
  readable: boolean;
  sid: string | null;
  effect: string;
  actions: string[];
  /** Principal element: anyone, or the AWS entries. */
  anyone: boolean;
  awsPrincipals: string[];
  /** Positive conditions on the principal ARN (each list must have a match) and account. */
  arnConditions: string[][];
  accountConditions: string[][];
  /** What the match cannot judge (aws:userid): named, and the statement counted as not matching through it. */
  unevaluated: string[];
  /** Other condition keys: the access holds only when they are met. */
  otherConditions: string[];
  principals: string[];
}

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readStatement(text: string): Statement {
  const unreadable: Statement = { readable: false, sid: null, effect: 'Allow', actions: [], anyone: true, awsPrincipals: [], arnConditions: [], accountConditions: [], unevaluated: [], otherConditions: [], principals: [] };
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
    anyone: false,
    awsPrincipals: [],
    arnConditions: [],
    accountConditions: [],
    unevaluated: [],
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
      // A negated operator (StringNotLike, ArnNotEquals…) only takes principals away: not narrowed here (it leans to "matches").
      const negated = /not/i.test(operator.replace(/IfExists$/, ''));
      for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
        const k = key.toLowerCase();
        const values = strings(v);
        if (ARN_KEYS.has(k) || ACCOUNT_KEYS.has(k) || UNEVALUATED_KEYS.has(k)) out.principals.push(`${operator} ${key} ${values.join(', ')}`);
        else out.otherConditions.push(`${operator} ${key}`);
        if (negated) continue;
        if (ARN_KEYS.has(k)) out.arnConditions.push(values);
        else if (ACCOUNT_KEYS.has(k)) out.accountConditions.push(values);
        else if (UNEVALUATED_KEYS.has(k)) out.unevaluated.push(`${key} ${values.join(', ')}`);
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

/** Does the statement let the role of `setName` in `accountId` in? */
export function statementMatches(st: Statement, accountId: string, setName: string, region: string | null): boolean {
  if (!st.readable) return true;
  if (st.unevaluated.length) return false;
  const principalOk =
    st.anyone ||
    st.awsPrincipals.some((x) => {
      if (x === accountId || x === `arn:aws:iam::${accountId}:root`) return true;
      // A Principal element names a role exactly (no wildcards): its account and name.
      const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(x);
      return m !== null && m[1] === accountId && m[2]!.startsWith(`${PREFIX}${setName}_`) && /^[0-9a-fA-F]+$/.test(m[2]!.slice(`${PREFIX}${setName}_`.length));
    });
  if (!principalOk) return false;
  if (!st.accountConditions.every((values) => values.some((v) => wildcardMatch(v, accountId)))) return false;
  return st.arnConditions.every((values) => values.some((v) => roleArns(v, accountId, setName, region).some((arn) => wildcardMatch(v, arn))));
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The resourcePolicies collection (resource-types.ts documents each field); empty without aws.resourcePolicies. */
export function resourcePolicies(ix: SnapshotIndex, paths: PathWithSource[], all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): ResourceItem[] {
  const section = (ix.snapshot as Snapshot).aws.resourcePolicies?.data ?? null;
  if (!section || section.policies.length === 0) return [];
  const reaches = reachesFor(ix, paths, all, byGroup);
  const { pairs } = reaches.targetsWithPaths();
  const region = ix.snapshot.aws.identityCenter.data?.region ?? null;
  const orgAccounts = new Set((ix.snapshot.aws.organization.data?.accounts ?? []).map((a) => a.id));
  const accountIds = [...new Set([...orgAccounts, ...pairs.map((x) => x.account.id)])].sort();
  const out: ResourceItem[] = [];
  section.policies.forEach((policy: ResourcePolicyT, i) => {
    const acct = ix.account(policy.accountId);
    policy.statements.forEach((raw, j) => {
      const st = readStatement(raw.statement);
      if (st.readable && st.effect !== 'Allow') return;
      const matched: number[] = [];
      pairs.forEach((pair, n) => statementMatches(st, pair.account.id, pair.permissionSet.name, region) && matched.push(n));
      const wildcardAccounts = accountIds.filter((id) => statementMatches(st, id, PROBE_SET, region));
      const wildcard = wildcardAccounts.length > 0;
      if (!matched.length && !wildcard) return;
      const hits = matched.map((n) => pairs[n]!);
      const nonProd = hits.filter((h) => h.account.environment !== PROD);
      const lowerTier = hits.filter((h) => h.account.environment === PROD && h.account.id !== policy.accountId && h.permissionSet.tier !== ADMIN);
      // Named accounts outside the organization: their roles are nobody's access path here.
      const named = [...st.awsPrincipals.map((x) => /(\d{12})/.exec(x)?.[1] ?? null), ...st.arnConditions.flat().map((x) => /^arn:[^:]*:iam::(\d{12}):/.exec(x)?.[1] ?? null)];
      const external = [...new Set(named.filter((x): x is string => x !== null && !orgAccounts.has(x)))].sort();
      const reach = reaches.pairs(matched);
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
          how: `${resource} lets ${wildcard ? "every permission set's role" : names(hits, (h) => h.permissionSet.name).join(', ')} in (${st.principals.join('; ') || 'statement not readable'})`,
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
          unevaluated: st.unevaluated,
          wildcard,
          wildcardAccounts,
          matchCount: hits.length,
          matchedPermissionSets: names(hits, (h) => h.permissionSet.name),
          matchedAccounts: names(hits, (h) => `${h.account.name} (${h.account.id})`),
          nonProdMatches: names(nonProd, (h) => `${h.permissionSet.name} in ${h.account.name} (${h.account.id}, ${h.account.environment})`),
          lowerTierMatches: names(lowerTier, (h) => `${h.permissionSet.name} (${h.permissionSet.tier}) in ${h.account.name} (${h.account.id})`),
          externalAccounts: external,
          ...reachFields(reach),
        },
      });
    });
  });
  return out;
}
