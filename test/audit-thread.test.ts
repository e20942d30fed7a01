// The audit thread (src/cli/audit-thread.ts): which command lines run on it, the young generation it
// is made with, and how its end is reported.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_YOUNG_GENERATION_MB, auditThreadWanted, onAuditThread } from '../src/cli/audit-thread.js';
import { start } from '../src/cli/start.js';
import { ROOT } from './helpers/demo.js';

/** A stand-in for the audit thread's entry: `body` runs there (an ES module from a data: URL). */
const entry = (body: string) => new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort, resourceLimits, workerData } from 'node:worker_threads';\n${body}`)}`);

describe('the audit thread', () => {
  it('runs audit and evidence, nothing else, unless node was given a semi-space size', () => {
    const argv = (...args: string[]) => ['/usr/bin/node', '/x/bin/jitaudit.js', ...args];
    expect(auditThreadWanted(argv('audit', '--demo'), [])).toBe(true);
    expect(auditThreadWanted(argv('evidence', '--demo', '--out', 'x'), [])).toBe(true);
    for (const other of [argv('collect'), argv('rules', 'list'), argv('explain'), argv('--help'), argv()]) expect(auditThreadWanted(other, [])).toBe(false);
    expect(auditThreadWanted(argv('audit'), ['--max-semi-space-size=64'])).toBe(false);
    expect(auditThreadWanted(argv('audit'), ['--min_semi_space_size=8'])).toBe(false);
    expect(auditThreadWanted(argv('audit'), ['--heap-growing-percent=50'])).toBe(true);
  });

  it('is made with a young generation of 96 MiB (V8 default 48), and gets the command line', async () => {
    expect(AUDIT_YOUNG_GENERATION_MB).toBe(96);
    const seen = await onAuditThread(['node', 'jitaudit', 'audit', '--demo'], entry('parentPort.postMessage(resourceLimits.maxYoungGenerationSizeMb * 100 + workerData.argv.length);'));
    expect(seen).toBe(96 * 100 + 4);
  });

  it('hands back the exit code; a thread that throws or ends without one rejects (start: internal error, exit 3)', async () => {
    await expect(onAuditThread([], entry('parentPort.postMessage(2);'))).resolves.toBe(2);
    await expect(onAuditThread([], entry("throw new Error('thread broke');"))).rejects.toThrow('thread broke');
    await expect(onAuditThread([], entry(''))).rejects.toThrow('the audit thread ended without an exit code');
  });

  it('is not started for the other commands, which run on the calling thread', async () => {
    const write = process.stdout.write.bind(process.stdout);
    let out = '';
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
    try {
      expect(await start(['node', 'jitaudit', '--version'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('reports a thread that dies as an internal error: the message, the hint, exit code 3', async () => {
    const write = process.stderr.write.bind(process.stderr);
    const debug = process.env.JITAUDIT_DEBUG;
    delete process.env.JITAUDIT_DEBUG;
    let err = '';
    process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
    try {
      expect(await start(['node', 'jitaudit', 'audit', '--demo'], entry("throw new Error('thread broke');"))).toBe(3);
    } finally {
      process.stderr.write = write;
      if (debug !== undefined) process.env.JITAUDIT_DEBUG = debug;
    }
    expect(err).toBe('jitaudit: internal error: thread broke\njitaudit: this is a bug; set JITAUDIT_DEBUG=1 for the stack and please report it\n');
  });

  it('gives the CLI its output, whole, and its exit codes', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'jitaudit-thread-')), 'out');
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--demo', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^jitaudit: snapshot reports\/demo\/snapshot\.json .*\n[\s\S]*gate \(--fail-on high\): FAILED[\s\S]*wrote .*report\.html\n$/);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.sarif']);
    const bad = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--snapshot', join(out, 'nope.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
