// npm run bench [-- --size S|M|L|all] [--json]
//
// Per size: the synthetic organisation (test/synthetic/) served by the two fakes in a child process,
// with the documented limits enforced at a time scale (S 5×, M and L 20×; --scale N) and a per-call latency;
// the real collection (`jitaudit collect`) runs in a child process of its own under /usr/bin/time -v,
// so that its peak RSS is the collector's alone (this process keeps the synthetic organisation to count
// the minimum calls). Reported:
//   • API calls made (Graph $batch sub-requests counted one by one, as Graph counts them) and the
//     minimum the chosen strategies need (bench/minimum.ts);
//   • collection wall time (the snapshot's meta.collection: from the start of the collectors to the
//     end of the last section, as measured inside the collector) and its lower bound: for each limit,
//     the calls made under it ÷ its rate, the largest of these; and their ratio. The `jitaudit
//     collect` process's own wall (Node start-up, schema validation and the snapshot write included)
//     is reported beside it;
//   • the collection's peak RSS (the `jitaudit collect` process, /usr/bin/time -v);
//   • the audit (`jitaudit audit`, analysis + rules + JSON/SARIF/HTML) of the collected snapshot:
//     wall time and peak RSS (/usr/bin/time -v), and its M→L scaling against the snapshot size.
// Targets: collection ≤ 1.25× the lower bound, calls ≤ 1.1× the minimum, audit of L ≤ 8 s and
// ≤ 768 MiB, M→L audit scaling within 1.3× of linear; at L ≤ 50,000 open findings, report.json ≤
// 100 MiB, report.html ≤ 8 MiB; at every size ≤ 5,000 SARIF results with every rule that has an open
// finding among them, and report.json valid against its schema. A missed target is printed with its margin.
//
// JITAUDIT_BENCH_COLLECT_NODE_OPTIONS is given to the collect process (only) as NODE_OPTIONS, e.g.
// "--heap-prof --heap-prof-dir=/tmp/prof" or "--cpu-prof"; JITAUDIT_BENCH_VERBOSE=1 shows its progress.
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import type { LimitCount } from '../test/fake-cloud/limits.js';
import { SIZES, generateOrg, type Size } from '../test/synthetic/org.js';
import { minimumCalls } from './minimum.js';
import { ReportSchema } from '../src/report/report-schema.js';
import { validatorFor } from '../src/util/ajv.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE_NODE = join(ROOT, 'node_modules/vite-node/vite-node.mjs');
// S is small enough that Node start-up costs and the strategies' serial steps (the instance before
// the permission sets, the pairs before their assignments) would dominate at 20×: run it at 5×.
// L at 50× asks one Node process for ~3,000 calls a second and measures its CPU, not the strategy
// (1.33–1.53× the bound, against 1.10× at 20×): 20× it is; --scale 50 to see it.
const TIME_SCALE: Record<Size, number> = { S: 5, M: 20, L: 20 };
/** Real-cloud latency of every call, in ms (scaled like everything else). */
const LATENCY_MS = 60;
const SEED = 1;

/** The limits, per second: documented ones (the fakes enforce them) and the collector's own pacing where none is published. */
const LIMITS: { match: (key: string) => boolean; rate: number; documented: boolean; what: string }[] = [
  { match: (k) => k === 'graph:directory', rate: 350, documented: true, what: 'Graph identity and access (3,500 RU / 10 s)' },
  { match: (k) => k === 'graph:reports', rate: 0.5, documented: true, what: 'Graph reports (5 / 10 s)' },
  { match: (k) => k === 'graph:conditionalAccess', rate: 1, documented: true, what: 'Graph Conditional Access (1 / s)' },
  { match: (k) => k.startsWith('identity-center|'), rate: 20, documented: true, what: 'IAM Identity Center (20 TPS)' },
  { match: (k) => k.startsWith('lookup-events|'), rate: 2, documented: true, what: 'CloudTrail LookupEvents (2 TPS per account and Region)' },
  { match: (k) => k === 'graph:governance', rate: 20, documented: false, what: 'Graph PIM (no published limit; the collector paces 20 / s)' },
  { match: (k) => k === 'organizations', rate: 10, documented: false, what: 'Organizations (no published limit; 10 TPS)' },
  { match: (k) => k === 'iam', rate: 10, documented: false, what: 'IAM (no published limit; 10 TPS)' },
  { match: (k) => k === 'sts', rate: 10, documented: false, what: 'STS (no published limit; 10 TPS)' },
];

