// A finding is a root cause: one per object a person changes, with its impact; its fingerprint is
// rule + object, so it holds while people join and accounts are added; waivers match the object (and
// still match findings whose paths they all name by id, as they were written when findings were per path).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/model/config.js';
import { evaluateRules, gate, wildcardPattern, type LocatedFinding } from '../src/rules/evaluate.js';
import { SECTION_PATHS } from '../src/model/snapshot-schema.js';
import { loadRules } from '../src/rules/load-rules.js';
import { comprehensionNesting, ruleEnvironment } from '../src/rules/cel.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const config = demoConfig();
const PROD_ADMINS = 'AWS - Prod Admins';
const DAVE = 'dave.park@northwind.example';

const run = (mutate?: Parameters<typeof analyzeDemo>[0], cfg: Config = config) => {
  const analysis = analyzeDemo(mutate, cfg);
  return { analysis, findings: evaluateRules(loadRules({ dirs: [], config: cfg }), analysis, cfg) };
};
const of = (findings: LocatedFinding[], ruleId: string) => findings.filter((f) => f.finding.ruleId === ruleId);

describe('findings about access paths', () => {
  const { analysis, findings } = run();

  it('group the paths a rule matches by its object: one finding per membership, with every path it gives', () => {
    const dave = of(findings, 'standing-privileged-access-prod').filter((f) => f.finding.object.name.startsWith(DAVE));
    expect(dave).toHaveLength(1);
    const f = dave[0]!.finding;
    expect(f.object).toMatchObject({ type: 'membership', name: `${DAVE} as member of "${PROD_ADMINS}"` });
    const paths = analysis.accessPaths.filter((p) => p.principal.upn === DAVE && p.group?.name === PROD_ADMINS && p.kind === 'direct-member');
    expect(paths.length).toBeGreaterThan(1);
    expect(f.impact!.paths.map((i) => analysis.accessPaths[i]!.id)).toEqual(paths.map((p) => p.id));
    expect(f.impact).toMatchObject({ people: 1, accounts: paths.length, prodAccounts: paths.length, worstWindow: 'standing' });
    expect(f.message).toBe(`${DAVE} as member of "${PROD_ADMINS}" gives standing privileged access to production (direct-member).`);
  });

  it('give one finding per PIM policy for windows that are too long, with the longest window of its paths', () => {
    const windows = of(findings, 'effective-window-too-long');
    expect(new Set(windows.map((f) => f.finding.object.id)).size).toBe(windows.length);
    for (const { finding } of windows) {
      expect(finding.object.type).toBe('pimPolicy');
      const longest = Math.max(...finding.impact!.paths.map((i) => Number(/PT(\d+)H/.exec(analysis.accessPaths[i]!.window!.total ?? '')?.[1] ?? 99)));
      expect(finding.impact!.worstWindow).toMatch(longest === 99 ? /^P/ : new RegExp(`^PT${longest}H`));
    }
  });

  it('keep their fingerprints when a person joins the group and the group reaches one more account', () => {
    const before = new Set(findings.map((f) => f.finding.fingerprint));
    const after = run((s) => {
      const group = s.entra.groups.data!.find((g) => g.displayName === PROD_ADMINS)!;
      const frank = s.entra.users.data!.find((u) => u.userPrincipalName === 'frank.hall@northwind.example')!;
      group.members.push({ id: frank.id, type: 'user', displayName: frank.displayName });
      const assignment = s.aws.accountAssignments.data!.find((a) => a.principalType === 'GROUP' && s.aws.identityStore.data!.groups.find((g) => g.groupId === a.principalId)?.displayName === PROD_ADMINS)!;
      const other = s.aws.organization.data!.accounts.find((a) => !s.aws.accountAssignments.data!.some((x) => x.accountId === a.id && x.principalId === assignment.principalId))!;
      s.aws.accountAssignments.data!.push({ ...assignment, accountId: other.id });
    }).findings;
    const policy = (list: LocatedFinding[]) => of(list, 'effective-window-too-long').find((f) => f.finding.object.name === `${PROD_ADMINS} (member)`)!.finding;
    expect(policy(after.filter(Boolean)).fingerprint).toBe(policy(findings).fingerprint);
    expect(policy(after).impact!.paths.length).toBeGreaterThanOrEqual(policy(findings).impact!.paths.length);
    // Nothing that was found is found under another fingerprint: no alert reopens or doubles.
    const afterPrints = new Set(after.map((f) => f.finding.fingerprint));
    for (const print of before) expect(afterPrints.has(print)).toBe(true);
    expect(after.length).toBeGreaterThan(findings.length);
    expect(new Set(after.map((f) => f.finding.fingerprint)).size).toBe(after.length);
  });
});

