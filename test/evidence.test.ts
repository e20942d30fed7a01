// jitaudit evidence: the pack of the demo verifies, any changed byte fails verification, and a
// pack made with --previous lists exactly the access paths that changed.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { parseReportJson } from '../src/report/read-report.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { withReport } from './helpers/pack.js';
import { demoSnapshot, DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE } from './helpers/demo.js';

const PACK_FILES = ['SHA256SUMS', 'access-review.csv', 'access-review.xlsx', 'jitaudit.config.yaml', 'manifest.json', 'report.html', 'report.json', 'snapshot.json', 'summary.md'];

function snapshotFile(mutate?: (s: Snapshot) => void): string {
  const s = demoSnapshot();
  mutate?.(s);
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  return file;
}

function pack(args: string[]): string {
  const out = join(tempDir(), 'pack');
  const r = jitaudit(['evidence', ...args, '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

const verify = (dir: string) => jitaudit(['evidence', 'verify', dir]);
const demoPack = pack(['--demo']);

describe('jitaudit evidence', () => {
  it('writes the pack of the demo, and it verifies', () => {
    expect(readdirSync(demoPack).sort()).toEqual(PACK_FILES);
    const r = verify(demoPack);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/verified, 9 files match manifest\.json \(snapshot collected 2026-10-01T06:00:00Z\)/);
    const manifest = JSON.parse(readFileSync(join(demoPack, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(PACK_FILES.filter((f) => f !== 'manifest.json'));
    for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(demoPack, f.name))).digest('hex')).toBe(f.sha256);
    expect(manifest.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.rulePack.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.config).toMatchObject({ file: 'reports/demo/jitaudit.config.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(manifest.snapshot).toMatchObject({ collectedAt: '2026-10-01T06:00:00Z', collection: { startedAt: '2026-10-01T05:58:12Z', endedAt: '2026-10-01T06:00:00Z' } });
    expect(manifest.snapshot.sections['aws.portalSession']).toEqual({ status: 'missing' });
    expect(manifest.snapshot.sha256).toBe(JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8')).snapshot.sha256);
    // The snapshot is the input, byte for byte.
    expect(readFileSync(join(demoPack, 'snapshot.json'), 'utf8')).toBe(readFileSync(DEMO_SNAPSHOT_FILE, 'utf8'));
    const summary = readFileSync(join(demoPack, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^# Access review evidence — Northwind Traders — 2026-10-01/);
    const report = JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8')) as { grants: { standing: boolean }[]; accessPaths: { grant: number }[] };
    const paths = report.accessPaths;
    const standing = paths.filter((p) => report.grants[p.grant]!.standing).length;
    expect(summary).toContain(`${paths.length} access paths (${paths.length - standing} just-in-time, ${standing} standing)`);
    expect(summary).toContain('| `aws.portalSession` | **MISSING** |');
    expect(summary).toContain('No previous pack was given');
    // Every rule's outcome, failed or passed; the findings by rule, each with its object and impact.
    expect(summary).toContain('| `standing-privileged-access-prod` | critical | **failed** | 4 | 0 | Standing admin access to a production account |');
    expect(summary).toContain('| `scim-provisioning-unhealthy` | high | passed | 0 | 0 |');
    expect(summary).toContain('### `effective-window-too-long` (high): JIT access to production lasts far longer than the activation — 5 open');
    expect(summary).toContain('| AWS - Prod Admins (member) | pimPolicy | 2 people, 2 accounts (2 production), worst window 11 h 40 min | open |');
  });

  it('is byte-identical for the same snapshot and config', () => {
    const again = pack(['--demo']);
    for (const f of PACK_FILES) expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(demoPack, f), 'utf8'));
  });

  for (const name of PACK_FILES) {
    it(`fails verification when one byte of ${name} changes`, () => {
      const copy = join(tempDir(), 'copy');
      cpSync(demoPack, copy, { recursive: true });
      const file = join(copy, name);
      const bytes = readFileSync(file);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at] === 0x20 ? 0x21 : 0x20; // a space for a non-space or the reverse
      writeFileSync(file, bytes);
      const r = verify(copy);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`FAIL ${name}:`);
      expect(r.stdout).toMatch(/FAILED verification/);
    });
  }

  it('fails verification on a missing or an unlisted file, or a re-indented manifest', () => {
    let copy = join(tempDir(), 'copy');
    cpSync(demoPack, copy, { recursive: true });
    rmSync(join(copy, 'access-review.csv'));
    writeFileSync(join(copy, 'extra.txt'), 'x');
    let r = verify(copy);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL access-review.csv: missing');
    expect(r.stdout).toContain('FAIL extra.txt: not listed in the manifest');
    copy = join(tempDir(), 'copy');
    cpSync(demoPack, copy, { recursive: true });
    const m = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify(m)); // same content, other bytes
    r = verify(copy);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('its text was altered');
  });

  it('refuses a non-empty --out and a missing folder to verify, with one line and exit 2', () => {
    let r = jitaudit(['evidence', '--demo', '--out', demoPack]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty; an evidence pack is written to a new or empty folder\n$/);
    r = verify(join(tempDir(), 'nope'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    r = jitaudit(['evidence', '--demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give --out DIR/);
  });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The report.json that a jitaudit before report v2 wrote for the same audit: no schemaVersion, each
 * access path with its objects inline, findings with a `resource` and no impact, and a rule over
 * access paths giving one finding per path (fingerprint of rule + path). Laid out as it was: each path
 * and finding on a line of its own.
 */
function reportV1(v2: Json): string {
  const pathId = (p: Json) => {
    const g = v2.grants[p.grant];
    return `${g.kind}:${g.principal}:${g.group ?? '-'}:${p.account}:${p.permissionSet}`;
  };
  // An impact's paths: positions, or every path ("all") or every just-in-time one ("jit").
  const positions = (paths: number[] | 'all' | 'jit') =>
    Array.isArray(paths) ? paths : v2.accessPaths.flatMap((p: Json, i: number) => (paths === 'all' || !v2.grants[p.grant].standing ? [i] : []));
  const person = (key: string) => {
    const { upn, entraUserId, identityCenterUserId } = v2.principals[key];
    return { upn, entraUserId, identityCenterUserId };
  };
  const paths = v2.accessPaths.map((p: Json) => {
    const g = v2.grants[p.grant];
    const ps = v2.permissionSets[p.permissionSet];
    const w = p.window === null ? null : (({ totalSeconds: _, ...rest }) => rest)(v2.windows[p.window]);
    return {
      id: pathId(p),
      kind: g.kind,
      standing: g.standing,
      principal: person(g.principal),
      group: g.group === null ? null : { id: g.group, name: v2.groups[g.group].name },
      account: { id: p.account, ...v2.accounts[p.account] },
      permissionSet: { arn: ps.arn, name: p.permissionSet, tier: ps.tier },
      window: w,
    };
  });
  const fingerprint = (rule: string, type: string, id: string) => createHash('sha256').update(`${rule}\u0000${type}\u0000${id}`).digest('hex').slice(0, 32);
  const findings = v2.findings.flatMap((f: Json) => {
    const { object, impact, account, principal, ...rest } = f;
    const inline = { ...(account ? { account: { id: account, ...v2.accounts[account] } } : {}), ...(principal ? { principal: person(principal) } : {}) };
    if (v2.rules[f.ruleId].resource !== 'accessPaths') return [{ ...rest, resource: object, ...inline }];
    return positions(impact.paths).map((i: number) => {
      const p = paths[i];
      return { ...rest, resource: { type: 'accessPath', id: p.id, name: `${p.principal.upn} → ${p.account.name} / ${p.permissionSet.name}` }, account: p.account, principal: p.principal, fingerprint: fingerprint(f.ruleId, 'accessPath', p.id) };
    });
  });
  const head = (key: string) => `  ${JSON.stringify(key)}: ${JSON.stringify(v2[key], null, 2).replace(/\n/g, '\n  ')},\n`;
  const lines = (key: string, items: unknown[], last: boolean) => `  ${JSON.stringify(key)}: [\n${items.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]${last ? '' : ','}\n`;
  return `{\n${head('tool')}${head('snapshot')}${head('summary')}${lines('accessPaths', paths, false)}${lines('findings', findings, true)}}\n`;
}

describe('reading a report.json back', () => {
  const v2Text = readFileSync(join(demoPack, 'report.json'), 'utf8');
  it('reads version 2 whole, and line by line past the size limit, to the same value', () => {
    const v2 = JSON.parse(v2Text);
    expect(v2.schemaVersion).toBe(2);
    expect(parseReportJson(Buffer.from(v2Text))).toEqual(v2);
    expect(parseReportJson(Buffer.from(v2Text), 1)).toEqual(v2);
  });
  it('reads a large version-1 report line by line', () => {
    const v1Text = reportV1(JSON.parse(v2Text));
    expect(parseReportJson(Buffer.from(v1Text), 1)).toEqual(JSON.parse(v1Text));
  });
});

describe('jitaudit evidence --previous', () => {
  // Last quarter: the demo. This quarter: quinn.adler became eligible for AWS - Prod Admins (two
  // paths added), noah.berg left AWS - Data Engineers (one removed), and the EC2 Admin group's
  // activation maximum went from 1 h to 3 h (rich.roe's one path changed its window).
  const ids = (() => {
    const s = demoSnapshot();
    const group = (name: string) => s.entra.groups.data!.find((g) => g.displayName === name)!.id;
    return { prodAdmins: group('AWS - Prod Admins'), dataEng: group('AWS - Data Engineers'), ec2: group('AWS - Amazon EC2 Admin'), quinn: s.entra.users.data!.find((u) => u.userPrincipalName.startsWith('quinn'))!.id };
  })();
  const current = snapshotFile((s) => {
    const template = s.entra.pimSchedules.data!.eligibilitySchedules.find((e) => e.groupId === ids.prodAdmins && e.accessId === 'member')!;
    s.entra.pimSchedules.data!.eligibilitySchedules.push({ ...structuredClone(template), id: `${ids.prodAdmins}_member_quinn`, principalId: ids.quinn });
    const de = s.entra.groups.data!.find((g) => g.id === ids.dataEng)!;
    de.members = de.members.filter((m) => m.displayName !== 'Noah Berg');
    for (const p of s.entra.pimPolicies.data!.filter((x) => x.groupId === ids.ec2 && x.roleDefinitionId === 'member')) {
      (p.rules.find((r) => r.id === 'Expiration_EndUser_Assignment') as unknown as { maximumDuration: string }).maximumDuration = 'PT3H';
    }
  });

  it('lists exactly the changed paths in diff.json, summary.md and report.html', () => {
    const out = join(tempDir(), 'q2');
    const r = jitaudit(['evidence', '--snapshot', current, '--config', DEMO_CONFIG_FILE, '--previous', demoPack, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('since the previous pack: access paths +2 -1 ~1');
    expect(verify(out).code).toBe(0);
    expect(readdirSync(out)).toContain('diff.json');
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8'));
    expect(diff.accessPaths.added.map((p: { id: string }) => p.id).sort()).toEqual([
      `pim-eligible:quinn.adler@northwind.example:${ids.prodAdmins}:222222222222:AdministratorAccess`,
      `pim-eligible:quinn.adler@northwind.example:${ids.prodAdmins}:333333333333:AdministratorAccess`,
    ]);
    expect(diff.accessPaths.removed.map((p: { id: string }) => p.id)).toEqual([`direct-member:noah.berg@northwind.example:${ids.dataEng}:333333333333:DataEngineer`]);
    expect(diff.accessPaths.changed).toHaveLength(1);
    expect(diff.accessPaths.changed[0]).toMatchObject({ fields: ['window'], before: { person: 'rich.roe@northwind.example', window: 'PT10H40M' }, after: { window: 'PT12H40M' } });
    // Findings follow, one per object: quinn's new paths add a person to the Prod Admins member policy's
    // finding (changed, not resolved and new); noah's standing access finding is resolved; the EC2 Admin
    // policy's longer activation gives it a new finding and a longer window on its old one. Noah left the
    // Entra group but not the Identity Center one (the snapshot says SCIM has not removed him): drift.
    expect(diff.previous.reportSchemaVersion).toBe(2);
    expect(diff.findingsNotCompared).toBeUndefined();
    const summarise = (fs: { ruleId: string; object: string }[]) => fs.map((f) => `${f.ruleId} ${f.object}`).sort();
    expect(summarise(diff.findings.added)).toEqual(['identity-center-user-drift noah.berg@northwind.example', 'pim-activation-duration-too-long AWS - Amazon EC2 Admin (member)']);
    expect(summarise(diff.findings.removed)).toEqual(['standing-access-prod noah.berg@northwind.example as member of "AWS - Data Engineers"']);
    const changed = (object: string) => diff.findings.changed.find((c: { after: { ruleId: string; object: string } }) => c.after.ruleId === 'effective-window-too-long' && c.after.object === object);
    expect(changed('AWS - Prod Admins (member)')).toMatchObject({ before: { people: 2 }, after: { people: 3 } });
    expect(changed('AWS - Prod Admins (member)').fields).toContain('people');
    expect(changed('AWS - Amazon EC2 Admin (member)')).toMatchObject({ fields: ['message'] });
    expect(summarise([...diff.findings.added, ...diff.findings.removed])).not.toContain('effective-window-too-long AWS - Prod Admins (member)');
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('**Access paths:** 2 added, 1 removed, 1 changed.');
    expect(summary).toContain('- removed: noah.berg@northwind.example → data-prod (333333333333) / DataEngineer');
    expect(summary).toMatch(/- changed: rich\.roe@northwind\.example → payments-prod \(222222222222\) \/ EC2AdminAccess .* — window: PT10H40M → PT12H40M/);
    expect(summary).toMatch(/^- changed: high `effective-window-too-long` — AWS - Prod Admins \(member\) \(3 people, 2 accounts\) — people: 2 → 3(; message)?$/m);
    expect(summary).toContain('- resolved: medium `standing-access-prod` — noah.berg@northwind.example as member of "AWS - Data Engineers" (1 person, 1 account)');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="changes"');
    expect(html).toContain('Access paths: 2 added, 1 removed, 1 changed');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.previous.manifestSha256).toBe(createHash('sha256').update(readFileSync(join(demoPack, 'manifest.json'))).digest('hex'));
  });

  it('compares access paths with a version-1 previous pack, and says why most findings are not compared', () => {
    const v1Pack = withReport(demoPack, reportV1(JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8'))));
    expect(verify(v1Pack).code).toBe(0);
    const out = join(tempDir(), 'q2');
    const r = jitaudit(['evidence', '--snapshot', current, '--config', DEMO_CONFIG_FILE, '--previous', v1Pack, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('since the previous pack: access paths +2 -1 ~1');
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8'));
    expect(diff.previous.reportSchemaVersion).toBe(1);
    expect(diff.current.reportSchemaVersion).toBe(2);
    expect(diff.accessPaths.removed.map((p: { id: string }) => p.id)).toEqual([`direct-member:noah.berg@northwind.example:${ids.dataEng}:333333333333:DataEngineer`]);
    expect(diff.accessPaths.changed[0]).toMatchObject({ fields: ['window'], before: { person: 'rich.roe@northwind.example', window: 'PT10H40M' }, after: { window: 'PT12H40M' } });
    // The rules over access paths had one finding per path: none of theirs is listed, on either side.
    expect(diff.findingsNotCompared.rules).toEqual(expect.arrayContaining(['effective-window-too-long', 'standing-access-prod', 'standing-privileged-access-prod']));
    expect(diff.findingsNotCompared.reason).toMatch(/^findings were per access path before report v2; compare access paths, not findings, across this upgrade/);
    const listed = [...diff.findings.added, ...diff.findings.removed, ...diff.findings.changed.map((c: { after: unknown }) => c.after)] as { ruleId: string; object: string }[];
    expect(listed.filter((f) => diff.findingsNotCompared.rules.includes(f.ruleId))).toEqual([]);
    // The other rules' findings were one per object already: they compare, impact aside.
    expect(diff.findings.added.map((f: { ruleId: string; object: string }) => `${f.ruleId} ${f.object}`).sort()).toEqual([
      'identity-center-user-drift noah.berg@northwind.example',
      'pim-activation-duration-too-long AWS - Amazon EC2 Admin (member)',
    ]);
    expect(diff.findings.removed).toEqual([]);
    expect(diff.findings.changed.filter((c: { fields: string[] }) => c.fields.includes('people') || c.fields.includes('accounts'))).toEqual([]);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('**Access paths:** 2 added, 1 removed, 1 changed.');
    expect(summary).toContain('> **Report v1 → v2:** findings were per access path before report v2; compare access paths, not findings, across this upgrade.');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('The previous report.json is version 1: findings were per access path before report v2');
  });

  it('refuses a previous report.json of an unknown version, with one line and exit 2', () => {
    const report = JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8'));
    const future = withReport(demoPack, `${JSON.stringify({ ...report, schemaVersion: 3 })}\n`);
    const r = jitaudit(['evidence', '--demo', '--previous', future, '--out', join(tempDir(), 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.json: \/schemaVersion: not a jitaudit report this version can compare with: schemaVersion 3/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a pack against an identical previous one lists no change', () => {
    const out = join(tempDir(), 'same');
    expect(jitaudit(['evidence', '--demo', '--previous', demoPack, '--out', out, '--quiet']).code).toBe(0);
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8'));
    expect(diff.accessPaths).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.findings).toEqual({ added: [], removed: [], changed: [] });
  });

  it('refuses a previous pack that does not verify', () => {
    const copy = join(tempDir(), 'bad');
    cpSync(demoPack, copy, { recursive: true });
    appendFileSync(join(copy, 'report.json'), ' ');
    const out = join(tempDir(), 'x');
    const r = jitaudit(['evidence', '--demo', '--previous', copy, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the previous pack does not verify: report\.json: SHA-256 mismatch/);
    mkdirSync(out, { recursive: true });
    expect(readdirSync(out)).toEqual([]);
  });
});
