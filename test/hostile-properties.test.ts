// Property-based tests of hostile input (needs dist/: run `npx tsc -p tsconfig.build.json` first).
// fast-check generates snapshots (mutations of the demo), configs and small rule sets — hostile names,
// unusable durations, duplicate ids, dangling references, waivers with runs of `*`, deep CEL, a folder
// where a report goes — and runs the built CLI on them. Whatever the input:
//   * it ends within a time budget with exit 0, 1 or 2, never 3 (an internal error);
//   * exit 2 is one stderr line naming the file and, for a JSON or YAML document, a JSON pointer that
//     is there in it;
//   * the reports are all written, or none changed (the output folder is pre-filled with markers);
//   * report.json holds no negative (or otherwise unusable) duration and no negative totalSeconds;
//   * a whole cloud missing never passes the gate;
//   * the evidence pack's access-review.csv reads the same in csv-parse and in Python's csv module,
//     and no line of a cell starts with = + - @, tab or CR.
// The seed is fixed (deterministic in CI); JITAUDIT_PROPERTY_RUNS=200 runs more, JITAUDIT_PROPERTY_SEED
// another seed. A failure prints fast-check's shrunk counterexample and its seed and path.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { formulaLines, PYTHON_CSV, pythonCsvRows } from './helpers/csv-readers.js';
import { parse as fromYaml, stringify as toYaml } from 'yaml';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { demoSnapshot, ROOT } from './helpers/demo.js';
import { HOSTILE, HOSTILE_CONTROLS, HOSTILE_LINES } from './helpers/hostile.js';

const RUNS = Number(process.env.JITAUDIT_PROPERTY_RUNS) || 20;
const SEED = Number(process.env.JITAUDIT_PROPERTY_SEED ?? 20261206);
/** One CLI run: the demo audits in about 0.2 s in-process; anything near this is a hang. */
const RUN_BUDGET_MS = Number(process.env.JITAUDIT_PROPERTY_BUDGET_MS) || 20_000;
// Shrinking a hang costs a budget per step: past the limit, the best counterexample so far is reported.
const timeLimit = (runs: number) => Math.max(4 * 60_000, runs * 2_000);
const fcOptions = (runs = RUNS) => ({ seed: SEED, numRuns: runs, interruptAfterTimeLimit: timeLimit(runs), markInterruptAsFailure: true });
const testTimeout = (runs = RUNS) => timeLimit(runs) + 2 * RUN_BUDGET_MS + 60_000;

// ------------------------------------------------------------------------------------------- the CLI

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The built CLI's main(), in a worker thread: ten times faster than a child process per run (the
 * modules stay loaded), and still killable — a run that outlasts its budget (a loop in a glob or a
 * parser) terminates the worker and comes back as code -1, failing the property instead of hanging.
 */
class CliWorker {
  private worker: Worker | null = null;

  private start(): Worker {
    const main = pathToFileURL(join(ROOT, 'dist/cli/main.js')).href;
    const source = `
      const { parentPort } = require('node:worker_threads');
      const out = { stdout: '', stderr: '' };
      for (const name of ['stdout', 'stderr']) {
        process[name].write = (chunk, ...rest) => {
          out[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          const done = rest.find((r) => typeof r === 'function');
          if (done) done();
          return true;
        };
      }
      parentPort.on('message', async (argv) => {
        out.stdout = '';
        out.stderr = '';
        const { main } = await import(${JSON.stringify(main)});
        const code = await main(['node', 'jitaudit', ...argv]);
        parentPort.postMessage({ code, stdout: out.stdout, stderr: out.stderr });
      });`;
    return new Worker(source, { eval: true, env: { ...process.env, JITAUDIT_DEBUG: '' } });
  }

