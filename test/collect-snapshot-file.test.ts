// Writing and checking the collected snapshot without holding more than the model: validated in
// place (no deep copy) when it is plain JSON, through JSON otherwise; written piece by piece, byte
// for byte JSON.stringify(snapshot, null, 2); and the temporary files that killed runs left behind
// removed by the next collect of the same snapshot.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot, nonJsonValue, removeStaleTempFiles, tempFileOf, writeSnapshot } from '../src/collect/collect.js';
import { COLLECTORS } from '../src/collect/collectors.js';
import { notCollected } from '../src/collect/section.js';
import { jsonChunks } from '../src/util/json-chunks.js';
import { resolveConfig } from '../src/model/config.js';
import { SECTION_PATHS, type Snapshot } from '../src/model/snapshot-schema.js';
import { InputError } from '../src/util/errors.js';
import { jitauditAsync, tempDir } from './helpers/cli.js';
import { ROOT, demoSnapshot } from './helpers/demo.js';
import { quietProgress, startFakes } from './synthetic/harness.js';
import { generateOrg } from './synthetic/org.js';

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const text = (value: unknown) => [...jsonChunks(value)].join('');

describe('jsonChunks on a snapshot', () => {
  it('is byte for byte JSON.stringify(value, null, 2) + newline, for the demo snapshot', () => {
    const snapshot = demoSnapshot();
    expect(text(snapshot)).toBe(pretty(snapshot));
  });

  it('follows JSON.stringify on everything JSON.stringify accepts', () => {
    const long = Array.from({ length: 150 }, (_, i) => i);
    const holey: unknown[] = [1, , 3];
    const lazy = { toJSON: () => Array.from({ length: 100 }, (_, i) => ({ i, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })) };
    const value = {
      empty: { object: {}, array: [], allOmitted: { a: undefined, f: () => 1, s: Symbol('x') } },
      omitted: { keep: 1, drop: undefined, fn: () => 2, sym: Symbol('y') },
      inArrays: [undefined, () => 3, Symbol('z'), NaN, Infinity, -Infinity, -0, null, holey],
      numbers: [0, 1.5, -2e-7, 1e21, Number.MAX_SAFE_INTEGER],
      strings: ['', 'plain', 'quote " backslash \\ newline \n tab \t', 'unicode é ✓ 😀', 'lone \ud800 surrogate', '\u2028\u2029'],
      'key with "quotes"\n': { 'é': 1, '': 2 },
      date: new Date(Date.UTC(2026, 10, 23, 12, 0, 0)),
      nested: { toJSON: () => ({ inner: { toJSON: () => 'twice' } }) },
      keyed: { toJSON: (key: string) => `key=${key}` },
      boxed: [Object(1), Object('s'), Object(false)],
      map: new Map([['a', 1]]),
      nullProto: Object.assign(Object.create(null) as object, { x: 1, y: [1, 2] }),
      deep: { a: { b: { c: { d: { list: long, objects: lazy, grid: [long, long.slice(0, 3), []] } } } } },
      topLong: long,
    };
    expect(text(value)).toBe(pretty(value));
    for (const scalar of [null, 0, 'x', true, [], {}, long]) expect(text(scalar)).toBe(pretty(scalar));
  });

  it('never hands a long list to JSON.stringify whole, at any depth', () => {
    const users = Array.from({ length: 5_000 }, (_, i) => ({ id: `user-${i}`, memberOf: Array.from({ length: 80 }, (_, g) => `group-${g}`) }));
    const value = { entra: { users: { provenance: { status: 'collected' }, data: { users, total: users.length } } } };
    const chunks = [...jsonChunks(value)];
    expect(chunks.join('')).toBe(pretty(value));
    // About 15 MB of text, in pieces of at most a few hundred bytes.
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBeGreaterThan(10_000_000);
    expect(chunks.reduce((n, c) => Math.max(n, c.length), 0)).toBeLessThan(1_000);
  });
});

