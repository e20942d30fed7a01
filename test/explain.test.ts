// jitaudit explain: a person's (or an account's) access paths in words, on the demo and variants.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { runAudit } from '../src/audit.js';
import { explain } from '../src/report/explain.js';
import { analyzeDemo, auditDemoVariant, demoConfig, demoSnapshot, DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE } from './helpers/demo.js';
import { CONTROL_OR_BIDI, HOSTILE_CONTROLS } from './helpers/hostile.js';

const variant = (mutate: (s: Snapshot) => void) => {
  const s = demoSnapshot();
  mutate(s);
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  return file;
};

/** The numbered blocks of the output, by their title line. */
/** The numbered access paths (the ways around the JIT that may follow are numbered too). */
const blocks = (out: string) =>
  out
    .split(/\nWays around the JIT/)[0]!
    .split(/\n(?=\d+\. )/)
    .slice(1)
    .map((b) => b.trimEnd());

describe('jitaudit explain --user', () => {
  it('spells out a JIT window term by term, with the total, the limit and where each number came from', () => {
    const r = jitaudit(['explain', '--demo', '--user', 'frank.hall@northwind.example', '--permission-set', 'AdministratorAccess']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^frank\.hall@northwind\.example \(Frank Hall\) can reach AWS with permission set AdministratorAccess by 2 access paths as of 2026-10-01 06:00 UTC/);
    const [first] = blocks(r.stdout);
    expect(first).toContain('1. data-prod (333333333333, prod) / AdministratorAccess [admin]');
    expect(first).toContain('how:       just-in-time: PIM-eligible owner of Entra group "AWS - Prod Admins"');
    // The AWS blog's example, in words: 1 h + 40 min + 8 h + 1 h = 10 h 40 min.
    expect(first).toContain(
      [
        '   window:      activation up to 1 h',
        '              + Identity Center sees the removal within 40 min',
        '              + a portal session started before that lasts 8 h',
        '              + credentials fetched at the last moment last 1 h',
        '              = up to 10 h 40 min (policy allows 4 h: EXCEEDED)',
      ].join('\n'),
    );
    expect(first).toMatch(/P 8 h {5}AWS default \(8 h\) assumed: no AWS API exposes it/);
    expect(first).toMatch(/L 40 min {2}collected: provisioning job schedule interval \(healthy\)/);
    // A finding is about an object (here the group's owner PIM policy), shown on every path it affects.
    expect(first).toMatch(/^ {14}HIGH effective-window-too-long on AWS - Prod Admins \(owner\): /m);
  });

  it('lists a finding about an object on each of the paths it affects, and only there', () => {
    const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'none', allowIncomplete: true });
    // The Prod Admins member policy's finding: one finding, several people's paths.
    const { finding } = result.findings.find((f) => f.finding.ruleId === 'effective-window-too-long' && f.finding.object.name === 'AWS - Prod Admins (member)')!;
    const affected = finding.impact!.paths.map((i) => result.analysis.accessPaths[i]!);
    const people = [...new Set(affected.map((p) => p.principal.upn!))];
    expect(people.length).toBeGreaterThan(1);
    const line = /HIGH effective-window-too-long on AWS - Prod Admins \(member\): /;
    let shown = 0;
    for (const upn of people) {
      const r = jitaudit(['explain', '--demo', '--user', upn]);
      expect(r.code, r.stderr).toBe(0);
      const mine = affected.filter((p) => p.principal.upn === upn);
      const withIt = blocks(r.stdout).filter((b) => line.test(b));
      // Once on each of the person's affected paths (account and permission set in the block's title).
      expect(withIt.map((b) => b.split('\n')[0]!.replace(/^\d+\. /, '').replace(/ \[.*$/, '')).sort()).toEqual(
        mine.map((p) => `${p.account.name} (${p.account.id}, ${p.account.environment}) / ${p.permissionSet.name}`).sort(),
      );
      shown += withIt.length;
    }
    expect(shown).toBe(affected.length);
  });

  it('says a standing path is standing, with no window to compute', () => {
    const r = jitaudit(['explain', '--demo', '--user', 'carol.diaz@northwind.example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 just-in-time (need a PIM activation first), 2 standing (usable at any time).');
    const bs = blocks(r.stdout);
    expect(bs).toHaveLength(2);
    for (const b of bs) {
      expect(b).toMatch(/how: {7}standing: active PIM assignment \(not an activation\) to Entra group "AWS - Prod Admins"/);
      expect(b).toContain('window:    none to compute: standing access lasts until someone removes it');
      expect(b).toContain('CRITICAL standing-privileged-access-prod');
    }
  });

  it('lists every path of the person: JIT first, then standing', () => {
    const r = jitaudit(['explain', '--demo', '--user', 'ALICE.KIM@northwind.example']); // UPNs are case-insensitive
    expect(r.code).toBe(0);
    const expected = analyzeDemo().accessPaths.filter((p) => p.principal.upn === 'alice.kim@northwind.example');
    const bs = blocks(r.stdout);
    expect(bs).toHaveLength(expected.length);
    // JIT first, then standing: as many of each as the analysis has.
    const jit = expected.filter((p) => !p.standing).length;
    expect(jit).toBeGreaterThan(0);
    expect(expected.length - jit).toBeGreaterThan(0);
    expect(bs.map((b) => b.includes('how:       standing'))).toEqual(expected.map((_, i) => i >= jit));
  });

  it('shows an unbounded window when the provisioning job is in quarantine', () => {
    const snap = variant((s) => {
      const job = s.entra.provisioning.data!.jobs[0]!;
      job.status.code = 'Quarantine';
      job.status.quarantine = { currentBegan: '2026-09-29T10:00:00Z', nextAttempt: null, reason: 'EncounteredQuarantineException', seriesBegan: null, seriesCount: null };
    });
    const r = jitaudit(['explain', '--snapshot', snap, '--config', DEMO_CONFIG_FILE, '--user', 'frank.hall@northwind.example', '--account', '222222222222']);
    expect(r.code).toBe(2); // --user and --account conflict
    const ok = jitaudit(['explain', '--snapshot', snap, '--config', DEMO_CONFIG_FILE, '--user', 'frank.hall@northwind.example']);
    expect(ok.code, ok.stderr).toBe(0);
    const [first] = blocks(ok.stdout);
    expect(first).toContain('+ Identity Center may never see the removal');
    expect(first).toContain('= no upper bound (policy allows 4 h: exceeded, without limit)');
    expect(first).toMatch(/L unbounded {2}collected: unbounded: the provisioning job is in quarantine since 2026-09-29T10:00:00Z/);
    expect(first).toContain('CRITICAL effective-window-unbounded');
  });

  it('quotes tenant strings safely for a terminal', () => {
    const snap = variant((s) => {
      s.entra.groups.data!.find((g) => g.displayName === 'AWS - Prod Admins')!.displayName = 'Prod\u001b[2J\u001b[31mAdmins';
    });
    const r = jitaudit(['explain', '--snapshot', snap, '--user', 'bob.lee@northwind.example']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('Prod\\u001b[2J\\u001b[31mAdmins');
  });
});

describe('jitaudit explain --user: entitlement-management catalog roles are ways around the JIT', () => {
  const XAVIER = 'xavier.ng@northwind.example';
  const around = (text: string) => text.split('\nWays around the JIT')[1] ?? '';

  it("lists the demo's access package assignment manager (matched case-insensitively): the role, standing, what it hands out, its reach and finding", () => {
    const r = jitaudit(['explain', '--demo', '--user', 'Xavier.NG@northwind.example']);
    // Not on any access path and not among the users read: known only as a catalog role holder.
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: no access path as of /);
    const ways = around(r.stdout);
    expect(ways).toMatch(/^ \(1\): /);
    expect(ways).toContain('1. holds entitlement-management role Access package assignment manager on catalog AWS access');
    expect(ways).toContain('   when:      at any time (standing: no PIM, no one approves)');
    expect(ways).toMatch(/ {3}changes: {3}group-members: can assign anyone, themselves included, directly to access package "EC2 self-service", "Prod admins \(on request\)"/);
    expect(ways).toMatch(/ {3}reach: {5}\d+ access paths into \d+ accounts .*; admin in production/);
    expect(ways).toContain('   findings:  HIGH access-package-catalog-manager');
  });

  it('says an approver decides when every policy of the packages requires approval; a group holding the role is nobody\'s line', () => {
    const approved = auditDemoVariant((s) => {
      for (const pkg of s.entra.accessPackages!.data!.packages) for (const policy of pkg.policies) policy.requestApprovalSettings = { ...policy.requestApprovalSettings!, isApprovalRequiredForAdd: true };
    }, { failOn: 'none', allowIncomplete: true });
    const text = explain(approved, demoSnapshot(), { user: XAVIER });
    expect(around(text)).toContain('   when:      after approval (no PIM; every policy of the packages requires an approver)');
    const group = auditDemoVariant((s) => {
      const a = s.entra.accessPackages!.data!.roleAssignments![0]!;
      a.principal = { ...a.principal!, type: 'group', displayName: 'Catalog helpers' };
    }, { failOn: 'none', allowIncomplete: true });
    const snapshot = demoSnapshot();
    expect(() => explain(group, snapshot, { user: XAVIER })).toThrow(/no user "xavier\.ng@northwind\.example" in the snapshot/);
  });
});