describe('waivers', () => {
  const waive = (resource: string): Config => ({
    ...config,
    waivers: [{ rule: 'standing-privileged-access-prod', resource, reason: 'test', owner: 'sec@example.com', expires: '2099-01-01' }],
  });
  const dave = (cfg: Config) =>
    of(run(undefined, cfg).findings, 'standing-privileged-access-prod').find((f) => f.finding.object.name.startsWith(DAVE))!;

  it("match a finding's object by id or name", () => {
    const { finding } = dave(config);
    expect(finding.status).toBe('open');
    expect(dave(waive(finding.object.id)).finding.status).toBe('waived');
    expect(dave(waive(`${DAVE} as member of *`)).finding.status).toBe('waived');
  });

  it('written for path ids, waive a finding whose paths they all name, and not one they name in part', () => {
    const { analysis } = run();
    const { finding } = dave(config);
    const ids = finding.impact!.paths.map((i) => analysis.accessPaths[i]!.id);
    expect(dave(waive(`direct-member:${DAVE}:*`)).finding.status).toBe('waived');
    expect(dave(waive(ids[0]!)).finding.status).toBe('open');
  });
});

describe('waiver resource patterns', () => {
  it('keep their meaning: * any run of characters (/ and : included), ? one, the rest literal', () => {
    const cases: [string, string, boolean][] = [
      ['direct-member:*:arn:aws:*', 'direct-member:dave@x:arn:aws:sso:::permissionSet/ssoins-1/ps-2', true],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['a*c', 'ac', true],
      ['a*c', 'a/b:c', true],
      ['a*c', 'a/b:cd', false],
      ['*', '', true],
      ['a.c', 'abc', false],
      ['a+(b)', 'a+(b)', true],
      ['x**y', 'x-y', true],
      ['**', 'anything', true],
      ['*ab*ab*', 'xxabyyabzz', true],
      ['*ab*ab*', 'xxabyyazz', false],
      ['abc', 'abcd', false],
    ];
    for (const [pattern, value, expected] of cases) expect(wildcardPattern(pattern).test(value), `${pattern} ~ ${value}`).toBe(expected);
  });

  it('match in linear time, whatever the run of * (a backtracking regex took minutes)', () => {
    const value = 'a'.repeat(5_000);
    const started = performance.now();
    expect(wildcardPattern('********************!').test(value)).toBe(false);
    expect(wildcardPattern('*a*a*a*a*a*a*a*a*a*a*!').test(value)).toBe(false);
    expect(wildcardPattern(`${'*?'.repeat(30)}!`).test(value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('the cost of a rule condition', () => {
  it('counts comprehensions nested in a predicate, not those chained on a result', () => {
    const nesting = (when: string) => comprehensionNesting(ruleEnvironment.parse(when).ast);
    expect(nesting('resource.standing')).toBe(0);
    expect(nesting('[1, 2].exists(x, x > 1) && [3].all(y, y > 0)')).toBe(1);
    expect(nesting('[1, 2].filter(x, x > 1).map(x, x * 2).all(x, x > 0)')).toBe(1);
    expect(nesting('[1, 2].all(x, [3].exists(y, y > x))')).toBe(2);
    expect(nesting('[1].all(a, [1].all(b, [1].all(c, [1].all(d, [1].all(e, true)))))')).toBe(5);
    expect(nesting('{"k": [[1].exists(a, [1].map(b, [1].filter(c, true)).size() > 0)]}.size() > 0')).toBe(3);
  });
});

describe('the gate and missing sections', () => {
  const rules = loadRules({ dirs: [], config });
  const allOf = (cloud: string) => SECTION_PATHS.filter((p) => p.startsWith(`${cloud}.`));

  it('accepts the sections --allow-incomplete names, and only those', () => {
    const incomplete = ['entra.pimPolicies', 'aws.cloudTrail'];
    expect(gate([], rules, incomplete, 'none', false)).toMatchObject({ passed: false, blockingIncomplete: incomplete, allowIncomplete: false });
    expect(gate([], rules, incomplete, 'none', true)).toMatchObject({ passed: true, blockingIncomplete: incomplete, allowIncomplete: true });
    expect(gate([], rules, incomplete, 'none', ['entra.pimPolicies', 'aws.cloudTrail'])).toMatchObject({ passed: true, allowIncomplete: true });
    expect(gate([], rules, incomplete, 'none', ['entra.pimPolicies'])).toMatchObject({ passed: false, blockingIncomplete: ['aws.cloudTrail'], allowIncomplete: false });
    // A section names its accounts' parts too.
    expect(gate([], rules, ['aws.iamUsers[111111111111]'], 'none', ['aws.iamUsers'])).toMatchObject({ passed: true });
  });

  it('never passes when nothing of a cloud was read, whatever --allow-incomplete says', () => {
    for (const cloud of ['entra', 'aws']) {
      const incomplete = allOf(cloud);
      for (const allow of [false, true, incomplete]) {
        const g = gate([], rules, incomplete, 'none', allow);
        expect(g, `${cloud} ${String(allow)}`).toMatchObject({ passed: false, allowIncomplete: false, unreadClouds: [cloud] });
        expect(g.blockingIncomplete).toEqual(incomplete);
      }
    }
    // Every section missing: what `collect` used to write with no credentials at all.
    expect(gate([], rules, [...SECTION_PATHS], 'none', true)).toMatchObject({ passed: false, unreadClouds: ['entra', 'aws'] });
    // A portal session duration declared in the config is not AWS read.
    expect(gate([], rules, allOf('aws').filter((p) => p !== 'aws.portalSession'), 'none', true)).toMatchObject({ passed: false, unreadClouds: ['aws'] });
    // One section of the cloud read is a partial gap, which the flag may accept.
    expect(gate([], rules, allOf('entra').filter((p) => p !== 'entra.groups'), 'none', true)).toMatchObject({ passed: true, unreadClouds: [] });
  });
});

describe('rule files over access paths', () => {
  const write = (body: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'jitaudit-rules-'));
    writeFileSync(join(dir, 'my-rule.yaml'), body);
    return dir;
  };
  const rule = (extra: string, message = 'x {{object.name}}') => `id: my-rule
title: t
description: d
severity: low
resource: accessPaths
${extra}
when: resource.standing
message: "${message}"
remediation: r
references: [{framework: SOC 2, id: CC6.3}]
tests: {pass: [{}], fail: [{standing: true}]}
`;
  const load = (dir: string) => () => loadRules({ dirs: [dir], config });

  it('may name in messages and evidence only the fields that are the same on every path of the object', () => {
    expect(load(write(rule('object: grant\nevidence: [kind]', 'x {{resource.account.name}}')))).toThrow(
      /my-rule: \/message: placeholder \{\{resource\.account\.name\}\}: "account\.name" differs between the paths of one grant/,
    );
    expect(load(write(rule('object: principal\nevidence: [permissionSet]')))).toThrow(/\/evidence: "permissionSet" differs between the paths of one principal/);
    expect(load(write(rule('object: group')))).toThrow(/\/evidence: a rule grouped by group lists its evidence fields/);
    expect(load(write(rule('object: grant\nevidence: [kind, group]', '{{object.name}}: {{impact.people}} people, {{resource.group.name}}')))).not.toThrow();
  });

  it('default to one finding per path, and only they name an object', () => {
    const loaded = loadRules({ dirs: [write(rule('', 'x {{resource.account.name}}'))], config }).find((r) => r.def.id === 'my-rule')!;
    expect(loaded.object).toBe('path');
    expect(load(write(rule('object: grant').replace('resource: accessPaths', 'resource: iamUsers')))).toThrow(/\/object: only a rule over accessPaths names an object/);
  });
});

describe('impact', () => {
  it('is carried by findings about policies and groups too: the paths they govern', () => {
    const { analysis, findings } = run();
    const group = of(findings, 'group-not-under-pim-prod')[0]!.finding;
    expect(group.impact!.paths.length).toBeGreaterThan(0);
    for (const i of group.impact!.paths) expect(analysis.accessPaths[i]!.group?.id).toBe(group.object.id);
    const iam = of(findings, 'iam-user-not-breakglass')[0]!.finding;
    expect(iam.impact).toBeUndefined();
  });

  it('orders findings of one severity by people × production accounts', () => {
    const { findings } = run();
    for (let i = 1; i < findings.length; i++) {
      const [a, b] = [findings[i - 1]!.finding, findings[i]!.finding];
      if (a.severity !== b.severity || !a.impact || !b.impact) continue;
      expect(a.impact.people * a.impact.prodAccounts).toBeGreaterThanOrEqual(b.impact.people * b.impact.prodAccounts);
    }
  });
});

describe('nothing is lost, only grouped', () => {
  it("every path a rule matches is in the impact of exactly one of that rule's findings", async () => {
    const { CelViews } = await import('../src/rules/cel.js');
    const { analysis, findings } = run();
    const pathRules = loadRules({ dirs: [], config }).filter((r) => r.def.resource === 'accessPaths');
    const now = new Date(analysis.now);
    for (const rule of pathRules) {
      const views = new CelViews(rule.type.durations, rule.type.timestamps);
      const matched = analysis.accessPaths.flatMap((p, i) => (rule.evaluate({ resource: views.view(p as unknown as Record<string, unknown>), params: rule.celParams, now }) === true ? [i] : []));
      const impacts = of(findings, rule.def.id).flatMap((f) => f.finding.impact!.paths);
      expect([...impacts].sort((a, b) => a - b), rule.def.id).toEqual(matched);
    }
  });
});
