// jitaudit evidence: the pack of the demo verifies, any changed byte fails verification, and a
// pack made with --previous lists exactly the access paths that changed.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { demoSnapshot, DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE } from './helpers/demo.js';

const PACK_FILES = ['SHA256SUMS', 'access-review.csv', 'jitaudit.config.yaml', 'manifest.json', 'report.html', 'report.json', 'snapshot.json', 'summary.md'];

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
    expect(r.stdout).toMatch(/verified, 8 files match manifest\.json \(snapshot collected 2026-10-01T06:00:00Z\)/);
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
    const paths = JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8')).accessPaths as { standing: boolean }[];
    const standing = paths.filter((p) => p.standing).length;
    expect(summary).toContain(`${paths.length} access paths (${paths.length - standing} just-in-time, ${standing} standing)`);
    expect(summary).toContain('| `aws.portalSession` | **MISSING** |');
    expect(summary).toContain('No previous pack was given');
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
    // Findings follow: quinn's new paths bring new findings; noah's standing access finding is resolved.
    const summarise = (fs: { ruleId: string; resource: string }[]) => fs.map((f) => `${f.ruleId} ${f.resource}`).sort();
    expect(summarise(diff.findings.added)).toEqual([
      'effective-window-too-long quinn.adler@northwind.example → data-prod / AdministratorAccess',
      'effective-window-too-long quinn.adler@northwind.example → payments-prod / AdministratorAccess',
      'pim-activation-duration-too-long AWS - Amazon EC2 Admin (member)',
    ]);
    expect(summarise(diff.findings.removed)).toEqual(['standing-access-prod noah.berg@northwind.example → data-prod / DataEngineer']);
    expect(diff.findings.changed).toMatchObject([{ fields: ['message'], after: { ruleId: 'effective-window-too-long', resource: 'rich.roe@northwind.example → payments-prod / EC2AdminAccess' } }]);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('**Access paths:** 2 added, 1 removed, 1 changed.');
    expect(summary).toContain('- removed: noah.berg@northwind.example → data-prod (333333333333) / DataEngineer');
    expect(summary).toMatch(/- changed: rich\.roe@northwind\.example → payments-prod \(222222222222\) \/ EC2AdminAccess .* — window: PT10H40M → PT12H40M/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="changes"');
    expect(html).toContain('Access paths: 2 added, 1 removed, 1 changed');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.previous.manifestSha256).toBe(createHash('sha256').update(readFileSync(join(demoPack, 'manifest.json'))).digest('hex'));
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
