// jitaudit collect: run the Entra and AWS collectors (read-only), assemble one snapshot, validate it,
// and write it all-or-nothing: to a temporary file renamed into place only on success, so an
// interrupted run (Ctrl-C, a killed CI job) never leaves a partial snapshot behind.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Config } from '../model/config.js';
import { validateSnapshot } from '../model/load-snapshot.js';
import { CLOUD_NAMES, SECTION_PATHS, SNAPSHOT_SCHEMA_VERSION, type ProvenanceT, type Snapshot } from '../model/snapshot-schema.js';
import { inputError } from '../util/errors.js';
import { writeRendered } from '../util/write-outputs.js';
import { TOOL } from '../util/version.js';
import { COLLECTORS, type CollectorContext, type Half } from './collectors.js';
import type { Progress } from './progress.js';
import { notCollected } from './section.js';
import { jsonChunks } from '../util/json-chunks.js';
import { jsonPointer } from '../util/json-pointer.js';

export interface CollectOptions {
  config: Config;
  only: Half | null;
  out: string;
  progress: Progress;
  /** Entra: --tenant overrides entra.tenantId. */
  tenant?: string;
  /** AWS: --profile and --region (the Identity Center home region). */
  profile?: string;
  region?: string;
}

function skipped<K extends Half>(half: K, why: string): Snapshot[K] {
  const sections = SECTION_PATHS.filter((p) => p.startsWith(`${half}.`)).map((p) => p.split('.')[1]!);
  return Object.fromEntries(sections.map((s) => [s, notCollected(why)])) as unknown as Snapshot[K];
}

export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const halves: Half[] = options.only ? [options.only] : ['entra', 'aws'];
  for (const half of halves) {
    if (!COLLECTORS[half]) {
      throw inputError('collect', null, `the ${half} collector is not available yet${options.only ? '' : `; use --only ${half === 'entra' ? 'aws' : 'entra'}`}`);
    }
  }
  const warnings: { section: string; message: string }[] = [];
  const context: CollectorContext = {
    config: options.config,
    progress: options.progress,
    warn: (section, message) => warnings.push({ section, message }),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.region ? { region: options.region } : {}),
  };
  const startedAt = new Date();
  // The two halves talk to different clouds: run them side by side.
  const [entra, aws] = await Promise.all([
    halves.includes('entra') ? COLLECTORS.entra!(context) : Promise.resolve(skipped('entra', 'not collected: run with --only aws')),
    halves.includes('aws') ? COLLECTORS.aws!(context) : Promise.resolve(skipped('aws', 'not collected: run with --only entra')),
  ]);
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    meta: {
      tool: { name: TOOL.name, version: TOOL.version },
      collection: { startedAt: startedAt.toISOString(), endedAt: new Date().toISOString() },
      configDigest: options.config.digest,
      warnings: warnings.sort((a, b) => (a.section + a.message < b.section + b.message ? -1 : 1)),
    },
    entra,
    aws,
  };
  // A collector bug must not produce a snapshot that `audit` will refuse later: what is validated must
  // be what `audit` will parse from the file. When every value is plain JSON (what the collectors
  // build), the snapshot is its own JSON round trip, and is validated in place (ajv is configured not
  // to change what it validates: no defaults, coercion or removal); a copy of a large organisation's
  // snapshot would cost more memory than the whole collection. Anything else (undefined, a Date, NaN,
  // a class instance: a collector bug) is validated as JSON would write it, through the round trip.
  const plain = nonJsonValue(snapshot) === null ? snapshot : (JSON.parse(JSON.stringify(snapshot)) as Snapshot);
  const valid = validateSnapshot('collected snapshot', plain);
  // A snapshot with nothing of a cloud it was asked for can never pass an audit's gate: say why and
  // what fixes it now, and write nothing, rather than a file that fails later with every section missing.
  const unread = halves.filter((half) => !readAnything(valid, half));
  if (unread.length) throw inputError('collect', null, `${unread.map((half) => nothingRead(valid, half, halves.length === 2 && unread.length === 1)).join('; and ')}; nothing written`);
  return valid;
}

/** Whether any section of `half` was read from the cloud (declared from the config does not count). */
function readAnything(snapshot: Snapshot, half: Half): boolean {
  return Object.values(snapshot[half] as unknown as Record<string, { provenance: ProvenanceT }>).some((s) => s.provenance.status === 'collected');
}

