// Running the built CLI as a user would: a child process, its exit code, stdout and stderr.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './demo.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `env` is added to the child's environment (e.g. JITAUDIT_GRAPH_BASE_URL of a fake). A child that
 * does not end (a thread left running) is killed after two minutes: code -1, not a hung test run.
 */
export function jitaudit(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/jitaudit.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, JITAUDIT_DEBUG: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like jitaudit(), without blocking this process: needed when the child talks to a fake served from here. */
export function jitauditAsync(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/jitaudit.js'), ...args], { cwd, env: { ...process.env, JITAUDIT_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export const tempDir = (prefix = 'jitaudit-test-') => mkdtempSync(join(tmpdir(), prefix));

export const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