describe('nonJsonValue', () => {
  it('is null for plain JSON values', () => {
    expect(nonJsonValue(demoSnapshot())).toBeNull();
    expect(nonJsonValue({ a: [1, 'x', true, null, { b: [] }], c: Object.create(null) as object })).toBeNull();
  });

  it('names where a value would not survive JSON unchanged, and why', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: [unknown, string, RegExp][] = [
      [{ a: { b: undefined } }, '/a/b', /undefined/],
      [{ a: [1, undefined] }, '/a/1', /undefined/],
      [{ a: [1, , 3] }, '/a/1', /hole/],
      [{ 'x/y~z': NaN }, '/x~1y~0z', /NaN/],
      [{ a: Infinity }, '/a', /Infinity/],
      [{ a: new Date(0) }, '/a', /Date/],
      [{ a: new Map() }, '/a', /Map/],
      [{ a: { toJSON: () => 1 } }, '/a', /toJSON/],
      [{ a: () => 1 }, '/a', /function/],
      [{ a: Symbol('s') }, '/a', /symbol/],
      [{ a: 1n }, '/a', /bigint/],
      [{ a: Object('boxed') }, '/a', /String/],
      [cycle, '/self/self', /cycle/],
    ];
    for (const [value, pointer, problem] of cases) {
      const found = nonJsonValue(value);
      expect(found, pointer).not.toBeNull();
      expect(found!.pointer.startsWith(pointer), `${found!.pointer} vs ${pointer}`).toBe(true);
      expect(found!.problem).toMatch(problem);
    }
  });
});

describe('collectSnapshot validates what will be written', () => {
  const saved = { ...COLLECTORS };
  afterEach(() => Object.assign(COLLECTORS, saved));

  /** An Entra half with the tenant section given, every other section not collected. */
  const entraHalf = (tenant: unknown): Snapshot['entra'] =>
    Object.fromEntries(
      SECTION_PATHS.filter((p) => p.startsWith('entra.')).map((p) => {
        const name = p.split('.')[1]!;
        return [name, name === 'tenant' ? tenant : notCollected('not in this test')];
      }),
    ) as unknown as Snapshot['entra'];
  const collect = (half: Snapshot['entra']) => {
    COLLECTORS.entra = async () => half;
    return collectSnapshot({ config: resolveConfig({}, null), only: 'entra', out: 'unused.json', progress: quietProgress });
  };
  const tenantData = { id: 't-1', displayName: 'Tenant', defaultDomain: null };

  it('in place, without a copy, when the collectors hand over plain JSON', async () => {
    const half = entraHalf({ provenance: { status: 'collected', source: 'GET /organization', collectedAt: '2026-11-23T12:00:00.000Z' }, data: tenantData });
    const snapshot = await collect(half);
    expect(snapshot.entra).toBe(half);
    expect(snapshot.entra.tenant.data).toBe(half.tenant.data);
  });

  it('as JSON will write it when a collector hands over something else (undefined, a Date)', async () => {
    const half = entraHalf({
      provenance: { status: 'collected', source: 'GET /organization', collectedAt: new Date(Date.UTC(2026, 10, 23, 12)) },
      data: { ...tenantData, notInTheSchema: undefined },
    });
    const snapshot = await collect(half);
    expect(snapshot.entra).not.toBe(half);
    expect(snapshot.entra.tenant).toEqual({ provenance: { status: 'collected', source: 'GET /organization', collectedAt: '2026-11-23T12:00:00.000Z' }, data: tenantData });
    expect(nonJsonValue(snapshot)).toBeNull();
    // What was validated is what the collectors' snapshot is written as.
    expect(text(snapshot)).toBe(text({ ...snapshot, entra: half }));
  });

  it('and refuses, as audit would, what the schema refuses', async () => {
    const half = entraHalf({ provenance: { status: 'collected', source: 'GET /organization', collectedAt: '2026-11-23T12:00:00.000Z' }, data: { displayName: 'no id', defaultDomain: null } });
    await expect(collect(half)).rejects.toThrow(InputError);
    await expect(collect(half)).rejects.toThrow(/collected snapshot: \/entra\/tenant\/data: missing required property "id"/);
  });
});

