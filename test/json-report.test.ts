// report.json v2: valid against its published schema, nothing lost (every path and finding of the
// audit is in it), nothing a path shares repeated per path, and the same bytes for the same input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import { resolveConfig } from '../src/model/config.js';
import { renderJsonReport } from '../src/report/json-report.js';
import { ReportSchema } from '../src/report/report-schema.js';
import { parseReportJson } from '../src/report/read-report.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { validatorFor } from '../src/util/ajv.js';
import { tempDir } from './helpers/cli.js';
import { checkedInDemo, DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { generateOrg } from './synthetic/org.js';
import { applyEnv, collectSynthetic, startFakes } from './synthetic/harness.js';

const audit = (snapshotFile: string, config = demoConfig()) =>
  runAudit({ snapshotFile, displayPath: 'snapshot.json', config, ruleDirs: [], failOn: 'high', allowIncomplete: false });
const textOf = (result: AuditResult) => {
  const rendered = renderJsonReport(result);
  return typeof rendered === 'function' ? [...rendered()].join('') : rendered.toString();
};
const validate = validatorFor(ReportSchema);

type Paths = number[] | 'all' | 'jit' | { groups: string[] } | { except: number[] } | { shared: string };

interface V2 {
  schemaVersion: number;
  sharedPaths?: Record<string, Paths>;
  summary: { byRule: Record<string, { open: number; waived: number }>; bySeverity: Record<string, number>; findings: number };
  rules: Record<string, { status: string; open: number }>;
  grants: { kind: string; principal: string; group: string | null }[];
  accessPaths: { grant: number; account: string; permissionSet: string; window: string | null }[];
  principals: Record<string, unknown>;
  accounts: Record<string, unknown>;
  windows: Record<string, { total: string | null }>;
  findings: { ruleId: string; fingerprint: string; impact?: { paths: Paths }; object: { id: string } }[];
  credentialFetches: { eventId: string; eventTime: string; principal: string; account: string | null; accountNamed?: string; permissionSet: string | null; attribution: string; activation: unknown }[];
}

const FETCH_FIELDS = ['eventId', 'eventTime', 'eventName', 'principal', 'account', 'permissionSet', 'succeeded', 'attribution', 'attributionProblem', 'standingAccess', 'jitAccess', 'activationHistoryCovered', 'activation', 'refusedRequest', 'judgedAgainst'];

/** What a report must hold of its audit: checked for the demo and for a synthetic organisation. */
function checkReport(result: AuditResult, text: string) {
  const report = JSON.parse(text) as V2;
  expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  expect(report.schemaVersion).toBe(2);
  // Every path, in order, its id rebuilt from its grant and target; every table key it names exists.
  const id = (p: V2['accessPaths'][number]) => {
    const g = report.grants[p.grant]!;
    return [g.kind, g.principal, g.group ?? '-', p.account, p.permissionSet].join(':');
  };
  expect(report.accessPaths.map(id)).toEqual(result.analysis.accessPaths.map((p) => p.id));
  for (const p of report.accessPaths) {
    expect(Object.keys(p)).toEqual(['grant', 'account', 'permissionSet', 'window']);
    expect(report.accounts[p.account]).toBeDefined();
    if (p.window !== null) expect(report.windows[p.window]).toBeDefined();
  }
  for (const g of report.grants) expect(report.principals[g.principal]).toBeDefined();
  // Every finding, with its impact's paths, and one fingerprint per finding.
  expect(report.findings).toHaveLength(result.findings.length);
  const all = result.analysis.accessPaths;
  // {groups}: every path whose grant goes through one of the groups (control-plane findings);
  // {except}: every path but those (a finding that affects most of them).
  const expand = (paths: Paths): number[] =>
    typeof paths === 'object' && 'shared' in paths
      ? expand(report.sharedPaths![paths.shared]!)
      : paths === 'all'
      ? all.map((_, i) => i)
      : paths === 'jit'
        ? all.flatMap((p, i) => (p.standing ? [] : [i]))
        : Array.isArray(paths)
          ? paths
          : 'except' in paths
            ? all.flatMap((_, i) => (paths.except.includes(i) ? [] : [i]))
            : report.accessPaths.flatMap((p, i) => ((paths as { groups: string[] }).groups.includes(report.grants[p.grant]!.group ?? '') ? [i] : []));

  result.findings.forEach(({ finding }, i) => {
    expect(report.findings[i]!.fingerprint).toBe(finding.fingerprint);
    const paths = report.findings[i]!.impact?.paths;
    expect(paths === undefined ? undefined : expand(paths)).toEqual(finding.impact?.paths);
  });
  expect(new Set(report.findings.map((f) => f.fingerprint)).size).toBe(report.findings.length);
  // Every credential fetch, oldest first (then by event id), its person and account keys into the tables,
  // and its judgement as the analysis made it.
  const fetched = result.analysis.resources.federationEvents ?? [];
  expect(report.credentialFetches.map((f) => f.eventId).sort()).toEqual(fetched.map((f) => f.data.eventId as string).sort());
  const order = report.credentialFetches.map((f) => [Date.parse(f.eventTime), f.eventId] as const);
  expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
  const byId = new Map(fetched.map((f) => [f.data.eventId as string, f.data]));
  for (const f of report.credentialFetches) {
    expect(report.principals[f.principal], f.eventId).toBeDefined();
    if (f.account !== null) expect(report.accounts[f.account], f.eventId).toBeDefined();
    const d = byId.get(f.eventId)!;
    const accountId = d.accountId as string | null;
    const isAccount = accountId !== null && /^\d{12}$/.test(accountId);
    expect(f).toMatchObject({ attribution: d.attribution, activation: d.activation, permissionSet: d.permissionSetName, account: isAccount ? accountId : null });
    expect(f.accountNamed).toBe(accountId !== null && !isAccount ? accountId : undefined);
  }
  // byRule: every enabled rule, its open count agreeing with the findings.
  expect(Object.keys(report.summary.byRule).sort()).toEqual(result.rules.map((r) => r.def.id).sort());
  for (const rule of result.rules) {
    const open = result.findings.filter((f) => f.finding.ruleId === rule.def.id && f.finding.status === 'open').length;
    expect(report.summary.byRule[rule.def.id]!.open).toBe(open);
    expect(report.rules[rule.def.id]!.status).toBe(open ? 'failed' : report.rules[rule.def.id]!.status);
  }
  return report;
}

describe('report.json', () => {
  const demo = audit(DEMO_SNAPSHOT_FILE);
  const text = textOf(demo);

  it('holds every path and finding of the demo audit, valid against schemas/report.schema.json', () => {
    const report = checkReport(demo, text);
    // The demo has a finding of each form of impact.paths but "all".
    const forms = new Set(report.findings.map((f) => (Array.isArray(f.impact?.paths) ? 'list' : typeof f.impact?.paths === 'object' ? Object.keys(f.impact.paths)[0] : f.impact?.paths)));
    expect([...forms]).toEqual(expect.arrayContaining(['list', 'jit', 'groups', 'except']));
    expect(report.findings.length).toBeGreaterThan(0);
    // The paths share windows: far fewer windows than JIT paths.
    expect(Object.keys(report.windows).length).toBeLessThan(report.accessPaths.filter((p) => p.window).length);
  });

  it('is the same bytes for the same snapshot and config, and reads back whole', () => {
    expect(textOf(audit(DEMO_SNAPSHOT_FILE))).toBe(text);
    expect(parseReportJson(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it('has each grant, path and finding on a line of its own', () => {
    const lines = text.split('\n');
    for (const key of ['grants', 'accessPaths', 'findings']) {
      const start = lines.indexOf(`  "${key}": [`);
      expect(start, key).toBeGreaterThan(0);
      expect(JSON.parse(lines[start + 1]!.replace(/,$/, ''))).toBeTypeOf('object');
    }
  });

  it('lists every credential fetch on a line of its own, with what the HTML shows of it', () => {
    const report = JSON.parse(text) as V2;
    expect(report.credentialFetches.length).toBe(demo.analysis.resources.federationEvents!.length);
    expect(report.credentialFetches.length).toBeGreaterThan(1);
    for (const f of report.credentialFetches) expect(Object.keys(f)).toEqual(FETCH_FIELDS);
    const lines = text.split('\n');
    const start = lines.indexOf('  "credentialFetches": [');
    expect(JSON.parse(lines[start + 1]!.replace(/,$/, ''))).toEqual(report.credentialFetches[0]);
    // The demo's fetches: one by someone the identity store does not hold, one within its activation.
    expect(report.credentialFetches.find((f) => f.attribution === 'unknown-user')).toMatchObject({ account: '222222222222', permissionSet: 'AdministratorAccess' });
    expect(report.credentialFetches.find((f) => f.principal === 'rich.roe@northwind.example')).toMatchObject({
      account: '222222222222',
      permissionSet: 'EC2AdminAccess',
      attribution: 'attributed',
      activation: { start: '2026-09-30T13:00:00Z', end: '2026-09-30T14:00:00Z', endedBy: 'schedule' },
    });
  });

  it('orders the fetches by time and event id whatever the order of the snapshot, and keeps an account id that is not one apart', () => {
    const snapshot = JSON.parse(checkedInDemo()) as Snapshot;
    const events = snapshot.aws.cloudTrail.data!.events;
    events.reverse();
    const fetch = events.find((e) => e.federation?.accountId)!;
    fetch.federation!.accountId = 'not-an-account';
    const file = join(tempDir(), 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot, null, 2));
    const result = audit(file);
    const report = checkReport(result, textOf(result));
    const before = JSON.parse(text) as V2;
    const odd = report.credentialFetches.find((f) => f.eventId === fetch.eventId)!;
    expect(odd).toMatchObject({ account: null, accountNamed: 'not-an-account' });
    expect(report.credentialFetches.map((f) => f.eventId)).toEqual(before.credentialFetches.map((f) => f.eventId));
    expect(report.credentialFetches.filter((f) => f !== odd)).toEqual(before.credentialFetches.filter((f) => f.eventId !== fetch.eventId));
  });

  it('holds every path and finding of a synthetic organisation as the benchmark makes it, valid against the schema', async () => {
    const org = generateOrg('S', 3);
    const saved = { ...process.env };
    const fakes = await startFakes(org);
    let snapshot;
    try {
      applyEnv(fakes.env);
      snapshot = await collectSynthetic(org);
    } finally {
      await fakes.close();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      applyEnv(saved);
    }
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot, null, 2));
    const result = audit(file, resolveConfig(org.config, null));
    const report = checkReport(result, textOf(result));
    // Grouped: fewer findings than the paths the path rules match.
    expect(report.findings.length).toBeLessThan(report.accessPaths.length);
    // Holders of one role share their reach: written once, referred to by each finding.
    const shared = report.findings.filter((f) => typeof f.impact?.paths === 'object' && 'shared' in f.impact.paths);
    expect(Object.keys(report.sharedPaths ?? {}).length).toBeGreaterThan(0);
    expect(shared.length).toBeGreaterThan(Object.keys(report.sharedPaths!).length);
  }, 60_000);
});