describe('jitaudit explain --account', () => {
  it('lists everyone who can reach the account, narrowed by permission set', () => {
    const r = jitaudit(['explain', '--demo', '--account', '222222222222', '--permission-set', 'AdministratorAccess']);
    expect(r.code).toBe(0);
    const expected = analyzeDemo().accessPaths.filter((p) => p.account.id === '222222222222' && p.permissionSet.name === 'AdministratorAccess');
    expect(r.stdout).toMatch(new RegExp(`^account payments-prod \\(222222222222, prod\\): ${expected.length} access paths into it with permission set AdministratorAccess as of`));
    const bs = blocks(r.stdout);
    expect(bs).toHaveLength(expected.length);
    expect(bs[0]).toMatch(/^1\. alice\.kim@northwind\.example → payments-prod/);
    expect(r.stdout.match(/how: {7}standing/g)).toHaveLength(expected.filter((p) => p.standing).length);
  });

  it('accepts the account name', () => {
    const r = jitaudit(['explain', '--demo', '--account', 'payments-prod']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^account payments-prod \(222222222222, prod\): \d+ access paths/);
  });

  it('says so when nothing reaches it', () => {
    const r = jitaudit(['explain', '--demo', '--account', 'sandbox-shared', '--permission-set', 'AdministratorAccess']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: no access path with permission set AdministratorAccess as of 2026-10-01 06:00 UTC/);
  });
});