interface SizeResult {
  size: Size;
  shape: Record<string, number>;
  timeScale: number;
  latencyMs: number;
  calls: { made: number; minimum: number; ratio: number; strategy: string; byLimit: Record<string, { made: number; minimum: number }> };
  collection: {
    wallSeconds: number;
    lowerBoundSeconds: number;
    bindingLimit: string;
    ratio: number;
    documentedLowerBoundSeconds: number;
    documentedBindingLimit: string;
    realCloudSeconds: { wall: number; lowerBound: number };
    throttledByFakes: number;
    sectionsMissing: string[];
    /** Peak RSS of the `jitaudit collect` process: the collection alone (/usr/bin/time -v). */
    peakRssBytes: number;
    /** Wall time of the `jitaudit collect` process: Node start-up, config, collection, validation and the snapshot write. */
    processWallSeconds: number;
  };
  snapshotBytes: number;
  audit: {
    wallSeconds: number;
    peakRssBytes: number;
    exitCode: number;
    error?: string;
    /** Open findings (report.json's summary), all findings, and the reports' sizes. */
    findings?: number;
    findingsTotal?: number;
    reportBytes?: { json: number; sarif: number; html: number };
    /** SARIF results, and the rules with an open finding that have none there. */
    sarifResults?: number;
    sarifRulesMissing?: string[];
    /** Whether report.json is valid against schemas/report.schema.json (the first errors if not). */
    reportSchemaErrors?: string[];
  };
}

function parseArgs(argv: string[]): { sizes: Size[]; json: boolean; keep: boolean } {
  let sizes: Size[] = ['S', 'M'];
  let json = false;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--keep') keep = true;
    else if (a === '--scale') {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n < 1) throw new Error('--scale N: a time scale ≥ 1');
      for (const size of Object.keys(TIME_SCALE) as Size[]) TIME_SCALE[size] = n;
    }
    else if (a === '--size' || a.startsWith('--size=')) {
      const v = (a.includes('=') ? a.split('=')[1] : argv[++i]) ?? '';
      sizes = v.toUpperCase() === 'ALL' ? ['S', 'M', 'L'] : (v.toUpperCase().split(',') as Size[]);
      for (const s of sizes) if (!(s in SIZES)) throw new Error(`--size ${v}: one of S, M, L, all (or a comma list)`);
    } else if (a !== '--') throw new Error(`unknown argument ${a}; usage: npm run bench [-- --size S|M|L|all] [--json] [--keep] [--scale N]`);
  }
  return { sizes, json, keep };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function startHost(size: Size, now: number) {
  const child = spawn(process.execPath, [VITE_NODE, join(ROOT, 'bench/fake-host.ts'), size, String(SEED), String(now), String(TIME_SCALE[size]), String(LATENCY_MS)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: { type: string }) => {
        if (m.type === type) {
          child.off('message', on);
          resolve(m as T);
        }
      };
      child.on('message', on);
      child.once('exit', (code) => reject(new Error(`the fake host exited (${code})`)));
    });
  const ready = await next<{ env: Record<string, string | null> }>('ready');
  return {
    env: Object.fromEntries(Object.entries(ready.env).map(([k, v]) => [k, v ?? undefined])),
    counts: async () => {
      const p = next<{ graph: Record<string, LimitCount>; aws: Record<string, LimitCount> }>('counts');
      child.send({ type: 'counts' });
      return p;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

/** Run a command under /usr/bin/time -v without blocking this process; its exit code, stderr and peak RSS. */
function timed(args: string[], env: NodeJS.ProcessEnv, echo: boolean): Promise<{ wallSeconds: number; peakRssBytes: number; exitCode: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (echo) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (!rss) return reject(new Error(`could not read the peak RSS of ${args.slice(1, 3).join(' ')}:\n${stderr}`));
      // time -v reports the command's own exit status, and exits with it.
      resolve({ wallSeconds, peakRssBytes: Number(rss[1]) * 1024, exitCode: code ?? -1, stderr });
    });
  });
}

