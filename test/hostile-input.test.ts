// Bad snapshot, config and rule input: one input error at its pointer (or a warning naming it), never
// a silently wrong number, never a hang.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPimPolicy } from '../src/analyze/pim-policy.js';
import { loadConfig } from '../src/model/config.js';
import { loadSnapshot } from '../src/model/load-snapshot.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { compileRule, loadRules } from '../src/rules/load-rules.js';
import { renderMessage } from '../src/rules/template.js';
import { isoToSeconds } from '../src/util/duration.js';
import { InputError } from '../src/util/errors.js';
import { analyzeDemo, demoConfig, demoSnapshot } from './helpers/demo.js';

const dir = () => mkdtempSync(join(tmpdir(), 'jitaudit-hostile-'));

/** The demo snapshot, changed, written to a file and loaded: the InputError's message, or null. */
function loadError(mutate: (s: Snapshot) => void): string | null {
  const s = demoSnapshot();
  mutate(s);
  const file = join(dir(), 'snapshot.json');
  writeFileSync(file, JSON.stringify(s));
  try {
    loadSnapshot(file);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
}

function configError(yaml: string): string | null {
  const file = join(dir(), 'jitaudit.config.yaml');
  writeFileSync(file, yaml);
  try {
    loadConfig(file, 'jitaudit.config.yaml');
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
}

/** Where the demo's first policy keeps its activation maximum (Expiration_EndUser_Assignment). */
function activationRule(s: Snapshot): { pointer: string; rule: Record<string, unknown> } {
  const policies = s.entra.pimPolicies.data!;
  for (let i = 0; i < policies.length; i++) {
    const j = policies[i]!.rules.findIndex((r) => r.id === 'Expiration_EndUser_Assignment');
    if (j >= 0) return { pointer: `/entra/pimPolicies/data/${i}/rules/${j}/maximumDuration`, rule: policies[i]!.rules[j] as Record<string, unknown> };
  }
  throw new Error('the demo has no activation rule');
}

describe('durations', () => {
  it('only what adds up: no sign, no years or months, no empty "P", no garbage', () => {
    for (const bad of ['-PT100H', 'P-1D', 'PT-5H', 'P1Y', 'P1M', 'P', 'PT', 'P1DT', 'PT1.5H', 'garbage', '']) expect(isoToSeconds(bad), bad).toBeNull();
    expect(isoToSeconds('P1W')).toBe(7 * 86400);
    expect(isoToSeconds('P1DT2H30M0.5S')).toBe(95400.5);
    expect(isoToSeconds('PT0S')).toBe(0);
  });

  it('a PIM policy duration that cannot be a policy value is an input error at its pointer', () => {
    for (const bad of ['-PT100H', 'P1Y', 'P', '', 'eight hours', 8]) {
      let pointer = '';
      const message = loadError((s) => {
        const a = activationRule(s);
        a.rule.maximumDuration = bad;
        pointer = a.pointer;
      });
      expect(message, String(bad)).toContain(`: ${pointer}: must be an ISO-8601 duration such as PT8H`);
    }
    // Other expiration rules too (the eligibility and active-assignment limits).
    expect(
      loadError((s) => {
        const rule = s.entra.pimPolicies.data![0]!.rules.find((r) => r.id === 'Expiration_Admin_Eligibility') as Record<string, unknown>;
        rule.maximumDuration = '-P365D';
      }),
    ).toMatch(/\/entra\/pimPolicies\/data\/0\/rules\/\d+\/maximumDuration: must be/);
  });

  it('a negative activation maximum read without the loader is unknown, never a negative window', () => {
    const s = demoSnapshot();
    activationRule(s).rule.maximumDuration = '-PT100H';
    expect(readPimPolicy(s.entra.pimPolicies.data![0]!).activationMaximum).toBeNull();
    const analysis = analyzeDemo((x) => {
      for (const p of x.entra.pimPolicies.data!) for (const r of p.rules) if (r.id === 'Expiration_EndUser_Assignment') (r as Record<string, unknown>).maximumDuration = '-PT100H';
    });
    const jit = analysis.accessPaths.filter((p) => !p.standing && p.window);
    expect(jit.length).toBeGreaterThan(0);
    for (const p of jit) {
      expect(p.window!.total === null || (isoToSeconds(p.window!.total) ?? -1) >= 0).toBe(true);
      if (!p.window!.unbounded) expect(p.window!.known).toBe(false);
    }
  });

  it('a duration the schema admits but the tool cannot use is refused at its pointer in the snapshot', () => {
    expect(loadError((s) => void (s.aws.permissionSets.data![1]!.sessionDuration = 'P1Y'))).toMatch(
      /snapshot\.json: \/aws\/permissionSets\/data\/1\/sessionDuration: must be an ISO-8601 duration such as PT8H .*, not "P1Y"$/,
    );
    expect(loadError((s) => void (s.entra.provisioning.data!.jobs[0]!.schedule.interval = 'P1M'))).toContain('/entra/provisioning/data/jobs/0/schedule/interval: must be an ISO-8601 duration');
    expect(loadError((s) => void (s.entra.pimSchedules.data!.eligibilitySchedules[0]!.scheduleInfo.expiration.duration = 'P2Y'))).toContain(
      '/entra/pimSchedules/data/eligibilitySchedules/0/scheduleInfo/expiration/duration: must be an ISO-8601 duration',
    );
    expect(loadError(() => {})).toBeNull();
  });

  it('and in the config, at its pointer there', () => {
    expect(configError('scim:\n  assumedLag: P1M\n')).toBe('jitaudit.config.yaml: /scim/assumedLag: must be an ISO-8601 duration such as PT8H or P90D (weeks, days, hours, minutes, seconds, at most P3652500D; no years, months or sign), not "P1M"');
    expect(configError('aws:\n  portalSessionDuration: P1Y\n')).toContain('/aws/portalSessionDuration: must be an ISO-8601 duration');
    expect(configError('entra:\n  activationLookback: P1Y2M\n')).toContain('/entra/activationLookback: must be');
    expect(configError('scim:\n  assumedLag: PT40M\naws:\n  portalSessionDuration: P7D\n')).toBeNull();
  });
});

describe('ids and references', () => {
  const cases: [string, (s: Snapshot) => void, string][] = [
    ['Entra user', (s) => s.entra.users.data!.push({ ...s.entra.users.data![0]!, displayName: 'twin' }), '/entra/users/data/N/id'],
    ['Entra group', (s) => s.entra.groups.data!.push({ ...s.entra.groups.data![2]! }), '/entra/groups/data/N/id'],
    ['Identity Center user', (s) => s.aws.identityStore.data!.users.push({ ...s.aws.identityStore.data!.users[0]! }), '/aws/identityStore/data/users/N/userId'],
    ['Identity Center group', (s) => s.aws.identityStore.data!.groups.push({ ...s.aws.identityStore.data!.groups[0]! }), '/aws/identityStore/data/groups/N/groupId'],
    ['permission set', (s) => s.aws.permissionSets.data!.push({ ...s.aws.permissionSets.data![0]!, name: 'other' }), '/aws/permissionSets/data/N/arn'],
    ['account', (s) => s.aws.organization.data!.accounts.push({ ...s.aws.organization.data!.accounts[0]!, name: 'other' }), '/aws/organization/data/accounts/N/id'],
  ];
  for (const [what, add, pointer] of cases) {
    it(`a duplicate ${what} id is an input error at the duplicate`, () => {
      let n = 0;
      const message = loadError((s) => {
        add(s);
        const lists: Record<string, unknown[]> = {
          '/entra/users/data': s.entra.users.data!,
          '/entra/groups/data': s.entra.groups.data!,
          '/aws/identityStore/data/users': s.aws.identityStore.data!.users,
          '/aws/identityStore/data/groups': s.aws.identityStore.data!.groups,
          '/aws/permissionSets/data': s.aws.permissionSets.data!,
          '/aws/organization/data/accounts': s.aws.organization.data!.accounts,
        };
        n = lists[pointer.slice(0, pointer.indexOf('/N'))]!.length - 1;
      });
      expect(message).toContain(`: ${pointer.replace('/N/', `/${n}/`)}: duplicate `);
    });
  }

  it('a dangling reference is a warning naming its pointer', () => {
    const analysis = analyzeDemo((s) => {
      s.aws.accountAssignments.data![0]!.accountId = '999999999999';
      s.aws.identityStore.data!.memberships[1]!.userId = 'no-such-ic-user';
      s.entra.pimSchedules.data!.eligibilitySchedules[0]!.groupId = 'no-such-group';
      s.entra.groups.data![0]!.members.push({ id: 'no-such-user', type: 'user', displayName: null });
    });
    const w = analysis.warnings.join('\n');
    expect(w).toContain('aws.accountAssignments: /aws/accountAssignments/data/0/accountId: AWS account 999999999999 is not in the snapshot');
    expect(w).toContain('aws.identityStore: /aws/identityStore/data/memberships/1/userId: Identity Center user no-such-ic-user is not in the snapshot');
    expect(w).toContain('entra.pimSchedules: /entra/pimSchedules/data/eligibilitySchedules/0/groupId: group no-such-group is not in the snapshot');
    expect(w).toMatch(/entra\.groups: \/entra\/groups\/data\/0\/members\/\d+\/id: user no-such-user is not in the snapshot/);
  });

  it('many dangling references of a kind: the first ten, then how many more', () => {
    const analysis = analyzeDemo((s) => {
      for (const a of s.aws.accountAssignments.data!) a.accountId = '999999999999';
    });
    const lines = analysis.warnings.filter((w) => w.startsWith('aws.accountAssignments:'));
    const n = demoSnapshot().aws.accountAssignments.data!.length;
    expect(n).toBeGreaterThan(10);
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe(`aws.accountAssignments: ${n - 10} more references like /aws/accountAssignments/data/0/accountId to a AWS account not in the snapshot`);
  });
});

describe('rule message templates', () => {
  const config = demoConfig();
  const rule = loadRules({ dirs: [], config }).find((r) => r.def.id === 'pim-activation-duration-too-long')!;

  for (const field of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`{{resource.${field}}} names nothing: refused at load with the rule id and /message`, () => {
      const def = { ...rule.def, message: `x {{resource.${field}}}` };
      expect(() => compileRule('/tmp/custom/pim-activation-duration-too-long.yaml', def)).toThrow(
        new RegExp(`rule pim-activation-duration-too-long: /message: placeholder \\{\\{resource\\.${field}\\}\\} names nothing`),
      );
    });
  }

  it('{{params.constructor}} and evidence "constructor" are refused too; own fields still pass', () => {
    expect(() => compileRule('/tmp/x/pim-activation-duration-too-long.yaml', { ...rule.def, message: '{{params.constructor}}' })).toThrow(/\/message: placeholder \{\{params\.constructor\}\}/);
    expect(() => compileRule('/tmp/x/pim-activation-duration-too-long.yaml', { ...rule.def, evidence: ['constructor'] })).toThrow(/\/evidence: "constructor" is not a field/);
    expect(() => compileRule('/tmp/x/pim-activation-duration-too-long.yaml', { ...rule.def, message: '{{resource.groupName}} {{params.max | duration}}' })).not.toThrow();
  });

  it('renders an inherited name as nothing, never a function', () => {
    expect(renderMessage('{{resource.constructor}}|{{resource.toString}}|{{resource.a}}', { resource: { a: 1 }, params: {} })).toBe('(none)|(none)|1');
  });
});

describe('config and rules loading', () => {
  it('a YAML alias bomb fails fast, in one line', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const [me, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      levels.push(`${me}: &${me} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    expect(configError(`${levels.join('\n')}\n`)).toBe('jitaudit.config.yaml: invalid YAML: too many alias expansions (more than 100; an alias bomb?)');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('empty strings where a value is needed are refused at their pointer', () => {
    expect(configError('environments:\n  prod:\n    ouPaths: [""]\n')).toMatch(/^jitaudit\.config\.yaml: \/environments\/prod\/ouPaths\/0: must NOT have fewer than 1 characters$/);
    expect(configError('environments:\n  prod:\n    accountNames: ["x", ""]\n')).toContain('/environments/prod/accountNames/1:');
    expect(configError('defaultEnvironment: ""\n')).toContain('/defaultEnvironment:');
    expect(configError('environments:\n  prod:\n    tags: {"": prod}\n')).toContain('/environments/prod/tags/: "" is not a valid name');
    expect(configError('environments:\n  Prod:\n    ouPaths: 5\n')).toContain('/environments/Prod: "Prod" is not a valid name');
    expect(configError('environments:\n  prod:\n    ouPaths: ["Root/Prod/**"]\n    tags: {env: ""}\n')).toBeNull();
  });

  it('a dangling symbolic link in a rules directory names the path', () => {
    const d = dir();
    symlinkSync(join(d, 'nowhere.yaml'), join(d, 'broken.yaml'));
    expect(() => loadRules({ dirs: [d], config: demoConfig(), builtin: false })).toThrow(InputError);
    expect(() => loadRules({ dirs: [d], config: demoConfig(), builtin: false })).toThrow(/broken\.yaml: dangling symbolic link/);
  });

  it('a symbolic link loop in a rules directory names the path, at once', () => {
    const d = dir();
    mkdirSync(join(d, 'sub'));
    symlinkSync(d, join(d, 'sub', 'up'));
    symlinkSync(d, join(d, 'sub', 'again'));
    expect(() => loadRules({ dirs: [d], config: demoConfig(), builtin: false })).toThrow(/sub\/again: symbolic link loop/);
    const self = dir();
    symlinkSync(join(self, 'me'), join(self, 'me'));
    expect(() => loadRules({ dirs: [self], config: demoConfig(), builtin: false })).toThrow(/me: symbolic link loop/);
  });
});