describe('jitaudit explain: bad input is one line and exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['explain', '--demo'], /give --user UPN or --account ID/],
    [['explain', '--user', 'x@y'], /give --snapshot FILE or --demo/],
    [['explain', '--demo', '--user', 'nobody@northwind.example'], /--user: no user "nobody@northwind\.example" in the snapshot/],
    [['explain', '--demo', '--account', '999999999999'], /--account: no account "999999999999" in the snapshot/],
    [['explain', '--demo', '--user', 'alice.kim@northwind.example', '--permission-set', 'Nope'], /no permission set named "Nope" in the snapshot$/m],
    // A typo gets the nearest known name.
    [['explain', '--demo', '--user', 'alice.kim@northwind.exmaple'], /no user "alice\.kim@northwind\.exmaple" in the snapshot \(.*\); did you mean "alice\.kim@northwind\.example"\?$/m],
    [['explain', '--demo', '--account', 'payments-prd'], /no account "payments-prd" .*; did you mean "payments-prod"\?$/m],
    [['explain', '--demo', '--user', 'alice.kim@northwind.example', '--permission-set', 'AdministratorAcess'], /did you mean "AdministratorAccess"\?$/m],
  ];
  for (const [args, expected] of cases) {
    it(args.slice(1).join(' '), () => {
      const r = jitaudit(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(expected);
      expect(r.stdout).toBe('');
    });
  }
});

describe('jitaudit explain: tenant names cannot drive or reorder the terminal', () => {
  it('escapes control and bidirectional characters in every name it shows', () => {
    let upn = '';
    const file = variant((s) => {
      for (const g of [...(s.entra.groups.data ?? []), ...(s.aws.identityStore.data?.groups ?? [])]) g.displayName += HOSTILE_CONTROLS;
      for (const ps of s.aws.permissionSets.data ?? []) ps.name += HOSTILE_CONTROLS;
      for (const a of s.aws.organization.data!.accounts) a.name += HOSTILE_CONTROLS;
      const frank = s.entra.users.data!.find((u) => u.userPrincipalName.startsWith('frank.hall'))!;
      frank.displayName += HOSTILE_CONTROLS;
      frank.userPrincipalName = upn = `frank.hall${HOSTILE_CONTROLS}@northwind.example`;
    });
    for (const query of [['--user', upn], ['--account', '222222222222']]) {
      const r = jitaudit(['explain', '--snapshot', file, '--config', DEMO_CONFIG_FILE, ...query]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n').filter((l) => CONTROL_OR_BIDI.test(l))).toEqual([]);
      expect(r.stdout).toContain('AWS - Prod Admins\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202egnp.exe\\u2066x\\u2069');
    }
  });
});