/** Nothing of `half` was read: the first section's error, and every distinct fix the sections name; `other`: the other cloud was read. */
function nothingRead(snapshot: Snapshot, half: Half, other: boolean): string {
  const missing = Object.values(snapshot[half] as unknown as Record<string, { provenance: ProvenanceT }>)
    .map((s) => s.provenance)
    .filter((p): p is Extract<ProvenanceT, { status: 'missing' }> => p.status === 'missing')
    // A setting no API exposes (declared in the config) is not what stopped the reading.
    .filter((p) => p.error.code !== 'NotDeclared');
  const first = missing[0]?.error;
  const fixes = [...new Set(missing.map((p) => p.fix).filter((f): f is string => !!f))];
  const name = CLOUD_NAMES[half];
  const alone = other ? ` (--only ${half === 'entra' ? 'aws' : 'entra'} collects the other cloud alone)` : '';
  return `could not read anything from ${name}${first ? ` (${first.code}: ${first.message.split('\n')[0]})` : ''}; to fix: ${fixes.length ? fixes.join('; ') : `give ${name} credentials`}${alone}`;
}

/** Deeper than any snapshot: a reference cycle, or a collector bug. */
const MAX_DEPTH = 64;

/**
 * Where `value` is not plain JSON, i.e. where JSON.parse(JSON.stringify(value)) would differ from it
 * (or throw): undefined, functions, symbols, bigints, NaN and ±Infinity, holes in arrays, objects
 * other than plain ones (Date, Map, class instances), a toJSON method, nesting deeper than
 * MAX_DEPTH (cycles). Null when it is plain. Walks without allocating, once per value.
 */
export function nonJsonValue(value: unknown): { pointer: string; problem: string } | null {
  const path: (string | number)[] = [];
  const found = (problem: string) => ({ pointer: jsonPointer(path), problem });
  const walk = (v: unknown, depth: number): { pointer: string; problem: string } | null => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return null;
      case 'number':
        return Number.isFinite(v) ? null : found(`${v} is not a JSON number`);
      case 'object':
        break;
      default:
        return found(`${typeof v} is not a JSON value`);
    }
    if (v === null) return null;
    if (depth >= MAX_DEPTH) return found(`nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return found('not a plain array');
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const problem = i in v ? walk(v[i], depth + 1) : found('a hole in an array');
        if (problem) return problem;
        path.pop();
      }
      return null;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== Object.prototype && proto !== null) return found(`a ${(v as object).constructor?.name ?? 'non-plain object'}, not a plain object`);
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return found('an object with a toJSON method');
    for (const key in v) {
      path.push(key);
      const problem = walk((v as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
      path.pop();
    }
    return null;
  };
  return walk(value, 0);
}

/** The temporary file a process writes the snapshot `file` to before renaming it into place. */
export const tempFileOf = (file: string, pid = process.pid) => join(dirname(file), `.${basename(file)}.tmp-${pid}`);

/** Whether process `pid` is alive (on this machine): signal 0 tests without signalling. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Remove the temporary files that earlier runs writing `file` left behind when they were killed
 * mid-write (SIGKILL, a crash, a lost machine): `.<name>.tmp-<pid>` of a process no longer alive. A
 * live process's file is left alone (another collect writing the same snapshot right now, or the pid
 * reused since: then the file stays until a later run). Best effort: returns what was removed.
 */
export function removeStaleTempFiles(file: string): string[] {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const digits = name.slice(prefix.length);
    if (!/^[1-9]\d{0,9}$/.test(digits)) continue;
    const pid = Number(digits);
    if (pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    } catch {
      // Not ours to remove after all (permissions): leave it.
    }
  }
  return removed;
}

/**
 * Write the snapshot atomically; the temporary file is removed if the process is interrupted, and the
 * ones that killed runs left beside the same snapshot are removed first.
 */
export function writeSnapshot(file: string, snapshot: Snapshot): void {
  removeStaleTempFiles(file);
  const temp = tempFileOf(file);
  const cleanup = () => rmSync(temp, { force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Pretty-printed like JSON.stringify(snapshot, null, 2), written chunk by chunk.
    writeRendered(temp, () => jsonChunks(snapshot));
    renameSync(temp, file);
  } catch (error) {
    cleanup();
    throw inputError(file, null, `cannot write the snapshot (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
