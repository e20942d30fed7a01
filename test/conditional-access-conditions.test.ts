// Conditional Access on real policy shapes (test/fixtures/graph/conditional-access, see SOURCE.md):
// the normaliser keeps every condition that can carve a population out, and the analysis counts MFA as
// enforced for the AWS app only where none does, naming the one that did.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConditionalAccessPolicy } from '@microsoft/microsoft-graph-types';
import { normaliseConditionalAccessPolicy } from '../src/collect/entra/conditional-access.js';
import { combinationIsMultifactor, strengthIsMfa } from '../src/analyze/resources.js';
import type { ConditionalAccessPolicyT, Snapshot } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/graph/conditional-access/${name}`, import.meta.url), 'utf8')) as ConditionalAccessPolicy;
const normalise = (name: string, id?: string) => {
  const raw = fixture(name);
  return normaliseConditionalAccessPolicy({ ...raw, id: id ?? raw.id! });
};

const config = demoConfig();
const rules = loadRules({ dirs: [], config });

/** The demo with its Conditional Access policies replaced. */
function analyseWith(policies: ConditionalAccessPolicyT[], mutate?: (s: Snapshot) => void) {
  const analysis = analyzeDemo((s) => {
    s.entra.conditionalAccess.data = policies;
    mutate?.(s);
  }, config);
  const coverage = analysis.resources.conditionalAccessCoverage![0]!.data as Record<string, unknown>;
  const byId = new Map(analysis.resources.conditionalAccessPolicies!.map((p) => [p.data.id as string, p.data as Record<string, unknown>]));
  const fired = (ruleId: string) => evaluateRules(rules.filter((r) => r.def.id === ruleId), analysis, config).map((f) => f.finding.object.id);
  return { coverage, byId, fired };
}

/** A policy that requires only the given MFA control for every user of every app, with no other condition. */
const clean = (over: Partial<ConditionalAccessPolicyT> = {}): ConditionalAccessPolicyT => {
  const base = normalise('get-ca008-authentication-strength.json', 'clean');
  return {
    ...base,
    displayName: 'MFA for everyone',
    conditions: { ...base.conditions, users: { ...base.conditions.users, excludeGroups: [] }, userRiskLevels: [] },
    grantControls: { ...base.grantControls!, operator: 'OR', builtInControls: [] },
    ...over,
  };
};

describe('the normaliser keeps the conditions Graph returns', () => {
  it('locations, client app types, platforms, sign-in risk and the GuestsOrExternalUsers exclusion', () => {
    const p = normalise('get-locations-platforms-client-apps.json');
    expect(p.conditions.locations).toEqual({ includeLocations: ['AllTrusted'], excludeLocations: ['00000000-0000-0000-0000-000000000000', 'd2136c9c-b049-47ae-b9cf-316e04ef7198'] });
    expect(p.conditions.platforms).toEqual({ includePlatforms: ['all'], excludePlatforms: ['iOS', 'windowsPhone'] });
    expect(p.conditions.clientAppTypes).toEqual(['mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other']);
    expect(p.conditions.signInRiskLevels).toEqual(['medium', 'low']);
    expect(p.conditions.users.excludeUsers).toContain('GuestsOrExternalUsers');
  });

  it('the authentication strength with its combinations, and user risk; null conditions stay null', () => {
    const p = normalise('get-ca008-authentication-strength.json');
    expect(p.grantControls!.authenticationStrength).toMatchObject({ id: '00000000-0000-0000-0000-000000000002', displayName: 'Multifactor authentication', requirementsSatisfied: 'mfa' });
    expect(p.grantControls!.authenticationStrength!.allowedCombinations).toHaveLength(17);
    expect(p.conditions.userRiskLevels).toEqual(['high']);
    expect(p.conditions).toMatchObject({ locations: null, platforms: null, clientAppTypes: ['all'], deviceFilter: null });
  });

  it('guests or external users, included and excluded', () => {
    const p = normalise('guests-include-exclude.json', 'guests');
    expect(p.conditions.users.excludeGuestsOrExternalUsers).toEqual({ guestOrExternalUserTypes: 'b2bCollaborationGuest', externalTenants: { membershipKind: 'all', members: [] } });
    expect(p.conditions.users.includeGuestsOrExternalUsers?.guestOrExternalUserTypes).toMatch(/^internalGuest,/);
  });
});

describe('authentication strengths', () => {
  it('counts a combination as multifactor when it has two methods or one that is multifactor alone', () => {
    expect(combinationIsMultifactor('password,sms')).toBe(true);
    expect(combinationIsMultifactor('fido2')).toBe(true);
    expect(combinationIsMultifactor('federatedSingleFactor')).toBe(false);
    expect(combinationIsMultifactor('password')).toBe(false);
  });

  it('counts the built-in strengths as MFA, and a custom one with a single-factor combination as not', () => {
    const builtIn = normalise('get-ca008-authentication-strength.json').grantControls!.authenticationStrength!;
    expect(strengthIsMfa(builtIn)).toBe(true);
    expect(strengthIsMfa({ id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA', requirementsSatisfied: 'mfa', allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'] })).toBe(true);
    expect(strengthIsMfa({ id: 'custom', displayName: 'Weak', requirementsSatisfied: 'mfa', allowedCombinations: ['fido2', 'federatedSingleFactor'] })).toBe(false);
  });
});

describe('MFA counts as enforced for the AWS app only where no condition carves a population out', () => {
  it('a clean policy with the built-in MFA strength enforces it', () => {
    const { coverage, byId, fired } = analyseWith([clean()]);
    expect(byId.get('clean')).toMatchObject({ requiresMfa: true, mfaControl: 'authentication strength "Multifactor authentication"', carveOuts: [] });
    expect(coverage).toMatchObject({ mfaEnforced: true, enforcedMfaPolicies: ['MFA for everyone'] });
    expect(fired('ca-mfa-not-enforced-for-aws')).toEqual([]);
  });

  it('MFA only off-network, only for some client apps or platforms, or only on risk is not enforcement, and says why', () => {
    const real = normalise('get-locations-platforms-client-apps.json');
    const c = real.conditions;
    const cases: [string, Partial<ConditionalAccessPolicyT['conditions']>, string][] = [
      ['locations', { locations: { ...c.locations!, excludeLocations: [] } }, 'locations: only all trusted locations'],
      ['named-locations', { locations: { includeLocations: ['All'], excludeLocations: c.locations!.excludeLocations } }, 'locations: excludes 00000000-0000-0000-0000-000000000000, d2136c9c-b049-47ae-b9cf-316e04ef7198'],
      ['off-network', { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } }, 'locations: excludes all trusted locations'],
      ['client-apps', { clientAppTypes: c.clientAppTypes }, 'client apps: only mobileAppsAndDesktopClients, exchangeActiveSync, other'],
      ['platforms', { platforms: c.platforms }, 'platforms: excludes iOS, windowsPhone'],
      ['sign-in-risk', { signInRiskLevels: c.signInRiskLevels }, 'sign-in risk: only medium, low'],
      ['user-risk', { userRiskLevels: ['high'] }, 'user risk: only high'],
    ];
    for (const [id, conditions, why] of cases) {
      const policy = clean({ id, displayName: id });
      policy.conditions = { ...policy.conditions, ...conditions };
      const { coverage, byId, fired } = analyseWith([policy]);
      expect(byId.get(id)!.carveOuts, id).toEqual([why]);
      expect(coverage.mfaEnforced, id).toBe(false);
      expect(coverage.partialMfaPolicies, id).toEqual([`${id} (${why})`]);
      expect(fired('ca-mfa-not-enforced-for-aws'), id).toHaveLength(1);
    }
  });

  it('excluded guests carve a population out; an excluded user counts only when assigned to the app', () => {
    const guests = normalise('guests-include-exclude.json', 'guests');
    const policy = clean({ id: 'guests', displayName: 'guests' });
    policy.conditions = { ...policy.conditions, users: { ...policy.conditions.users, excludeGuestsOrExternalUsers: guests.conditions.users.excludeGuestsOrExternalUsers } };
    expect(analyseWith([policy]).byId.get('guests')!.carveOuts).toEqual(['users: excludes guests or external users (b2bCollaborationGuest)']);

    // An emergency-access account with no AWS access leaves nobody out; an AWS user does.
    const breakglass = clean({ id: 'bg', displayName: 'bg' });
    breakglass.conditions = { ...breakglass.conditions, users: { ...breakglass.conditions.users, excludeUsers: ['not-assigned-to-the-app'] } };
    expect(analyseWith([breakglass]).coverage.mfaEnforced).toBe(true);
    const leaky = clean({ id: 'leaky', displayName: 'leaky' });
    let awsUser = '';
    const r = analyseWith([leaky], (s) => {
      awsUser = s.entra.enterpriseApp.data!.appRoleAssignments.find((a) => a.principalType === 'User')!.principalId;
      leaky.conditions.users = { ...leaky.conditions.users, excludeUsers: [awsUser] };
    });
    expect(r.byId.get('leaky')!.carveOuts).toEqual(['users: excludes 1 user assigned to the app']);
    expect(r.coverage.mfaEnforced).toBe(false);
  });

  it('an OR with a non-MFA control, or a strength with a single-factor combination, is not MFA', () => {
    const orDevice = clean({ id: 'or', displayName: 'or' });
    orDevice.grantControls = { ...orDevice.grantControls!, builtInControls: ['compliantDevice'] };
    const weak = clean({ id: 'weak', displayName: 'weak' });
    weak.grantControls = { ...weak.grantControls!, authenticationStrength: { id: 'custom', displayName: 'Password or FIDO2', requirementsSatisfied: 'mfa', allowedCombinations: ['password', 'fido2'] } };
    const { byId, coverage } = analyseWith([orDevice, weak]);
    expect(byId.get('or')!.requiresMfa).toBe(false);
    expect(byId.get('weak')!.requiresMfa).toBe(false);
    expect(coverage.mfaEnforced).toBe(false);
  });

  it('a policy from a snapshot that did not record the conditions is not counted as enforcement', () => {
    const old = clean({ id: 'old', displayName: 'old' });
    const { clientAppTypes: _c, locations: _l, platforms: _p, signInRiskLevels: _s, userRiskLevels: _u, deviceFilter: _d, ...rest } = old.conditions;
    old.conditions = rest;
    const { byId, coverage } = analyseWith([old]);
    expect(byId.get('old')!.carveOuts).toEqual(['locations, client apps and platforms not recorded in this snapshot (collect again)']);
    expect(coverage.mfaEnforced).toBe(false);
  });
});

describe('report-only policies for the AWS app', () => {
  it('are reported whatever their grant controls, not only MFA', () => {
    const block = clean({ id: 'block', displayName: 'Block AWS from untrusted platforms', state: 'enabledForReportingButNotEnforced' });
    block.grantControls = { operator: 'OR', builtInControls: ['block'], authenticationStrength: null };
    const other = clean({ id: 'other-app', displayName: 'Other app', state: 'enabledForReportingButNotEnforced' });
    other.conditions = { ...other.conditions, applications: { includeApplications: ['00000002-0000-0ff1-ce00-000000000000'], excludeApplications: [] } };
    const { fired, byId } = analyseWith([block, other, clean()]);
    expect(byId.get('block')).toMatchObject({ reportOnly: true, requiresMfa: false, grantControls: ['block'] });
    expect(fired('ca-mfa-policy-report-only')).toEqual(['block']);
  });
});
