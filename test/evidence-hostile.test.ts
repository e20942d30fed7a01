// jitaudit evidence against hostile input: pack members that are not regular files (a FIFO, links,
// folders), a manifest checked against a hash kept elsewhere, an --out that is a file, a previous
// report.json that parses but is not a report, and control characters in summary.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { tempDir, type Run } from './helpers/cli.js';
import { demoSnapshot, DEMO_CONFIG_FILE, ROOT } from './helpers/demo.js';
import { CONTROL_OR_BIDI, HOSTILE_CONTROLS } from './helpers/hostile.js';
import { withReport } from './helpers/pack.js';

/**
 * The CLI with a short timeout: a reader blocked on a FIFO is killed (code -1) instead of holding
 * the test run for minutes.
 */
function jitaudit(args: string[]): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/jitaudit.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, JITAUDIT_DEBUG: '' },
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const demoPack = (() => {
  const out = join(tempDir(), 'pack');
  const r = jitaudit(['evidence', '--demo', '--out', out, '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
})();

const copyOf = (dir: string) => {
  const copy = join(tempDir(), 'copy');
  cpSync(dir, copy, { recursive: true });
  return copy;
};
const mkfifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);
const oneLine = (r: Run) => expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('evidence verify: a pack member that is not a regular file is refused, never opened', () => {
  const cases: [string, (copy: string) => void, RegExp][] = [
    ['a FIFO in place of report.json', (c) => (rmSync(join(c, 'report.json')), mkfifo(join(c, 'report.json'))), /report\.json: a FIFO \(named pipe\), not a regular file/],
    ['a FIFO in place of manifest.json', (c) => (rmSync(join(c, 'manifest.json')), mkfifo(join(c, 'manifest.json'))), /manifest\.json: a FIFO \(named pipe\), not a regular file/],
    ['an unlisted FIFO', (c) => mkfifo(join(c, 'notes.txt')), /notes\.txt: a FIFO \(named pipe\), not a regular file/],
    ['a link to a device', (c) => (rmSync(join(c, 'summary.md')), symlinkSync('/dev/zero', join(c, 'summary.md'))), /summary\.md: a symbolic link, not a regular file/],
    ['a link to a folder', (c) => (rmSync(join(c, 'summary.md')), symlinkSync(tempDir(), join(c, 'summary.md'))), /summary\.md: a symbolic link, not a regular file/],
    [
      // The same bytes outside the pack: without the check, the pack would verify.
      'a link out of the pack to the very same bytes',
      (c) => {
        const outside = join(tempDir(), 'report.json');
        cpSync(join(c, 'report.json'), outside);
        rmSync(join(c, 'report.json'));
        symlinkSync(outside, join(c, 'report.json'));
      },
      /report\.json: a symbolic link, not a regular file/,
    ],
    ['a folder where a file is expected', (c) => (rmSync(join(c, 'report.html')), mkdirSync(join(c, 'report.html'))), /report\.html: a directory, not a regular file/],
  ];
  for (const [name, make, message] of cases) {
    it(`${name}: exit 2, one line naming it`, () => {
      const copy = copyOf(demoPack);
      make(copy);
      const r = jitaudit(['evidence', 'verify', copy]);
      expect(r.code, r.stderr + r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      oneLine(r);
    });
  }

  it('refuses the same as a --previous pack, and writes nothing', () => {
    const copy = copyOf(demoPack);
    rmSync(join(copy, 'report.json'));
    mkfifo(join(copy, 'report.json'));
    const out = join(tempDir(), 'q2');
    const r = jitaudit(['evidence', '--demo', '--previous', copy, '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/report\.json: a FIFO \(named pipe\), not a regular file/);
    oneLine(r);
    expect(existsSync(out)).toBe(false);
  });
});

describe('evidence verify: the manifest hash kept elsewhere', () => {
  const manifestSha = sha(join(demoPack, 'manifest.json'));

  it('is printed when the pack is written, with the command that checks it', () => {
    const out = join(tempDir(), 'pack');
    const r = jitaudit(['evidence', '--demo', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`verify with: jitaudit evidence verify ${out} --manifest-sha256 ${sha(join(out, 'manifest.json'))}\n`);
  });

  it("prints the manifest's SHA-256", () => {
    const r = jitaudit(['evidence', 'verify', demoPack]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`manifest.json SHA-256: ${manifestSha}\n`);
  });

  it('passes with --manifest-sha256 of this manifest (any case)', () => {
    const r = jitaudit(['evidence', 'verify', demoPack, '--manifest-sha256', manifestSha.toUpperCase()]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`manifest.json SHA-256: ${manifestSha} (matches --manifest-sha256)`);
    expect(r.stdout).toMatch(/verified, 9 files match manifest\.json/);
  });

  it('fails a whole pack rewritten consistently (every hash redone) against the hash kept elsewhere', () => {
    // Whoever rewrites the pack can redo its hashes: it verifies on its own, not against the kept hash.
    const report = JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8'));
    const forged = withReport(demoPack, `${JSON.stringify({ ...report, findings: [] }, null, 2)}\n`);
    expect(jitaudit(['evidence', 'verify', forged]).code).toBe(0);
    const r = jitaudit(['evidence', 'verify', forged, '--manifest-sha256', manifestSha]);
    expect(r.code).toBe(1);
    const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fails).toEqual([`FAIL manifest.json: SHA-256 ${sha(join(forged, 'manifest.json'))} is not the expected ${manifestSha} (--manifest-sha256): this is another manifest`]);
    expect(r.stdout).toMatch(/FAILED verification, 1 problem\n$/);
  });

  it('refuses a --manifest-sha256 that is not a SHA-256, with exit 2', () => {
    const r = jitaudit(['evidence', 'verify', demoPack, '--manifest-sha256', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--manifest-sha256: expected a SHA-256: 64 hexadecimal digits/);
    oneLine(r);
  });

  it('is in --help', () => {
    const r = jitaudit(['evidence', 'verify', '--help']);
    expect(r.stdout).toContain('--manifest-sha256 <hex>');
  });
});

describe('evidence --out', () => {
  it('naming an existing file: exit 2, one line, nothing written', () => {
    const dir = tempDir();
    const file = join(dir, 'pack.txt');
    writeFileSync(file, 'keep me\n');
    const r = jitaudit(['evidence', '--demo', '--out', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/pack\.txt: an existing file, not a folder; an evidence pack is written to a new or empty folder\n$/);
    oneLine(r);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    expect(readdirSync(dir)).toEqual(['pack.txt']);
  });
});

describe('evidence --previous: a report.json that parses but is not a report', () => {
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const v2 = (): Json => JSON.parse(readFileSync(join(demoPack, 'report.json'), 'utf8'));
  const refused = (report: Json, pointer: string, what: RegExp) => {
    const previous = withReport(demoPack, `${JSON.stringify(report, null, 2)}\n`);
    expect(jitaudit(['evidence', 'verify', previous]).code).toBe(0);
    const out = join(tempDir(), 'q2');
    const r = jitaudit(['evidence', '--demo', '--previous', previous, '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(`${join(previous, 'report.json')}: ${pointer}: not a jitaudit report this version can compare with: `);
    expect(r.stderr).toMatch(what);
    expect(existsSync(out)).toBe(false);
  };

  it('an empty access path', () => refused({ ...v2(), accessPaths: [{}] }, '/accessPaths/0', /missing required property "grant"/));
  it('a collection time that is a number', () => {
    const r = v2();
    r.snapshot.collectedAt = 1;
    refused(r, '/snapshot/collectedAt', /must be string/);
  });
  it('a finding without its object', () => {
    const r = v2();
    delete r.findings[0].object;
    refused(r, '/findings/0', /missing required property "object"/);
  });
  it('a path whose grant is not in grants', () => {
    const r = v2();
    r.accessPaths[1].grant = r.grants.length;
    refused(r, '/accessPaths/1/grant', new RegExp(`${r.grants.length} is not a position in grants`));
  });
  it('a path whose account is not in accounts', () => {
    const r = v2();
    r.accessPaths[2].account = '999999999999';
    refused(r, '/accessPaths/2/account', /"999999999999" is not a key of accounts/);
  });
  it('a version-1 report with an empty access path, or a finding without its resource', () => {
    const { schemaVersion: _, ...v1 } = v2();
    refused({ ...v1, accessPaths: [{}], findings: [] }, '/accessPaths/0', /missing required property .*\(report\.json version 1\)/);
    refused({ ...v1, accessPaths: [], findings: [{ fingerprint: 'x', ruleId: 'r', severity: 'high', status: 'open', message: 'm' }] }, '/findings/0', /missing required property "resource"/);
  });
  it('a report that is not an object', () => refused([] as unknown as Json, '/', /must be an object/));
});

describe('summary.md: control characters in tenant names', () => {
  it('are written visibly, never as raw bytes', () => {
    const s: Snapshot = demoSnapshot();
    for (const g of [...(s.entra.groups.data ?? []), ...(s.aws.identityStore.data?.groups ?? [])]) g.displayName += HOSTILE_CONTROLS;
    s.entra.tenant.data!.displayName += HOSTILE_CONTROLS;
    const file = join(tempDir(), 'snapshot.json');
    writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
    const out = join(tempDir(), 'pack');
    const r = jitaudit(['evidence', '--snapshot', file, '--config', DEMO_CONFIG_FILE, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary.split('\n').filter((l) => CONTROL_OR_BIDI.test(l))).toEqual([]);
    expect(summary).toContain('Northwind Traders\\u001b\\[2J\\u001b\\]0;pwned\\u0007\\u009b31m\\u202egnp.exe\\u2066x\\u2069');
    expect(summary).toMatch(/\| AWS - Prod Admins\\u001b.*\\u2068 \(member\) \| pimPolicy \|/);
  });
});
