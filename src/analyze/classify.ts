// Which environment an account is in, and which tier a permission set is: config-driven, first match wins;
// a permission set no configured tier matches is raised to admin when its policies let it become admin.
import { globMatcher } from '../util/glob.js';
import type { Config, EnvironmentMatchers, TierMatchersT } from '../model/config.js';
import type { AccountT, PermissionSetT } from '../model/snapshot-schema.js';
import { escalationCapability } from './capabilities.js';

// Globs come from the config: few, each compiled once and matched against every account.
const compiled = new Map<string, (value: string) => boolean>();
const matcher = (glob: string) => {
  let m = compiled.get(glob);
  if (!m) compiled.set(glob, (m = globMatcher(glob)));
  return m;
};
const globMatch = (globs: string[] | undefined, value: string): boolean => (globs ?? []).some((glob) => matcher(glob)(value));

function accountMatches(m: EnvironmentMatchers, account: AccountT): boolean {
  if (m.accountIds?.includes(account.id)) return true;
  if (globMatch(m.ouPaths, account.ouPath)) return true;
  if (globMatch(m.accountNames, account.name)) return true;
  for (const [key, wanted] of Object.entries(m.tags ?? {})) {
    const actual = Object.entries(account.tags).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    const values = Array.isArray(wanted) ? wanted : [wanted];
    if (actual !== undefined && values.some((v) => v.toLowerCase() === actual.toLowerCase())) return true;
  }
  return false;
}

export function classifyAccount(config: Config, account: AccountT): string {
  for (const [name, matchers] of Object.entries(config.environments)) {
    if (accountMatches(matchers, account)) return name;
  }
  return config.defaultEnvironment;
}

/** True when a policy document allows "*" or "iam:*" (or "*:*") on resource "*". */
export function policyAllowsAdmin(document: string | null): boolean {
  if (!document) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return false;
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
  return list.some((s: Record<string, unknown>) => {
    if (s.Effect !== 'Allow') return false;
    const actions = asArray(s.Action).map((a) => a.toLowerCase());
    const resources = asArray(s.Resource);
    return actions.some((a) => a === '*' || a === '*:*' || a === 'iam:*') && resources.includes('*');
  });
}

/** Which of a tier's matchers the permission set meets, in words; null when none does. */
function tierMatch(m: TierMatchersT, ps: PermissionSetT): string | null {
  const managed = ps.managedPolicies.find((p) => (m.managedPolicies ?? []).some((x) => x === p.arn || x === p.name));
  if (managed) return `its managed policy ${managed.name}`;
  const customer = ps.customerManagedPolicies.find((p) => globMatch(m.customerManagedPolicies, p.name));
  if (customer) return `its customer managed policy ${customer.name}`;
  if (globMatch(m.names, ps.name)) return 'its name';
  return m.inlineAdmin === true && policyAllowsAdmin(ps.inlinePolicy) ? 'its inline policy (inlineAdmin)' : null;
}

/** A permission set's tier and why, in words (for reports and rules). */
export interface TierDecision {
  tier: string;
  reason: string;
}

/** The tier capability raises a set to when its policies let the holder make themselves admin. */
export const CAPABILITY_TIER = 'admin';

// Once per (config, permission set): the index and the resource collections both ask.
const decided = new WeakMap<Config, WeakMap<PermissionSetT, TierDecision>>();

/**
 * The configured tiers first (first match wins, kept as is); when none matches, the set's escalation
 * capability (capabilities.ts) raises the default tier to admin. A capability that cannot be judged
 * (a policy document not in the snapshot) leaves the default tier and says so.
 */
export function classifyPermissionSetWithReason(config: Config, ps: PermissionSetT): TierDecision {
  let forConfig = decided.get(config);
  if (!forConfig) decided.set(config, (forConfig = new WeakMap()));
  let decision = forConfig.get(ps);
  if (!decision) forConfig.set(ps, (decision = decide(config, ps)));
  return decision;
}

function decide(config: Config, ps: PermissionSetT): TierDecision {
  const capability = escalationCapability(ps);
  for (const [name, matchers] of Object.entries(config.permissionSetTiers)) {
    const match = tierMatch(matchers, ps);
    if (!match) continue;
    const reason = `configured: ${match} matches permissionSetTiers.${name}`;
    // The configured tier stands; a holder who can make themselves admin is still worth saying.
    if (name !== CAPABILITY_TIER && capability.escalation) return { tier: name, reason: `${reason}; yet ${capability.escalation}` };
    return { tier: name, reason };
  }
  if (capability.escalation) return { tier: CAPABILITY_TIER, reason: capability.escalation };
  const tier = config.defaultTier;
  const checked = capability.evaluated.join(', ');
  const blocked = capability.boundaryBlocked ? ' (its permissions boundary blocks the ones its policies allow)' : '';
  if (capability.unknown.length) {
    const rest = checked ? `; no route to admin found in ${checked}${blocked}` : '';
    return { tier, reason: `default tier; capability unknown: ${capability.unknown.join('; ')}${rest}` };
  }
  const none = checked ? `no route to admin is allowed by ${checked}${blocked}` : 'it has no policies';
  return { tier, reason: `default tier: no configured tier matches and ${none}` };
}

export function classifyPermissionSet(config: Config, ps: PermissionSetT): string {
  return classifyPermissionSetWithReason(config, ps).tier;
}