  run(argv: string[]): Promise<Run> {
    const worker = (this.worker ??= this.start());
    const began = Date.now();
    return new Promise((resolve) => {
      const done = (run: Omit<Run, 'ms'>) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve({ ...run, ms: Date.now() - began });
      };
      const onMessage = (m: Omit<Run, 'ms'>) => done(m);
      // An exception that escapes main() (it catches everything itself) is an internal error too.
      const onError = (e: Error) => {
        this.worker = null;
        done({ code: 3, stdout: '', stderr: `worker died: ${e.stack ?? e.message}` });
      };
      const timer = setTimeout(() => {
        this.worker = null;
        // Stopped before the next run starts, so that a run left spinning cannot slow the next ones down.
        const stopped = Promise.race([worker.terminate(), new Promise((r) => setTimeout(r, 5_000))]);
        void stopped.then(() => done({ code: -1, stdout: '', stderr: `no exit within ${RUN_BUDGET_MS} ms: jitaudit ${argv.join(' ')}` }));
      }, RUN_BUDGET_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(argv);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}

const cli = new CliWorker();
/** JITAUDIT_PROPERTY_STATS=1: how the runs ended (how many inputs got past the loaders, how many were refused and where). */
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
afterAll(async () => {
  await cli.close();
  if (process.env.JITAUDIT_PROPERTY_STATS) console.log([...tally].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${String(n).padStart(5)}  ${k}`).join('\n'));
});

const scratch = () => mkdtempSync(join(tmpdir(), 'jitaudit-prop-'));

// ---------------------------------------------------------------------------------- hostile strings

const FORMULA = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
const BREAKS = ['\r', '\n', '\r\n', '\n\r', '\r\r\n'];
const PIECES = [...FORMULA, ...BREAKS, '"', '""', ',', "'", ' ', '  ', ';', '\u202e', '\u2066', '\u200f', '\u001b[2J', '\u0007', '\u0000', '\u0085', '\u2028', '\u000b', '\u000c', '\uFEFF', '<', '>', '&', '{{', '}}', '\\', '/', '~', ':', 'cmd|', "' /C calc'!A0", 'SUM(1+1)', '🙂', '\ud800'];

/** A tenant-chosen name: known payloads, or a mix of formula starters, line breaks, quotes and controls. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...Object.values(HOSTILE), ...Object.values(HOSTILE_LINES), HOSTILE_CONTROLS, '=1+1', '+1', '-1', '@A1', '\t=1', '\r=1', '\n=1', ' =1', '"=1"', 'a,b', '"', ',', '\r\n', 'P-1D', 'PT-5H') },
  { weight: 5, arbitrary: fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FORMULA, ...BREAKS, 'x', '"'), fc.integer({ min: 1_000, max: 120_000 }), fc.constantFrom('a', '=', '\n', '"', ',', '\u202e')).map(([head, n, fill]) => head + fill.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }) },
);

// ---------------------------------------------------------------------------------------- durations

/** Durations the tool can use, from zero to absurd (10,000 years, the most it reads). */
const usableDuration: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('PT1H', 'PT0S', 'P1W', 'P90D', 'P1DT12H', 'PT0.5S', 'PT1H0.000000001S', 'P3652500D', 'PT7574400000H', 'P521785W5D'),
  fc.tuple(fc.nat(500), fc.nat(48), fc.nat(120), fc.nat(100_000)).map(([d, h, m, sec]) => `P${d}DT${h}H${m}M${sec}S`),
);

/** Durations a policy, a permission set or a config might hold: usable, absurd, negative, calendar-bound, garbage. */
const durationValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: usableDuration },
  {
    weight: 2,
    arbitrary: fc.constantFrom('-PT100H', 'P-1D', 'PT-5H', '-P1D', '+PT1H', 'P1Y', 'P1M', 'P1Y2M', 'P2Y', 'P', 'PT', 'P1DT', '', 'PT1.5H', 'P1,5D', 'pt1h', 'PT1H ', ' PT1H', 'P3652501D', 'P999999999999999W', 'PT999999999999999H', 'P9999999999999999D', `P${'9'.repeat(400)}D`, 'PTInfinityS', 'PTNaNS', 'P1e3D', 'eight hours', '\u202ePT1H'),
  },
  { weight: 1, arbitrary: fc.constantFrom(8, -1, 0, null, true, 1e309 /* Infinity: JSON null */) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        sign: fc.constantFrom('', '', '-', '+'),
        parts: fc.array(fc.tuple(fc.oneof(fc.nat(99), fc.integer({ min: -5, max: -1 }), fc.constant(1e15)), fc.constantFrom('Y', 'M', 'W', 'D', 'TH', 'TM', 'TS')), { maxLength: 4 }),
      })
      .map(({ sign, parts }) => {
        const date = parts.filter(([, u]) => !u.startsWith('T')).map(([n, u]) => `${n}${u}`);
        const time = parts.filter(([, u]) => u.startsWith('T')).map(([n, u]) => `${n}${u.slice(1)}`);
        return `${sign}P${date.join('')}${time.length ? `T${time.join('')}` : ''}`;
      }),
  },
);

/** Where the point is what the tool does with the value (not that it refuses it). */
const mostlyUsable = fc.oneof({ weight: 6, arbitrary: usableDuration }, { weight: 1, arbitrary: durationValue });

// ------------------------------------------------------------------------------ snapshot mutations

const NAME_SLOTS = [
  'entraGroup',
  'icGroup',
  'bothGroups',
  'entraUpn',
  'entraUserName',
  'icUserName',
  'icUserDisplay',
  'account',
  'ouPath',
  'tagValue',
  'permissionSet',
  'permissionSetDescription',
  'tenant',
  'justification',
  'ticket',
  'groupDescription',
] as const;
const DURATION_SLOTS = ['activationMaximum', 'anyPolicyExpiration', 'permissionSetSession', 'provisioningInterval', 'eligibilityDuration', 'activationDuration'] as const;
const ID_LISTS = ['entraUsers', 'entraGroups', 'icUsers', 'icGroups', 'permissionSets', 'accounts', 'pimPolicies', 'assignments', 'memberships', 'eligibilities'] as const;
const REFS = ['assignmentAccount', 'assignmentPrincipal', 'assignmentPermissionSet', 'membershipUser', 'membershipGroup', 'eligibilityGroup', 'eligibilityPrincipal', 'groupMember', 'groupOwner', 'externalId', 'policyGroup', 'activationPrincipal'] as const;

type Mutation =
  | { op: 'name'; slot: (typeof NAME_SLOTS)[number]; at: number; value: string }
  | { op: 'duration'; slot: (typeof DURATION_SLOTS)[number]; at: number; value: unknown }
  | { op: 'duplicate'; list: (typeof ID_LISTS)[number]; at: number }
  | { op: 'drop'; list: (typeof ID_LISTS)[number]; at: number }
  | { op: 'dangle'; ref: (typeof REFS)[number]; at: number; id: string }
  | { op: 'missing'; section: string }
  | { op: 'missingCloud'; cloud: 'entra' | 'aws' };

const SECTIONS = Object.entries(demoSnapshot()).flatMap(([cloud, sections]) => (cloud === 'entra' || cloud === 'aws' ? Object.keys(sections as object).map((s) => `${cloud}.${s}`) : []));

const nameMutation = fc.record({ op: fc.constant('name' as const), slot: fc.constantFrom(...NAME_SLOTS), at: fc.nat(40), value: hostileText });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: nameMutation },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('duration' as const), slot: fc.constantFrom(...DURATION_SLOTS), at: fc.nat(40), value: durationValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), list: fc.constantFrom(...ID_LISTS), at: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), list: fc.constantFrom(...ID_LISTS), at: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('dangle' as const), ref: fc.constantFrom(...REFS), at: fc.nat(40), id: fc.oneof(fc.constantFrom('no-such-id', '999999999999', '', 'constructor', '__proto__'), hostileText) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('missing' as const), section: fc.constantFrom(...SECTIONS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('missingCloud' as const), cloud: fc.constantFrom('entra' as const, 'aws' as const) }) },
);

const pick = <T>(list: readonly T[] | null | undefined, at: number): T | undefined => (list?.length ? list[at % list.length] : undefined);

function listOf(s: Snapshot, list: (typeof ID_LISTS)[number]): unknown[] | undefined {
  switch (list) {
    case 'entraUsers':
      return s.entra.users.data ?? undefined;
    case 'entraGroups':
      return s.entra.groups.data ?? undefined;
    case 'icUsers':
      return s.aws.identityStore.data?.users;
    case 'icGroups':
      return s.aws.identityStore.data?.groups;
    case 'permissionSets':
      return s.aws.permissionSets.data ?? undefined;
    case 'accounts':
      return s.aws.organization.data?.accounts;
    case 'pimPolicies':
      return s.entra.pimPolicies.data ?? undefined;
    case 'assignments':
      return s.aws.accountAssignments.data ?? undefined;
    case 'memberships':
      return s.aws.identityStore.data?.memberships;
    case 'eligibilities':
      return s.entra.pimSchedules.data?.eligibilitySchedules;
  }
}

type Loose = Record<string, unknown>;

function applyMutation(s: Snapshot, m: Mutation): void {
  const { entra, aws } = s;
  switch (m.op) {
    case 'name': {
      const v = m.value;
      const entraGroup = pick(entra.groups.data, m.at);
      const icGroup = pick(aws.identityStore.data?.groups, m.at);
      const user = pick(entra.users.data, m.at);
      const icUser = pick(aws.identityStore.data?.users, m.at);
      const account = pick(aws.organization.data?.accounts, m.at);
      const ps = pick(aws.permissionSets.data, m.at);
      const activation = pick(entra.activations.data as Loose[] | null, m.at);
      switch (m.slot) {
        case 'entraGroup':
          if (entraGroup) entraGroup.displayName = v;
          break;
        case 'icGroup':
          if (icGroup) icGroup.displayName = v;
          break;
        case 'bothGroups': {
          // The same group on both sides (matched by its SCIM external id), renamed consistently.
          if (!entraGroup) break;
          entraGroup.displayName = v;
          for (const g of aws.identityStore.data?.groups ?? []) if (g.externalIds?.some((x) => x.id === entraGroup.id)) g.displayName = v;
          break;
        }
        case 'entraUpn':
          if (user) user.userPrincipalName = v;
          break;
        case 'entraUserName':
          if (user) user.displayName = v;
          break;
        case 'icUserName':
          if (icUser) icUser.userName = v;
          break;
        case 'icUserDisplay':
          if (icUser) icUser.displayName = v;
          break;
        case 'account':
          if (account) account.name = v;
          break;
        case 'ouPath':
          if (account) account.ouPath = v;
          break;
        case 'tagValue':
          if (account) account.tags = { ...account.tags, [v.slice(0, 64) || 'k']: v };
          break;
        case 'permissionSet':
          if (ps) ps.name = v;
          break;
        case 'permissionSetDescription':
          if (ps) ps.description = v;
          break;
        case 'tenant':
          if (entra.tenant.data) entra.tenant.data.displayName = v;
          break;
        case 'justification':
          if (activation) activation.justification = v;
          break;
        case 'ticket':
          if (activation) activation.ticketInfo = { ticketNumber: v, ticketSystem: v };
          break;
        case 'groupDescription':
          if (entraGroup) entraGroup.description = v;
          break;
      }
      return;
    }
    case 'duration': {
      const policy = pick(entra.pimPolicies.data, m.at);
      switch (m.slot) {
        case 'activationMaximum':
        case 'anyPolicyExpiration': {
          const rules = (policy?.rules ?? []) as Loose[];
          const rule = m.slot === 'activationMaximum' ? rules.find((r) => r.id === 'Expiration_EndUser_Assignment') : pick(rules.filter((r) => String(r.id).startsWith('Expiration_')), m.at);
          if (rule) rule.maximumDuration = m.value;
          break;
        }
        case 'permissionSetSession': {
          const ps = pick(aws.permissionSets.data, m.at) as Loose | undefined;
          if (ps) ps.sessionDuration = m.value;
          break;
        }
        case 'provisioningInterval': {
          const job = pick(entra.provisioning.data?.jobs, m.at) as { schedule: Loose } | undefined;
          if (job) job.schedule.interval = m.value;
          break;
        }
        case 'eligibilityDuration': {
          const e = pick(entra.pimSchedules.data?.eligibilitySchedules, m.at) as { scheduleInfo: { expiration: Loose } } | undefined;
          if (e) e.scheduleInfo.expiration = { type: 'afterDuration', endDateTime: null, duration: m.value };
          break;
        }
        case 'activationDuration': {
          const a = pick(entra.activations.data as Loose[] | null, m.at) as { scheduleInfo: { expiration: Loose } } | undefined;
          if (a) a.scheduleInfo.expiration = { type: 'afterDuration', endDateTime: null, duration: m.value };
          break;
        }
      }
      return;
    }
    case 'duplicate': {
      const list = listOf(s, m.list);
      const item = pick(list, m.at);
      if (list && item) list.push(structuredClone(item));
      return;
    }
    case 'drop': {
      const list = listOf(s, m.list);
      if (list?.length) list.splice(m.at % list.length, 1);
      return;
    }
    case 'dangle': {
      const id = m.id;
      const set = (o: Loose | undefined, key: string) => {
        if (o) o[key] = id;
      };
      const assignment = pick(aws.accountAssignments.data, m.at) as Loose | undefined;
      const membership = pick(aws.identityStore.data?.memberships, m.at) as Loose | undefined;
      const eligibility = pick(entra.pimSchedules.data?.eligibilitySchedules, m.at) as Loose | undefined;
      const group = pick(entra.groups.data, m.at);
      switch (m.ref) {
        case 'assignmentAccount':
          return set(assignment, 'accountId');
        case 'assignmentPrincipal':
          return set(assignment, 'principalId');
        case 'assignmentPermissionSet':
          return set(assignment, 'permissionSetArn');
        case 'membershipUser':
          return set(membership, 'userId');
        case 'membershipGroup':
          return set(membership, 'groupId');
        case 'eligibilityGroup':
          return set(eligibility, 'groupId');
        case 'eligibilityPrincipal':
          return set(eligibility, 'principalId');
        case 'groupMember':
          group?.members.push({ id, type: 'user', displayName: null });
          return;
        case 'groupOwner':
          (group?.owners as Loose[] | undefined)?.push({ id, type: 'user', displayName: null });
          return;
        case 'externalId': {
          const u = pick(aws.identityStore.data?.users, m.at);
          if (u) u.externalIds = [{ issuer: 'scim', id }];
          return;
        }
        case 'policyGroup':
          return set(pick(entra.pimPolicies.data, m.at) as Loose | undefined, 'groupId');
        case 'activationPrincipal':
          return set(pick(entra.activations.data as Loose[] | null, m.at), 'principalId');
      }
      return;
    }
    case 'missing':
    case 'missingCloud': {
      const names = m.op === 'missing' ? [m.section] : SECTIONS.filter((x) => x.startsWith(`${m.cloud}.`));
      for (const name of names) {
        const [cloud, key] = name.split('.') as ['entra' | 'aws', string];
        (s[cloud] as unknown as Record<string, Loose>)[key] = {
          provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'Insufficient privileges' }, fix: null },
          data: null,
        };
      }
      return;
    }
  }
}

/** Every section of a cloud missing: the gate may never pass. */
const cloudUnread = (s: Snapshot) =>
  (['entra', 'aws'] as const).some((cloud) => Object.values(s[cloud] as unknown as Record<string, { provenance: { status: string } }>).every((x) => x.provenance.status === 'missing'));

/** Strings the mutations put in: report.json may echo them, and a name may look like "P-1D". */
function injected(mutations: Mutation[]): Set<string> {
  const out = new Set<string>();
  for (const m of mutations) {
    if (m.op === 'name' || m.op === 'dangle') out.add(m.op === 'name' ? m.value : m.id);
  }
  return out;
}

// -------------------------------------------------------------------------------------------- config

/**
 * Glob patterns for waivers and environments: runs of `*` and `?` and `**` segments that make a
 * backtracking matcher take exponential or polynomial time over a long name. Globs are matched in
 * linear time (src/util/glob.ts), so any number of `*` goes, over long names (for how long, see
 * globbedName); a glob longer than 1,024 characters is an input error (the last but two arbitraries).
 */
const glob: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('a', 'x', '-', ':', '/'), fc.integer({ min: 1, max: 900 })).map(([n, c, runs]) => `${`*${c}`.repeat(n)}${'*'.repeat(runs)}b`) },
  { weight: 2, arbitrary: fc.integer({ min: 2, max: 1024 }).map((n) => '*'.repeat(n)) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 511 }).map((n) => `${'a*'.repeat(n)}!`) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => `${'**/'.repeat(n)}x`) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 511 }).map((n) => `${'?*'.repeat(n)}z`) },
  // Path globs: `**` segments between segments of stars, as an OU path glob would be written.
  { weight: 3, arbitrary: fc.array(fc.constantFrom('**', '*', '*a*', '?*?', 'a', 'Root', '*-*-*-prod', '*a*a*a*a*a*a*a*a*'), { minLength: 1, maxLength: 60 }).map((segments) => segments.join('/')) },
  { weight: 1, arbitrary: fc.integer({ min: 1025, max: 70_000 }).map((n) => `=${'a'.repeat(n)}`) },
  { weight: 3, arbitrary: fc.constantFrom('*', '**', 'direct-assignment:*', '*:*:*:*:*', '[', '{a,b}', '{1..99999}', '!(x)', '\\', '*prod*', 'Root/**', '(a|b)*c+', '@(x)', '+(a)', '*(*(*(*(a))))') },
  { weight: 2, arbitrary: hostileText.filter((t) => t.length <= 1024) },
);

/**
 * A long account name or OU path of one piece repeated, with a glob whose stars and `**` segments
 * surround that piece and that does not match: `*a*a*…*b` against `aaaa…`, which a backtracking
 * matcher does not finish in a lifetime. Drawn on their own, the two seldom meet in a run.
 *
 * Linear in each is not free in both: V8's linear-time engine takes time in proportion to the glob's
 * length times the name's (about 0.25 s for 1,024 × 4,000 or 33 × 120,000 characters, 15 s for
 * 1,000 × 120,000). The pairs, and names against the other globs, keep that product near 4 million.
 */
const MAX_GLOB_TIMES_NAME = 4_200_000;
const globbedName = fc
  .record({
    list: fc.constantFrom('accountNames' as const, 'ouPaths' as const),
    at: fc.nat(40),
    piece: fc.constantFrom('a', 'x', '-', ':'),
    // Many stars over a long name, or a few over a very long one.
    size: fc.oneof(fc.record({ stars: fc.integer({ min: 1, max: 511 }), length: fc.integer({ min: 1_000, max: 4_000 }) }), fc.record({ stars: fc.integer({ min: 1, max: 16 }), length: fc.integer({ min: 4_000, max: 120_000 }) })),
    segments: fc.boolean(),
  })
  .map(({ list, at, piece, size: { stars, length }, segments }) => {
    const pathLike = list === 'ouPaths' && segments;
    const starred = (n: number) => `${`*${piece}`.repeat(n)}*b`;
    return {
      list,
      mutation: { op: 'name' as const, slot: list === 'ouPaths' ? ('ouPath' as const) : ('account' as const), at, value: pathLike ? `Root/${piece.repeat(length / 2)}/${piece.repeat(length / 2)}` : piece.repeat(length) },
      glob: pathLike ? `Root/**/${starred(Math.min(Math.ceil(stars / 2), 250))}/**/${starred(Math.min(Math.floor(stars / 2), 250))}` : starred(stars),
    };
  });
/** Names against the config's other globs (up to 1,024 characters): long, within that product. */
const globbableName = fc.record({ op: fc.constant('name' as const), slot: fc.constantFrom(...NAME_SLOTS), at: fc.nat(40), value: hostileText.filter((t) => t.length * 1024 <= MAX_GLOB_TIMES_NAME) });

interface ConfigSpec {
  durations: [string, string, unknown][];
  waivers: { rule: string; resource: string; expires: string }[];
  accountNames: string[];
  ouPaths: string[];
  params: [string, string, unknown][];
  disabled: string[];
}

const RULE_IDS = ['direct-user-assignment', 'effective-window-too-long', 'pim-activation-duration-too-long', 'standing-access-prod', 'waiver-expired'];
const ruleId = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...RULE_IDS) }, { weight: 1, arbitrary: fc.constantFrom('no-such-rule', 'a/b~c', 'a: b', '__proto__', 'constructor') });

const configSpec: fc.Arbitrary<ConfigSpec> = fc.record({
  durations: fc.array(
    fc.tuple(
      fc.constantFrom(...([['scim', 'assumedLag'], ['scim', 'unhealthyAfter'], ['aws', 'portalSessionDuration'], ['aws', 'cloudTrailLookback'], ['entra', 'activationLookback']] as const)),
      mostlyUsable,
    ).map(([[a, b], v]) => [a, b, v] as [string, string, unknown]),
    { maxLength: 3 },
  ),
  waivers: fc.array(fc.record({ rule: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...RULE_IDS) }, { weight: 1, arbitrary: ruleId }), resource: glob, expires: fc.constantFrom('2099-12-31', '2026-01-01', '2026-10-01') }), { maxLength: 3 }),
  accountNames: fc.array(glob, { maxLength: 2 }),
  ouPaths: fc.array(glob, { maxLength: 2 }),
  params: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: mostlyUsable.map((v) => ['effective-window-too-long', 'maxWindow', v] as [string, string, unknown]) },
      { weight: 4, arbitrary: mostlyUsable.map((v) => ['pim-activation-duration-too-long', 'max', v] as [string, string, unknown]) },
      { weight: 1, arbitrary: fc.tuple(ruleId, fc.constantFrom('maxWindow', 'max', 'environments', 'nope', '__proto__'), fc.oneof(durationValue, fc.constant(['prod']))).map(([a, b, c]) => [a, b, c] as [string, string, unknown]) },
    ),
    { maxLength: 2 },
  ),
  disabled: fc.array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...RULE_IDS) }, { weight: 1, arbitrary: ruleId }), { maxLength: 2 }),
});

function configYaml(spec: ConfigSpec): string {
  const config: Loose = {};
  const section = (name: string) => (config[name] ??= {}) as Loose;
  for (const [a, b, v] of spec.durations) section(a)[b] = v;
  if (spec.waivers.length) config.waivers = spec.waivers.map((w) => ({ ...w, reason: 'property test', owner: 'security@example.com' }));
  if (spec.accountNames.length || spec.ouPaths.length) {
    config.environments = { prod: { ...(spec.accountNames.length ? { accountNames: spec.accountNames } : {}), ...(spec.ouPaths.length ? { ouPaths: spec.ouPaths } : {}) } };
  }
  if (spec.params.length) {
    // Own properties, whatever the key ("__proto__" included): what a YAML mapping holds.
    const params: Record<string, Loose> = {};
    for (const [rule, name, value] of spec.params) {
      if (!Object.hasOwn(params, rule)) Object.defineProperty(params, rule, { value: {}, enumerable: true, writable: true, configurable: true });
      Object.defineProperty(params[rule], name, { value, enumerable: true, writable: true, configurable: true });
    }
    section('rules').params = params;
  }
  if (spec.disabled.length) section('rules').disabled = spec.disabled;
  return toYaml(config, { lineWidth: 0 });
}

// --------------------------------------------------------------------------------------------- rules

/** CEL that nests: comprehensions in comprehensions, parentheses, negations, lists, member chains. */
const celCondition: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 24,
    arbitrary: fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }), fc.constantFrom('all', 'exists', 'exists_one', 'map', 'filter')).map(([depth, macro]) => {
      let inner = 'true';
      for (let d = depth - 1; d >= 0; d--) {
        inner = macro === 'map' ? `size([1, 2].map(x${d}, ${inner})) > 0` : macro === 'filter' ? `size([1, 2].filter(x${d}, ${inner})) > 0` : `[1, 2].${macro}(x${d}, ${inner})`;
      }
      return `resource.accountCount >= 0 && ${inner}`;
    }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `${'('.repeat(n)}resource.accountCount > 0${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `${'!'.repeat(2 * n)}resource.dynamic`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `size(${'['.repeat(n)}1${']'.repeat(n)}) == 1 || resource.dynamic`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `resource.dynamic${' || resource.dynamic'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => `resource${'.name'.repeat(n)} == ""`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => `${'-'.repeat(n)}1 < resource.accountCount`) },
  // matches() gets only these fixed patterns, on purpose: a pattern with a backreference or a
  // lookaround cannot run on V8's linear-time engine and still backtracks over a long name (a rule's
  // author, not the tenant, writes the pattern).
  { weight: 2, arbitrary: fc.constantFrom('resource.dynamic', 'resource.nope', '1 +', 'resource.accountCount > "x"', 'resource.environments.all(e, e == "prod")', 'resource.name.matches("^AWS")', 'resource.name.matches("(")') },
);

interface RuleSpec {
  id: string;
  fileName: string | null;
  resource: string;
  when: string;
  message: string;
  maxDefault: unknown;
}

const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  id: fc.oneof({ weight: 20, arbitrary: fc.constantFrom('custom-one', 'custom-two') }, { weight: 1, arbitrary: fc.constantFrom('dynamic-group-grants-aws-access', 'Bad Id', '') }),
  fileName: fc.oneof({ weight: 20, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant('other-name') }),
  resource: fc.oneof({ weight: 20, arbitrary: fc.constant('groups') }, { weight: 1, arbitrary: fc.constant('nope') }),
  when: celCondition,
  message: fc.oneof(
    { weight: 4, arbitrary: fc.constant('Group {{resource.name}} reaches {{resource.accountCount}} account(s)') },
    fc.constantFrom('{{resource.constructor}}', '{{resource.__proto__}}', '{{params.max | duration}}', '{{ resource.name', 'x {{resource.nope}}'),
    hostileText.map((t) => `Group {{resource.name}}: ${t}`),
  ),
  maxDefault: fc.oneof({ weight: 3, arbitrary: usableDuration }, { weight: 1, arbitrary: mostlyUsable }),
});

function ruleYaml(r: RuleSpec): string {
  return toYaml(
    {
      id: r.id,
      title: 'Property rule',
      description: 'Generated by a property test.',
      severity: 'low',
      resource: r.resource,
      when: r.when,
      message: r.message,
      remediation: 'None.',
      references: [{ framework: 'NIST SP 800-53 Rev. 5', id: 'AC-2' }],
      tests: { pass: [{ accountCount: 0 }], fail: [{}] },
      params: { max: { type: 'duration', default: r.maxDefault, description: 'A limit.' } },
    },
    { lineWidth: 0 },
  );
}

// --------------------------------------------------------------------------------------- the checks

/** The one stderr line of an exit 2: it names one of `files` and, for a document, a pointer in it. */
function checkInputError(run: Run, documents: Map<string, unknown>, others: string[]): void {
  expect(run.stderr.endsWith('\n'), run.stderr).toBe(true);
  const lines = run.stderr.slice(0, -1).split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line.startsWith('jitaudit: '), line).toBe(true);
  const shown = (file: string) => [file, relative(process.cwd(), file)].find((name) => line.startsWith(`jitaudit: ${name}`));
  for (const [file, document] of documents) {
    const name = shown(file);
    if (name === undefined) continue;
    // "file: /pointer: what", or "file: rule ID: /pointer: what" for a rule file.
    let rest = line.slice(`jitaudit: ${name}: `.length).replace(/^rule .*?: (?=\/)/, '');
    expect(rest.startsWith('/'), `${line}\n(no JSON pointer after the file name)`).toBe(true);
    // The pointer ends at a ": " — try each, since a key may hold one.
    const candidates: string[] = [];
    for (let i = rest.indexOf(': '); i > 0; i = rest.indexOf(': ', i + 1)) candidates.push(rest.slice(0, i));
    rest = candidates.find((p) => resolves(document, p)) ?? '';
    expect(rest, `${line}\n(the pointer is not in ${basename(file)})`).not.toBe('');
    return;
  }
  expect(others.some((file) => shown(file) !== undefined), `${line}\n(names none of ${[...documents.keys(), ...others].join(', ')})`).toBe(true);
}

/** The pointer names a value in the document, or a member missing from an object that is there. */
function resolves(document: unknown, pointer: string): boolean {
  const steps = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: unknown = document;
  for (let i = 0; i < steps.length; i++) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, steps[i]!)) return i === steps.length - 1 && at !== null && typeof at === 'object';
    at = (at as Loose)[steps[i]!];
  }
  return true;
}

/** A whole string that reads as an ISO-8601 duration, usable or not ("PT-5H", "P1Y", "PTNaNS", "P7e+21D"). */
const ISOISH = /^[+-]?P(?=.*(?:\d|Infinity|NaN))(?:T|[+-]?(?:\d|Infinity|NaN))(?:[\dT+\-.,eYMWDHS]|Infinity|NaN)*$/;
const USABLE = /^P(?!$)(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

/** Every duration-like string in report.json is a usable one, and every totalSeconds a number ≥ 0 (or null). */
function checkDurations(report: unknown, echoed: Set<string>): void {
  const bad: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (ISOISH.test(value) && !USABLE.test(value) && !echoed.has(value)) bad.push(`${path}: ${JSON.stringify(value)}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}/${i}`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'totalSeconds' && v !== null && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) bad.push(`${path}/${k}: ${JSON.stringify(v)}`);
        walk(v, `${path}/${k}`);
      }
    }
  };
  walk(report, '');
  expect(bad, 'durations in report.json').toEqual([]);
}

const REPORTS = ['report.json', 'report.sarif', 'report.html'];
const MARKER = (name: string) => `marker: ${name} before the run\n`;

type OutShape = 'fresh' | 'markers' | 'dirAtReport';
/** The output folder before the run: absent, holding old reports and a file of someone else's, or a folder where a report goes. */
function prepareOut(out: string, shape: OutShape, blocked: string): Map<string, string> {
  const before = new Map<string, string>();
  if (shape === 'fresh') return before;
  mkdirSync(out, { recursive: true });
  for (const name of [...REPORTS, 'notes.txt']) {
    if (shape === 'dirAtReport' && name === blocked) {
      mkdirSync(join(out, name));
      writeFileSync(join(out, name, 'inside.txt'), MARKER('inside'));
      continue;
    }
    writeFileSync(join(out, name), MARKER(name));
    before.set(name, MARKER(name));
  }
  return before;
}

function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

// --------------------------------------------------------------------------------------- one audit

interface AuditCase {
  mutations: Mutation[];
  config: ConfigSpec | null;
  rules: RuleSpec[] | null;
  shape: OutShape;
  blocked: string;
  flags: { failOn: string; allowIncomplete: boolean; format: string };
}

const auditFlags = fc.record({ failOn: fc.constantFrom('critical', 'high', 'low', 'none'), allowIncomplete: fc.boolean(), format: fc.constantFrom('json,sarif,html', 'json', 'html,json', 'sarif,json') });
const outShape = fc.constantFrom<OutShape>('fresh', 'markers', 'markers', 'dirAtReport');

/** `jitaudit audit` on the case, in a scratch folder, and every property of its outcome. */
async function checkAudit(c: AuditCase): Promise<void> {
  const dir = scratch();
  try {
    const snapshot = demoSnapshot();
    for (const m of c.mutations) applyMutation(snapshot, m);
    const snapshotFile = join(dir, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot, null, 1));
    const documents = new Map<string, unknown>([[snapshotFile, snapshot]]);
    const args = ['audit', '--snapshot', snapshotFile, '--fail-on', c.flags.failOn, '--format', c.flags.format, '--quiet'];
    if (c.flags.allowIncomplete) args.push('--allow-incomplete');
    if (c.config) {
      const file = join(dir, 'jitaudit.config.yaml');
      const text = configYaml(c.config);
      writeFileSync(file, text);
      documents.set(file, fromYaml(text));
      args.push('--config', file);
    }
    if (c.rules) {
      const rulesDir = join(dir, 'rules');
      mkdirSync(rulesDir);
      c.rules.forEach((r, i) => {
        // One id per file, as the file is named (unless the case is about that).
        const id = i && r.id ? `${r.id}-${i}` : r.id;
        const file = join(rulesDir, `${r.fileName ?? (id || 'empty')}${i && r.fileName ? `-${i}` : ''}.yaml`);
        const text = ruleYaml({ ...r, id });
        writeFileSync(file, text);
        documents.set(file, fromYaml(text));
      });
      args.push('--rules', rulesDir);
    }
    const out = join(dir, 'out');
    const before = prepareOut(out, c.shape, c.blocked);
    const beforeListing = listing(out);
    args.push('--out', out);

    const run = await cli.run(args);
    count(`audit exit ${run.code}${run.code === 2 ? `: ${process.env.JITAUDIT_PROPERTY_STATS === "raw" ? run.stderr.slice(0, 300) : run.stderr.replace(/^jitaudit: \/tmp\/jitaudit-prop-[^/]+\//, "").replace(/: .*?(\/[\w~/-]*)?:.*$/s, " $1").replace(/\/\d+/g, "/N")}` : ""}`);
    expect([0, 1, 2, 4], `exit ${run.code}\n${run.stderr}`).toContain(run.code);
    expect(run.ms).toBeLessThan(RUN_BUDGET_MS);
    const wanted = c.flags.format.split(',').map((f) => `report.${f}`);
    if (run.code === 2) {
      checkInputError(run, documents, [out, ...wanted.map((f) => join(out, f))]);
      // Nothing written: the folder as it was, every marker as it was.
      expect(listing(out)).toEqual(beforeListing);
      for (const [name, text] of before) expect(readFileSync(join(out, name), 'utf8'), name).toBe(text);
      return;
    }
    expect(run.stderr, 'nothing on stderr with --quiet').toBe('');
    expect(c.shape === 'dirAtReport' && wanted.includes(c.blocked), 'a folder where a report goes is exit 2').toBe(false);
    // Every report written, nothing else touched, no temporary file left.
    for (const name of wanted) expect(readFileSync(join(out, name), 'utf8'), name).not.toBe(MARKER(name));
    if (c.shape !== 'fresh') expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe(MARKER('notes.txt'));
    expect(listing(out)).toEqual([...new Set([...beforeListing, ...wanted])].sort());
    if (wanted.includes('report.json')) {
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { summary: { gate: { passed: boolean } } };
      checkDurations(report, injected(c.mutations));
      expect(report.summary.gate.passed).toBe(run.code === 0);
    }
    if (cloudUnread(snapshot)) expect([1, 4], 'a snapshot with nothing of a cloud passed the gate').toContain(run.code);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ----------------------------------------------------------------------------------------- properties

describe('hostile input: properties of the CLI', () => {
  it(
    'audit of a hostile snapshot: exit 0, 1, 2 or 4 in time; one line at a pointer; reports all or nothing; no negative duration; a missing cloud never passes',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), outShape, fc.constantFrom(...REPORTS), auditFlags, (mutations, shape, blocked, flags) =>
          checkAudit({ mutations, config: null, rules: null, shape, blocked, flags }),
        ),
        fcOptions(),
      );
    },
    testTimeout(),
  );

  it(
    'audit with a hostile config (durations, waiver and environment globs, params): the same properties',
    async () => {
      await fc.assert(
        // Long names against globs with hundreds of `*` and `**` segments: both are tenant- or
        // config-chosen, and the glob matcher is linear in each (see globbedName for the product).
        fc.asyncProperty(fc.array(globbableName, { maxLength: 3 }), fc.option(globbedName, { nil: null }), configSpec, outShape, fc.constantFrom(...REPORTS), auditFlags, (names, paired, config, shape, blocked, flags) =>
          checkAudit({
            mutations: paired ? [...names, paired.mutation] : names,
            // First in its list: a glob before it that matches would spare it the work.
            config: paired ? { ...config, [paired.list]: [paired.glob, ...config[paired.list]] } : config,
            rules: null,
            shape,
            blocked,
            flags,
          }),
        ),
        fcOptions(),
      );
    },
    testTimeout(),
  );

  it(
    'audit with hostile rules (deep CEL, bad ids, templates, params): the same properties',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(ruleSpec, { minLength: 1, maxLength: 2 }), fc.array(nameMutation, { maxLength: 2 }), outShape, fc.constantFrom(...REPORTS), auditFlags, (rules, mutations, shape, blocked, flags) =>
          checkAudit({ mutations, config: null, rules, shape, blocked, flags }),
        ),
        fcOptions(),
      );
    },
    testTimeout(),
  );

  it.runIf(PYTHON_CSV)(
    'evidence pack of hostile names: access-review.csv reads the same in csv-parse and Python, and no line of a cell starts a formula',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(nameMutation, { minLength: 1, maxLength: 8 }), (mutations) => checkEvidenceCsv(mutations)),
        fcOptions(),
      );
    },
    testTimeout(),
  );
});

async function checkEvidenceCsv(mutations: Mutation[]): Promise<void> {
  const dir = scratch();
  try {
    const snapshot = demoSnapshot();
    for (const m of mutations) applyMutation(snapshot, m);
    const snapshotFile = join(dir, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const out = join(dir, 'pack');
    const run = await cli.run(['evidence', '--snapshot', snapshotFile, '--out', out, '--quiet']);
    count(`evidence exit ${run.code}`);
    expect(run.code, run.stderr).toBe(0);
    const bytes = readFileSync(join(out, 'access-review.csv'));
    const byCsvParse = parseCsv(bytes.toString('utf8'), { bom: true, relax_column_count: true }) as string[][];
    const byPython = pythonCsvRows(bytes);
    expect(byPython).toEqual(byCsvParse);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { accessPaths: unknown[] };
    expect(byCsvParse).toHaveLength(report.accessPaths.length + 1);
    const width = byCsvParse[0]!.length;
    expect(byCsvParse.filter((row) => row.length !== width)).toEqual([]);
    expect(formulaLines(byCsvParse)).toEqual([]);
    checkDurations(report, injected(mutations));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------- what the properties found

describe('hostile input: regressions the properties found', () => {
  /** A scratch folder with the demo snapshot (changed) and the given files; `audit` there with `args`. */
  async function audit(mutate: (s: Snapshot) => void, files: Record<string, string>, args: (dir: string) => string[] = () => []): Promise<Run & { dir: string }> {
    const dir = scratch();
    const snapshot = demoSnapshot();
    mutate(snapshot);
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const run = await cli.run(['audit', '--snapshot', join(dir, 'snapshot.json'), '--out', join(dir, 'out'), '--format', 'json', '--quiet', ...args(dir)]);
    return { ...run, dir };
  }
  const withConfig = (dir: string) => ['--config', join(dir, 'jitaudit.config.yaml')];
  const policyRules = (s: Snapshot) => s.entra.pimPolicies.data!.flatMap((p) => p.rules as Loose[]);

  it('an activation maximum too long to add up (P999999999999999W) is an input error at its pointer, not a rule failing on a string', async () => {
    const run = await audit((s) => {
      for (const r of policyRules(s)) if (r.id === 'Expiration_EndUser_Assignment') r.maximumDuration = 'P999999999999999W';
    }, {});
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/snapshot\.json: \/entra\/pimPolicies\/data\/0\/rules\/\d+\/maximumDuration: must be an ISO-8601 duration .*at most P3652500D.*, not "P999999999999999W"\n$/);
  });

  it('four terms of 10,000 years each still add up to a window the rules can compare', async () => {
    const longest = 'P3652500D';
    const run = await audit(
      (s) => {
        for (const r of policyRules(s)) if (r.id === 'Expiration_EndUser_Assignment') r.maximumDuration = longest;
        for (const ps of s.aws.permissionSets.data!) ps.sessionDuration = longest;
        for (const job of s.entra.provisioning.data!.jobs) job.schedule.interval = longest;
      },
      { 'jitaudit.config.yaml': `aws:\n  portalSessionDuration: ${longest}\nscim:\n  unhealthyAfter: ${longest}\n` },
      withConfig,
    );
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(run.dir, 'out', 'report.json'), 'utf8')) as { windows: Record<string, { total: string | null; totalSeconds: number | null }>; findings: { ruleId: string }[] };
    expect(Object.values(report.windows).map((w) => w.total)).toContain('P14610000D');
    expect(Object.values(report.windows).map((w) => w.totalSeconds)).toContain(4 * 315_576_000_000);
    expect(report.findings.map((f) => f.ruleId)).toContain('effective-window-too-long');
  });

  it('a glob too long for a regular expression is an input error at its pointer, not an internal error', async () => {
    const run = await audit(() => {}, { 'jitaudit.config.yaml': `environments:\n  prod:\n    accountNames: ["=${'a'.repeat(40_000)}"]\n` }, withConfig);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/jitaudit\.config\.yaml: \/environments\/prod\/accountNames\/0: must NOT have more than 1024 characters\n$/);
    expect(existsSync(join(run.dir, 'out'))).toBe(false);
  });

  it('a config key with "/" or "~" is named by a JSON pointer that finds it', async () => {
    const unknown = await audit(() => {}, { 'jitaudit.config.yaml': 'rules:\n  params:\n    "a/b~c": {maxWindow: PT1H}\n' }, withConfig);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/jitaudit\.config\.yaml: \/rules\/params\/a~1b~0c: unknown rule id "a\/b~c"\n$/);
    const param = await audit(() => {}, { 'jitaudit.config.yaml': 'rules:\n  params:\n    effective-window-too-long: {"x/y~": PT1H}\n' }, withConfig);
    expect(param.code).toBe(2);
    expect(param.stderr).toMatch(/jitaudit\.config\.yaml: \/rules\/params\/effective-window-too-long\/x~1y~0: rule effective-window-too-long has no parameter "x\/y~"\n$/);
  });

  it('a condition that fails on an item (an invalid pattern in matches()) names the rule file and /when', async () => {
    const rule = ruleYaml({ id: 'custom-one', fileName: null, resource: 'groups', when: 'resource.name.matches("(")', message: 'Group {{resource.name}}', maxDefault: 'PT1H' });
    const run = await audit(() => {}, { 'rules/custom-one.yaml': rule }, (dir) => ['--rules', join(dir, 'rules')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rules\/custom-one\.yaml: rule custom-one: \/when: evaluation failed on group [^:]+: Invalid regular expression: \(\n$/);
  });
});