describe('stale temporary files', () => {
  const deadPid = () => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(r.stdout);
  };

  it('of the same snapshot whose process is gone are removed; others are left alone', () => {
    const dir = tempDir('jitaudit-stale-');
    const out = join(dir, 'snapshot.json');
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const dead = deadPid();
      const names = [
        `.snapshot.json.tmp-${dead}`, // a killed run's: removed
        `.snapshot.json.tmp-${live.pid}`, // a running collect's: kept
        `.other.json.tmp-${dead}`, // another snapshot's: kept
        '.snapshot.json.tmp-abc', // not a pid: kept
        '.snapshot.json.tmp-0',
        `.snapshot.json.tmp-${dead}.bak`,
        'snapshot.json.tmp-1',
      ];
      for (const name of names) writeFileSync(join(dir, name), 'partial');
      expect(removeStaleTempFiles(out)).toEqual([join(dir, `.snapshot.json.tmp-${dead}`)]);
      expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
      expect(removeStaleTempFiles(join(dir, 'missing-dir', 'snapshot.json'))).toEqual([]);
    } finally {
      live.kill();
    }
  });

  it('left by a collect killed while writing are removed by the next collect to the same file', async () => {
    const dir = tempDir('jitaudit-sigkill-');
    const out = join(dir, 'snapshot.json');
    // A real writeSnapshot killed (SIGKILL: no handler runs) in the middle of writing: it leaves its
    // temporary file, named with its pid, and no snapshot.
    const killer = [
      `const { writeSnapshot } = await import(${JSON.stringify(join(ROOT, 'dist/collect/collect.js'))});`,
      `const rows = Array.from({ length: 200000 }, (_, i) => ({ i, name: 'row ' + i }));`,
      `writeSnapshot(${JSON.stringify(out)}, { rows, last: { toJSON() { process.kill(process.pid, 'SIGKILL'); } } });`,
    ].join('\n');
    const killed = spawnSync(process.execPath, ['--input-type=module', '-e', killer], { encoding: 'utf8' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const stale = tempFileOf(out, killed.pid);
    expect(existsSync(stale)).toBe(true);
    expect(readFileSync(stale, 'utf8').startsWith('{\n  "rows": [')).toBe(true);
    expect(existsSync(out)).toBe(false);

    const org = generateOrg('S', 7);
    writeFileSync(join(dir, 'c.yaml'), JSON.stringify(org.config));
    const fakes = await startFakes(org, { timing: { timeScale: 50, enforceLimits: true, latencyMs: 10 } });
    try {
      const env = Object.fromEntries(Object.entries(fakes.env).map(([k, v]) => [k, v ?? '']));
      const run = await jitauditAsync(['collect', '--config', join(dir, 'c.yaml'), '--out', out, '--quiet'], dir, env);
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await fakes.close();
    }
    expect(readdirSync(dir).sort()).toEqual(['c.yaml', 'snapshot.json']);
    expect((JSON.parse(readFileSync(out, 'utf8')) as Snapshot).entra.groups.data).toHaveLength(org.shape.entraGroups!);
  }, 60_000);
});

describe('writeSnapshot', () => {
  it('writes JSON.stringify(snapshot, null, 2) and a newline, and nothing else', () => {
    const dir = tempDir('jitaudit-write-');
    const snapshot = demoSnapshot();
    writeSnapshot(join(dir, 'snapshot.json'), snapshot);
    expect(readFileSync(join(dir, 'snapshot.json'), 'utf8')).toBe(pretty(snapshot));
    expect(readdirSync(dir)).toEqual(['snapshot.json']);
  });
});