const CLI = join(ROOT, 'bin/jitaudit.js');

async function audit(snapshot: string, config: string, out: string): Promise<SizeResult['audit']> {
  const r = await timed(
    [process.execPath, CLI, 'audit', '--snapshot', snapshot, '--config', config, '--out', out, '--format', 'json,sarif,html', '--fail-on', 'none', '--allow-incomplete'],
    process.env,
    false,
  );
  const error = /jitaudit: (internal error: .*)/.exec(r.stderr)?.[1];
  const base = { wallSeconds: r.wallSeconds, peakRssBytes: r.peakRssBytes, exitCode: r.exitCode, ...(error ? { error } : {}) };
  return r.exitCode === 0 ? { ...base, ...reportFacts(out) } : base;
}

const validateReport = validatorFor(ReportSchema);

/** What the audit wrote: finding counts, sizes, SARIF's results, and whether report.json keeps its schema. */
function reportFacts(out: string) {
  const file = (name: string) => join(out, name);
  const report = JSON.parse(readFileSync(file('report.json'), 'utf8')) as {
    summary: { bySeverity: Record<string, number>; byRule: Record<string, { open: number }> };
    findings: unknown[];
  };
  const valid = validateReport(report);
  const sarif = JSON.parse(readFileSync(file('report.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
  const results = sarif.runs[0]!.results;
  const inSarif = new Set(results.map((x) => x.ruleId));
  return {
    findings: Object.values(report.summary.bySeverity).reduce((a, b) => a + b, 0),
    findingsTotal: report.findings.length,
    reportBytes: { json: statSync(file('report.json')).size, sarif: statSync(file('report.sarif')).size, html: statSync(file('report.html')).size },
    sarifResults: results.length,
    sarifRulesMissing: Object.entries(report.summary.byRule).filter(([id, c]) => c.open > 0 && !inSarif.has(id)).map(([id]) => id),
    reportSchemaErrors: valid ? [] : (validateReport.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message ?? ''}`),
  };
}

/**
 * `jitaudit collect` against the fakes, in a process of its own, with this process's environment
 * plus the fakes' (undefined: unset). Its snapshot is what the audit then reads.
 */
async function collect(snapshotFile: string, configFile: string, hostEnv: Record<string, string | undefined>) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(hostEnv)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  delete env.NODE_OPTIONS;
  const nodeOptions = process.env.JITAUDIT_BENCH_COLLECT_NODE_OPTIONS;
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  const verbose = Boolean(process.env.JITAUDIT_BENCH_VERBOSE);
  const r = await timed([process.execPath, CLI, 'collect', '--config', configFile, '--out', snapshotFile, ...(verbose ? [] : ['--quiet'])], env, verbose);
  if (r.exitCode !== 0) throw new Error(`jitaudit collect exited ${r.exitCode}:\n${r.stderr}`);
  return r;
}

async function runSize(size: Size, dir: string): Promise<SizeResult> {
  const now = Date.now();
  const org = generateOrg(size, SEED, now);
  const minimum = minimumCalls(org);
  log(`bench ${size}: ${Object.entries(org.shape).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const host = await startHost(size, now);
  // The config the collector reads, as the audit will: the Identity Center Region, the breakglass users, the portal session.
  const configFile = join(dir, `config-${size}.yaml`);
  writeFileSync(configFile, JSON.stringify(org.config));
  const snapshotFile = join(dir, `snapshot-${size}.json`);
  let run: Awaited<ReturnType<typeof collect>>;
  try {
    run = await collect(snapshotFile, configFile, host.env);
  } catch (error) {
    await host.stop();
    throw error;
  }
  const counts = await host.counts();
  await host.stop();
  // The audit first, with the machine to itself: the snapshot is on disk (its write-back would
  // compete for the disk), and this process has not just made a 176 MiB parse's garbage (its
  // collection would compete for the cores).
  const snapshotFd = openSync(snapshotFile, 'r');
  fsyncSync(snapshotFd);
  closeSync(snapshotFd);
  log(`bench ${size}: collected (collect process ${run.wallSeconds.toFixed(2)} s, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB); auditing ${snapshotFile}`);
  const a = await audit(snapshotFile, configFile, join(dir, `reports-${size}`));
  // The collection's own wall time, as the collector measured it (meta.collection), and what is missing.
  const { wall, missingSections } = (() => {
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot;
    const { startedAt, endedAt } = snapshot.meta.collection;
    return {
      wall: (Date.parse(endedAt) - Date.parse(startedAt)) / 1000,
      missingSections: (['entra', 'aws'] as const).flatMap((side) =>
        Object.entries(snapshot[side] as unknown as Record<string, { provenance: { status: string } }>)
          .filter(([, s]) => s.provenance.status === 'missing')
          .map(([name]) => `${side}.${name}`),
      ),
    };
  })();

  const made: Record<string, { calls: number; units: number; throttled: number }> = {};
  for (const [tier, c] of Object.entries(counts.graph)) made[`graph:${tier}`] = c;
  for (const [key, c] of Object.entries(counts.aws)) made[key] = c;
  const scale = TIME_SCALE[size];
  let bound = { seconds: 0, what: 'none' };
  let documented = { seconds: 0, what: 'none' };
  for (const [key, c] of Object.entries(made)) {
    const limit = LIMITS.find((l) => l.match(key));
    if (!limit) continue;
    const seconds = (key === 'graph:directory' ? c.units : c.calls) / limit.rate;
    const what = `${limit.what}${key.startsWith('lookup-events|') ? ` [${key.slice('lookup-events|'.length)}]` : ''}`;
    if (seconds > bound.seconds) bound = { seconds, what };
    if (limit.documented && seconds > documented.seconds) documented = { seconds, what };
  }
  const group = (key: string) => (key.startsWith('lookup-events|') ? 'lookup-events' : key.startsWith('identity-center|') ? 'identity-center' : key);
  const byLimit: Record<string, { made: number; minimum: number }> = {};
  for (const [key, c] of Object.entries(made)) (byLimit[group(key)] ??= { made: 0, minimum: 0 }).made += c.calls;
  for (const [key, n] of Object.entries(minimum.calls)) (byLimit[group(key)] ??= { made: 0, minimum: 0 }).minimum += n;
  const totalMade = Object.values(byLimit).reduce((s, x) => s + x.made, 0);
  const totalMin = Object.values(byLimit).reduce((s, x) => s + x.minimum, 0);

  log(`bench ${size}: collection wall ${wall.toFixed(2)} s, audit ${a.wallSeconds.toFixed(2)} s`);
  return {
    size,
    shape: org.shape,
    timeScale: scale,
    latencyMs: LATENCY_MS,
    calls: { made: totalMade, minimum: totalMin, ratio: totalMade / totalMin, strategy: minimum.strategy, byLimit },
    collection: {
      wallSeconds: wall,
      lowerBoundSeconds: bound.seconds / scale,
      bindingLimit: bound.what,
      ratio: wall / (bound.seconds / scale),
      documentedLowerBoundSeconds: documented.seconds / scale,
      documentedBindingLimit: documented.what,
      realCloudSeconds: { wall: wall * scale, lowerBound: bound.seconds },
      throttledByFakes: Object.values(made).reduce((s, c) => s + c.throttled, 0),
      sectionsMissing: missingSections,
      peakRssBytes: run.peakRssBytes,
      processWallSeconds: run.wallSeconds,
    },
    snapshotBytes: statSync(snapshotFile).size,
    audit: a,
  };
}

const TARGETS = {
  collectionRatio: 1.25,
  callsRatio: 1.1,
  auditLSeconds: 8,
  auditLRssBytes: 768 * 2 ** 20,
  scaling: 1.3,
  openFindingsL: 50_000,
  reportJsonLBytes: 100 * 2 ** 20,
  sarifResults: 5_000,
  reportHtmlLBytes: 8 * 2 ** 20,
};

async function main() {
  // This process idles while a child is timed: V8's memory reducer would then collect its heap (the
  // synthetic organisation, hundreds of MiB at L) on the cores the measured process needs.
  setFlagsFromString('--no-memory-reducer');
  const { sizes, json, keep } = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'jitaudit-bench-'));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version, platform: `${process.platform}-${process.arch}` };
  log(`jitaudit bench: sizes ${sizes.join(', ')} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; work dir ${dir}`);
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) results.push(await runSize(size, dir));
  } finally {
    if (keep) log(`bench: kept ${dir} (snapshots, configs, reports)`);
    else rmSync(dir, { recursive: true, force: true });
  }
  const bySize = Object.fromEntries(results.map((r) => [r.size, r]));
  const m = bySize.M;
  const l = bySize.L;
  // Scaling means something only when both audits ran to the end.
  const scaling =
    m && l && m.audit.exitCode === 0 && l.audit.exitCode === 0
      ? { timeRatio: l.audit.wallSeconds / m.audit.wallSeconds, sizeRatio: l.snapshotBytes / m.snapshotBytes, vsLinear: l.audit.wallSeconds / m.audit.wallSeconds / (l.snapshotBytes / m.snapshotBytes) }
      : null;
  const missed: string[] = [];
  for (const r of results) {
    if (r.collection.ratio > TARGETS.collectionRatio) missed.push(`${r.size}: collection ${r.collection.ratio.toFixed(2)}× the lower bound (target ≤ ${TARGETS.collectionRatio}×), over by ${((r.collection.ratio / TARGETS.collectionRatio - 1) * 100).toFixed(0)} %`);
    if (r.calls.ratio > TARGETS.callsRatio) missed.push(`${r.size}: ${r.calls.made} calls, ${r.calls.ratio.toFixed(3)}× the minimum ${r.calls.minimum} (target ≤ ${TARGETS.callsRatio}×), over by ${((r.calls.ratio / TARGETS.callsRatio - 1) * 100).toFixed(1)} %`);
    if (r.collection.sectionsMissing.length) missed.push(`${r.size}: sections missing: ${r.collection.sectionsMissing.join(', ')}`);
    if (r.audit.exitCode !== 0) missed.push(`${r.size}: jitaudit audit exited ${r.audit.exitCode}${r.audit.error ? ` (${r.audit.error})` : ''}: its time and RSS are up to the failure`);
  }
  if (l && l.audit.wallSeconds > TARGETS.auditLSeconds) missed.push(`L: audit ${l.audit.wallSeconds.toFixed(1)} s (target ≤ ${TARGETS.auditLSeconds} s), over by ${(l.audit.wallSeconds - TARGETS.auditLSeconds).toFixed(1)} s`);
  const mibOf = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (l && l.audit.peakRssBytes > TARGETS.auditLRssBytes) missed.push(`L: audit peak RSS ${mibOf(l.audit.peakRssBytes)} (target ≤ ${mibOf(TARGETS.auditLRssBytes)}), over by ${mibOf(l.audit.peakRssBytes - TARGETS.auditLRssBytes)}`);
  if (l?.audit.findings !== undefined && l.audit.findings > TARGETS.openFindingsL) missed.push(`L: ${l.audit.findings} open findings (target ≤ ${TARGETS.openFindingsL})`);
  if (l?.audit.reportBytes && l.audit.reportBytes.json > TARGETS.reportJsonLBytes) missed.push(`L: report.json ${mibOf(l.audit.reportBytes.json)} (target ≤ ${mibOf(TARGETS.reportJsonLBytes)})`);
  if (l?.audit.reportBytes && l.audit.reportBytes.html > TARGETS.reportHtmlLBytes) missed.push(`L: report.html ${mibOf(l.audit.reportBytes.html)} (target ≤ ${mibOf(TARGETS.reportHtmlLBytes)})`);
  for (const r of results) {
    if (r.audit.sarifResults !== undefined && r.audit.sarifResults > TARGETS.sarifResults) missed.push(`${r.size}: ${r.audit.sarifResults} SARIF results (target ≤ ${TARGETS.sarifResults})`);
    if (r.audit.sarifRulesMissing?.length) missed.push(`${r.size}: rules with open findings but no SARIF result: ${r.audit.sarifRulesMissing.join(', ')}`);
    if (r.audit.reportSchemaErrors?.length) missed.push(`${r.size}: report.json is not valid against schemas/report.schema.json: ${r.audit.reportSchemaErrors.join('; ')}`);
  }
  if (scaling && scaling.vsLinear > TARGETS.scaling) missed.push(`M→L: audit scaling ${scaling.vsLinear.toFixed(2)}× linear (target ≤ ${TARGETS.scaling}×), over by ${((scaling.vsLinear / TARGETS.scaling - 1) * 100).toFixed(0)} %`);

  const out = { machine, seed: SEED, targets: TARGETS, sizes: results, auditScalingMtoL: scaling, missedTargets: missed };
  // With --json the JSON object is stdout's only content and the table goes to stderr.
  const print = (text: string) => (json ? process.stderr : process.stdout).write(text);
  if (json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const rows: [string, ...string[]][] = [
    ['', ...results.map((r) => r.size)],
    ['time scale', ...results.map((r) => `${r.timeScale}×`)],
    ['API calls made', ...results.map((r) => String(r.calls.made))],
    ['minimum calls', ...results.map((r) => String(r.calls.minimum))],
    ['calls / minimum', ...results.map((r) => r.calls.ratio.toFixed(3))],
    ['assignment strategy', ...results.map((r) => r.calls.strategy)],
    ['collection wall (s)', ...results.map((r) => r.collection.wallSeconds.toFixed(2))],
    ['collect process wall (s)', ...results.map((r) => r.collection.processWallSeconds.toFixed(2))],
    ['lower bound (s)', ...results.map((r) => r.collection.lowerBoundSeconds.toFixed(2))],
    ['wall / lower bound', ...results.map((r) => r.collection.ratio.toFixed(2))],
    ['binding limit', ...results.map((r) => r.collection.bindingLimit)],
    ['documented-only bound (s)', ...results.map((r) => r.collection.documentedLowerBoundSeconds.toFixed(2))],
    ['real-cloud wall (s)', ...results.map((r) => r.collection.realCloudSeconds.wall.toFixed(0))],
    ['throttled by fakes', ...results.map((r) => String(r.collection.throttledByFakes))],
    ['collection peak RSS', ...results.map((r) => mib(r.collection.peakRssBytes))],
    ['snapshot size', ...results.map((r) => mib(r.snapshotBytes))],
    ['audit wall (s)', ...results.map((r) => r.audit.wallSeconds.toFixed(2))],
    ['audit peak RSS', ...results.map((r) => mib(r.audit.peakRssBytes))],
    ['open findings (all)', ...results.map((r) => (r.audit.findings === undefined ? '-' : `${r.audit.findings} (${r.audit.findingsTotal})`))],
    ['report.json', ...results.map((r) => (r.audit.reportBytes ? mib(r.audit.reportBytes.json) : '-'))],
    ['report.sarif (results)', ...results.map((r) => (r.audit.reportBytes ? `${mib(r.audit.reportBytes.sarif)} (${r.audit.sarifResults})` : '-'))],
    ['report.html', ...results.map((r) => (r.audit.reportBytes ? `${(r.audit.reportBytes.html / 2 ** 20).toFixed(1)} MiB` : '-'))],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  for (const row of rows) print(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
  print(`\ncalls per limit (made / minimum):\n`);
  for (const r of results) print(`  ${r.size}: ${Object.entries(r.calls.byLimit).map(([k, v]) => `${k} ${v.made}/${v.minimum}`).join(', ')}\n`);
  print(`\naudit M→L: ${scaling ? `${scaling.timeRatio.toFixed(2)}× the time for ${scaling.sizeRatio.toFixed(2)}× the snapshot = ${scaling.vsLinear.toFixed(2)}× linear` : m && l ? 'n/a (an audit did not complete)' : 'n/a (needs --size M,L or all)'}\n`);
  print(missed.length ? `\nMISSED TARGETS:\n${missed.map((x) => `  - ${x}`).join('\n')}\n` : '\nall targets met\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
