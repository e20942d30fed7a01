// Which environment an account is in, and which tier a permission set is: config-driven, first match wins.
import { globMatcher } from '../util/glob.js';
import type { Config, EnvironmentMatchers, TierMatchersT } from '../model/config.js';
import type { AccountT, PermissionSetT } from '../model/snapshot-schema.js';

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

function tierMatches(m: TierMatchersT, ps: PermissionSetT): boolean {
  const managed = new Set(ps.managedPolicies.flatMap((p) => [p.arn, p.name]));
  if ((m.managedPolicies ?? []).some((p) => managed.has(p))) return true;
  if (ps.customerManagedPolicies.some((p) => globMatch(m.customerManagedPolicies, p.name))) return true;
  if (globMatch(m.names, ps.name)) return true;
  return m.inlineAdmin === true && policyAllowsAdmin(ps.inlinePolicy);
}

export function classifyPermissionSet(config: Config, ps: PermissionSetT): string {
  for (const [name, matchers] of Object.entries(config.permissionSetTiers)) {
    if (tierMatches(matchers, ps)) return name;
  }
  return config.defaultTier;
}
