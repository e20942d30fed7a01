// A finding is a root cause: one per object a person changes, with its impact; its fingerprint is
// rule + object, so it holds while people join and accounts are added; waivers match the object (and
// still match findings whose paths they all name by id, as they were written when findings were per path).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/model/config.js';
import { evaluateRules, type LocatedFinding } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
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
