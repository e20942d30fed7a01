import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, inputError } from '../src/util/errors.js';
import type { Rendered } from '../src/util/json-chunks.js';
import { makeDirectory, writeOutputs, writeRendered } from '../src/util/write-outputs.js';
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from './helpers/demo.js';

const dirOf = () => mkdtempSync(join(tmpdir(), 'jitaudit-write-'));

describe('writeOutputs', () => {
  it('writes strings, bytes and chunked texts byte for byte, across many buffers', async () => {
    const dir = dirOf();
    const big = Array.from({ length: 300_000 }, (_, i) => `line ${i} naïve 🙂\n`);
    const huge = 'x'.repeat(5 << 20);
    const bytes = Buffer.from(Array.from({ length: 6 << 20 }, (_, i) => i % 251));
    const files = new Map<string, Rendered>([
      ['a.txt', 'short é'],
      ['b.bin', bytes],
      ['c.txt', () => ['head', ...big, huge, 'tail']],
    ]);
    const written = await writeOutputs(dir, files);
    expect(written.map((f) => f.slice(dir.length + 1))).toEqual(['a.txt', 'b.bin', 'c.txt']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('short é');
    expect(readFileSync(join(dir, 'b.bin')).equals(bytes)).toBe(true);
    expect(readFileSync(join(dir, 'c.txt'), 'utf8')).toBe(`head${big.join('')}${huge}tail`);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin', 'c.txt']);
  });

  it('leaves nothing new behind when a report fails half-way, and keeps what was there', async () => {
    const dir = dirOf();
    writeFileSync(join(dir, 'a.txt'), 'old');
    const failing = function* () {
      yield 'x'.repeat(9 << 20);
      throw new Error('boom');
    };
    await expect(writeOutputs(dir, new Map<string, Rendered>([['a.txt', 'new'], ['b.txt', failing]]))).rejects.toThrow(/cannot write reports \(boom\)/);
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old');
  });

  it('replaces nothing when one target cannot be replaced (a folder where a report goes), and leaves no temporary file', async () => {
    const dir = dirOf();
    writeFileSync(join(dir, 'report.json'), 'old json');
    writeFileSync(join(dir, 'report.sarif'), 'old sarif');
    mkdirSync(join(dir, 'report.html'));
    const files = new Map<string, Rendered>([
      ['report.json', 'new'],
      ['report.sarif', 'new'],
      ['report.html', 'new'],
    ]);
    const promise = writeOutputs(dir, files);
    await expect(promise).rejects.toThrow(InputError);
    await expect(promise).rejects.toThrow(`${join(dir, 'report.html')}: is a folder, not a file`);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json', 'report.sarif']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('old json');
    expect(readFileSync(join(dir, 'report.sarif'), 'utf8')).toBe('old sarif');
    expect(readdirSync(join(dir, 'report.html'))).toEqual([]);
  });

  it('gives the CLI one line and exit code 2 for such a folder, with the old reports untouched', () => {
    const dir = dirOf();
    writeFileSync(join(dir, 'report.json'), 'old json');
    mkdirSync(join(dir, 'report.html'));
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--demo', '--out', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`jitaudit: ${join(dir, 'report.html')}: is a folder, not a file: remove or rename it, or choose another --out\n`);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('old json');
  });

  it('gives the CLI one line and exit code 2 for an output folder that is there but cannot be written (read-only even for root)', () => {
    if (!existsSync('/sys/kernel')) return;
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--demo', '--format', 'json', '--out', '/sys'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^jitaudit: \/sys: cannot write reports \((EACCES|EPERM|EROFS)\)\n$/);
  });

  it('removes its temporary files on SIGTERM while writing, and ends by that signal', async () => {
    const dir = dirOf();
    writeFileSync(join(dir, 'a.txt'), 'old');
    // A report that is slow to make: a quarter MiB every 10 ms, for at most ten seconds.
    const script = `
      import { writeOutputs } from ${JSON.stringify(join(ROOT, 'dist/util/write-outputs.js'))};
      const slow = function* () {
        for (let i = 0; i < 1000; i++) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          yield 'x'.repeat(1 << 18);
        }
      };
      await writeOutputs(${JSON.stringify(dir)}, new Map([['a.txt', 'new'], ['b.txt', slow]]));
      process.exit(0);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Once the slow report's temporary file is there, the first is written and the second under way.
    const deadline = Date.now() + 20_000;
    while (!readdirSync(dir).some((f) => f.startsWith('b.txt.tmp-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old');
  });

  it('passes on an input error of a report as it is', async () => {
    const dir = dirOf();
    const failing = function* (): Generator<string> {
      throw inputError('snapshot.json', null, 'changed while it was being audited; run the audit again');
    };
    const promise = writeOutputs(dir, new Map<string, Rendered>([['a.txt', failing]]));
    await expect(promise).rejects.toThrow(InputError);
    await expect(promise).rejects.toThrow(/^snapshot.json: changed while/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeRendered', () => {
  it('writes the same bytes synchronously', () => {
    const file = join(dirOf(), 'f.txt');
    const parts = Array.from({ length: 200_000 }, (_, i) => `${i} ü\n`);
    writeRendered(file, () => parts);
    expect(readFileSync(file, 'utf8')).toBe(parts.join(''));
  });
});

describe('makeDirectory', () => {
  it('makes the missing folders and names the first it made, as mkdir -p; nothing when the folder is there', () => {
    const base = dirOf();
    expect(makeDirectory(join(base, 'a', 'b', 'c'))).toBe(join(base, 'a'));
    expect(statSync(join(base, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(makeDirectory(join(base, 'a', 'b', 'c'))).toBeUndefined();
    expect(makeDirectory(join(base, 'a', 'd'))).toBe(join(base, 'a', 'd'));
  });

  it('refuses a file on the way, and a parent that exists but cannot hold a child (where Node 20 spins)', () => {
    const base = dirOf();
    writeFileSync(join(base, 'f'), '');
    expect(() => makeDirectory(join(base, 'f'))).toThrow(/EEXIST/);
    expect(() => makeDirectory(join(base, 'f', 'x', 'y'))).toThrow(/ENOTDIR/);
    if (existsSync('/proc/self')) expect(() => makeDirectory('/proc/jitaudit-nope/out')).toThrow(/ENOENT/);
  });

  it('gives the CLI one line and exit code 2 for an output folder it cannot make', () => {
    const file = join(dirOf(), 'f');
    writeFileSync(file, '');
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--demo', '--out', join(file, 'out')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`jitaudit: ${join(file, 'out')}: cannot write reports (ENOTDIR)\n`);
  });
});
