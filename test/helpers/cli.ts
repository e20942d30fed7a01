// Running the built CLI as a user would: a child process, its exit code, stdout and stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './demo.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function jitaudit(args: string[], cwd = ROOT): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/jitaudit.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, JITAUDIT_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const tempDir = (prefix = 'jitaudit-test-') => mkdtempSync(join(tmpdir(), prefix));

export const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
