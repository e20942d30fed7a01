// SARIF 2.1.0: valid against the official schema, and what GitHub code scanning requires.
import { createRequire } from 'node:module';
import Ajv4Module from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAudit } from '../src/audit.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { buildSarif, GITHUB_MAX_RESULTS } from '../src/report/sarif.js';
import { fingerprint, type LocatedFinding } from '../src/rules/evaluate.js';
import { tempDir } from './helpers/cli.js';
import { DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE, demoConfig, demoSnapshot } from './helpers/demo.js';

const require = createRequire(import.meta.url);
// The SARIF 2.1.0 schema as Microsoft ships it in @microsoft/jest-sarif (draft-04).
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

function validator() {
  // The official schema's language pattern is not a valid regular expression with the u flag.
  // CommonJS default export: at run time the import is the class itself.
  const Ajv4 = Ajv4Module as unknown as typeof Ajv4Module.default;
  const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  return ajv.compile(schema);
}

const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
const log: Log = buildSarif(result);
const run = log.runs[0]!;
const fpOf = (r: { partialFingerprints?: Record<string, string> }): string => r.partialFingerprints!['jitauditFinding/v1']!;
const objectOf = (r: { locations?: { logicalLocations?: { fullyQualifiedName?: string }[] }[] }) => r.locations![0]!.logicalLocations![0]!.fullyQualifiedName;

describe('SARIF report of the demo', () => {
  it('is valid against the official SARIF 2.1.0 schema', () => {
    const validate = validator();
    const ok = validate(JSON.parse(JSON.stringify(log)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a result without a message is refused', () => {
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].results[0].message;
    expect(validator()(broken)).toBe(false);
  });

  it('describes every rule for code scanning: short and full description, help, security-severity, tags', () => {
    expect(run.tool.driver.rules!.length).toBe(result.rules.length);
    for (const rule of run.tool.driver.rules!) {
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.fullDescription?.text).toBeTruthy();
      expect(rule.help?.text).toContain('Remediation');
      expect(rule.help?.markdown).toContain('**Remediation.**');
      expect(rule.properties?.tags).toContain('security');
      const severity = rule.properties?.severity as string;
      const score = Number(rule.properties?.['security-severity']);
      const band = { critical: [9.0, 10], high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9] }[severity];
      if (band) expect(score >= band[0]! && score <= band[1]!, `${rule.id} ${severity} ${score}`).toBe(true);
    }
  });

  it('names the object of each rule over access paths (what one of its results is about), and only of those', () => {
    const descriptors = new Map(run.tool.driver.rules!.map((d) => [d.id, d]));
    for (const rule of result.rules) {
      const object = descriptors.get(rule.def.id)!.properties?.object;
      expect(object, rule.def.id).toBe(rule.def.resource === 'accessPaths' ? rule.object : undefined);
    }
    expect(descriptors.get('pim-active-assignment')!.properties?.object).toBe('grant');
    expect(descriptors.get('root-access-keys')!.properties).not.toHaveProperty('object');
  });

  it('has one result per finding, in the findings\' order (severity, then impact)', () => {
    expect(run.results!.map((r) => [r.ruleId, objectOf(r)])).toEqual(
      result.findings.map(({ finding }) => [finding.ruleId, `${finding.object.type}/${finding.object.id}`]),
    );
    expect(run.properties).toMatchObject({ findings: result.findings.length, resultsIncluded: result.findings.length, resultsCut: 0, cutByRule: {}, failingRulesWithoutResult: [] });
  });

  it('says a finding\'s impact in its message, and carries its counts (not its paths) and its object', () => {
    const carol = run.results!.find((r) => r.ruleId === 'pim-active-assignment' && (r.properties?.objectId as string).includes('carol'))!;
    const finding = result.findings.find(({ finding: f }) => f.fingerprint === fpOf(carol))!.finding;
    expect(carol.message.text).toBe(`${finding.message} Impact: 1 person, 2 accounts (2 production), worst window standing.`);
    expect(carol.properties).toMatchObject({
      objectType: finding.object.type,
      objectId: finding.object.id,
      impact: { people: 1, accounts: 2, prodAccounts: 2, paths: 2, worstWindow: 'standing' },
    });
    // A window in words, as the HTML report says it.
    const tooLong = run.results!.find((r) => r.ruleId === 'effective-window-too-long')!;
    expect(tooLong.message.text).toMatch(/ Impact: 2 people, 2 accounts \(2 production\), worst window 11 h 40 min\.$/);
    expect((tooLong.properties?.impact as { worstWindow: string }).worstWindow).toBe('PT11H40M');
    // A finding with no access path in it says none.
    const rootKeys = run.results!.find((r) => r.ruleId === 'root-access-keys')!;
    expect(rootKeys.message.text).not.toContain('Impact:');
    expect(rootKeys.properties).not.toHaveProperty('impact');
    for (const r of run.results!) {
      const f = result.findings.find(({ finding: x }) => x.fingerprint === fpOf(r))!.finding;
      expect(r.message.text!.includes(' Impact: '), r.ruleId).toBe(f.impact !== undefined);
    }
  });

  it('gives every result a physical location at the line of the offending object, and a logical one', () => {
    const lines = readFileSync(result.snapshot.file, 'utf8').split('\n');
    expect(run.results!.length).toBe(result.findings.length);
    for (const [i, r] of run.results!.entries()) {
      const loc = r.locations![0]!;
      const region = loc.physicalLocation!.region!;
      expect(region.startLine).toBeGreaterThan(1);
      const { object } = result.findings[i]!.finding;
      expect(loc.logicalLocations![0]).toEqual({ name: object.name, fullyQualifiedName: `${object.type}/${object.id}`, kind: 'resource' });
      if (loc.physicalLocation!.artifactLocation!.uri === 'reports/demo/snapshot.json') {
        // The line holds the start of the object (or array) the JSON pointer names.
        const line = lines[region.startLine! - 1]!;
        expect(line.slice(region.startColumn! - 1)).toMatch(/^[{["0-9tfn-]/);
      }
    }
  });

  it('points a finding about an access path at the schedule or assignment that creates it', () => {
    const carol = run.results!.find((r) => r.ruleId === 'pim-active-assignment' && (r.properties?.objectId as string).includes('carol'))!;
    const { startLine } = carol.locations![0]!.physicalLocation!.region!;
    const block = readFileSync(result.snapshot.file, 'utf8').split('\n').slice(startLine! - 1, startLine! + 8).join('\n');
    expect(block).toContain('"assignmentType": "assigned"');
  });

  it('points a finding about a waiver into the config file', () => {
    const expired = run.results!.find((r) => r.ruleId === 'waiver-expired')!;
    const loc = expired.locations![0]!.physicalLocation!;
    expect(loc.artifactLocation!.uri).toBe('reports/demo/jitaudit.config.yaml');
    const line = readFileSync(DEMO_CONFIG_FILE, 'utf8').split('\n')[loc.region!.startLine! - 1]!;
    expect(line).toContain('rule: iam-user-not-breakglass');
  });

  it('fingerprints results by rule and object, so alerts track across runs', () => {
    const fps = run.results!.map(fpOf);
    expect(new Set(fps).size).toBe(fps.length);
    for (const [i, r] of run.results!.entries()) {
      const { ruleId, object } = result.findings[i]!.finding;
      expect(fpOf(r)).toBe(fingerprint(ruleId, object));
    }
    const again = buildSarif(runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'x.json', config: demoConfig(), ruleDirs: [], failOn: 'low', allowIncomplete: true }));
    expect(again.runs[0]!.results!.map(fpOf)).toEqual(fps);
  });

  it('keeps a result\'s fingerprint when its object\'s impact changes', () => {
    // AWS - Prod Admins given AdministratorAccess in one more account: carol's PIM active assignment reaches 3 paths, not 2.
    const s = demoSnapshot();
    const assignments = s.aws.accountAssignments.data! as { accountId: string; permissionSetArn: string; principalType: string; principalId: string }[];
    const prodAdmins = assignments.find((a) => a.accountId === '333333333333' && a.principalType === 'GROUP' && a.permissionSetArn.endsWith('ps-0a1b2c3d4e5f6a7b'))!;
    assignments.push({ ...prodAdmins, accountId: '444444444444' });
    const file = join(tempDir(), 'snapshot.json');
    writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
    const grown = buildSarif(runAudit({ snapshotFile: file, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false })).runs[0]!;
    const carol = (r: { ruleId?: string; properties?: Record<string, unknown> }) => r.ruleId === 'pim-active-assignment' && (r.properties!.objectId as string).includes('carol');
    const before = run.results!.find(carol)!;
    const after = grown.results!.find(carol)!;
    expect((before.properties!.impact as { paths: number }).paths).toBe(2);
    expect((after.properties!.impact as { paths: number }).paths).toBe(3);
    expect(after.message.text).not.toBe(before.message.text);
    expect(after.partialFingerprints).toEqual(before.partialFingerprints);
  });

  it('marks waived findings as suppressed, with the reason', () => {
    const waived = run.results!.filter((r) => r.suppressions?.length);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.suppressions![0]!.justification).toContain('SEC-88');
  });
});

describe('SARIF for a large organisation', () => {
  const openRules = [...new Set(result.findings.filter(({ finding }) => finding.status === 'open').map(({ finding }) => finding.ruleId))];
  const notice = (r: Log['runs'][number]) => r.invocations![0]!.toolExecutionNotifications![0]!.message.text;
  /** The demo's audit with other findings (they keep their rule, snapshot location and severity). */
  const withFindings = (findings: LocatedFinding[]): AuditResult => ({ ...result, findings });
  /** `n` findings of the demo finding `f`'s rule, each about an object of its own. */
  const copies = (f: LocatedFinding, n: number): LocatedFinding[] =>
    Array.from({ length: n }, (_, i) => {
      const object = { ...f.finding.object, id: `${f.finding.object.id}#${i}` };
      return { ...f, finding: { ...f.finding, object, fingerprint: fingerprint(f.finding.ruleId, object) } };
    });
  const first = (ruleId: string, status: 'open' | 'waived' = 'open') => result.findings.find(({ finding }) => finding.ruleId === ruleId && finding.status === status)!;

  it('holds at most 5,000 results, what GitHub code scanning shows of an upload', () => {
    expect(GITHUB_MAX_RESULTS).toBe(5_000);
    const many = withFindings(copies(first('standing-privileged-access-prod'), GITHUB_MAX_RESULTS + 1));
    const r = buildSarif(many).runs[0]!;
    expect(r.results).toHaveLength(GITHUB_MAX_RESULTS);
    expect(r.properties).toMatchObject({ findings: 5_001, resultsIncluded: 5_000, resultsCut: 1, cutByRule: { 'standing-privileged-access-prod': 1 } });
    expect(notice(r)).toMatch(/^5,000 of 5,001 findings are in this SARIF file: GitHub code scanning shows at most 5,000 results per upload\./);
  });

  it('keeps a result of every failing rule even when one rule alone has more findings than the cap', () => {
    const flood = copies(first('standing-privileged-access-prod'), 10);
    const others = [first('root-access-keys'), first('ca-mfa-policy-report-only'), first('waiver-expired')];
    const waivedOnly = { ...first('direct-user-assignment', 'waived'), finding: { ...first('direct-user-assignment', 'waived').finding, ruleId: 'pim-active-assignment' } };
    const audit = withFindings([...flood, ...others, waivedOnly]);
    const r = buildSarif(audit, { maxResults: 6 }).runs[0]!;
    // The flooding rule's first three, then one of each other failing rule, in the findings' order; the waived finding has no room.
    expect(r.results!.map((x) => objectOf(x))).toEqual([...flood.slice(0, 3), ...others].map(({ finding: f }) => `${f.object.type}/${f.object.id}`));
    expect(r.properties).toMatchObject({
      findings: 14,
      resultsIncluded: 6,
      resultsCut: 8,
      cutByRule: { 'standing-privileged-access-prod': 7, 'pim-active-assignment': 1 },
      failingRulesWithoutResult: [],
    });
    expect(notice(r)).toContain('6 of 14 findings are in this SARIF file: this file holds at most 6 results');
    expect(notice(r)).toContain('Every rule with an open finding has at least its first finding here');
    expect(notice(r)).toContain('Left out, by rule: standing-privileged-access-prod 7; pim-active-assignment 1.');
    // With room, the waived finding comes after every open one: one more slot is the flood's fourth, not the waiver.
    expect(buildSarif(audit, { maxResults: 13 }).runs[0]!.results!.filter((x) => x.suppressions?.length)).toEqual([]);
    expect(buildSarif(audit, { maxResults: 14 }).runs[0]!.results!.filter((x) => x.suppressions?.length)).toHaveLength(1);
  });

  it('fills the room left after one result per failing rule in the findings\' order, and writes the results in that order', () => {
    expect(openRules.length).toBeGreaterThan(10);
    const max = openRules.length + 2;
    const r = buildSarif(result, { maxResults: max }).runs[0]!;
    expect(r.results).toHaveLength(max);
    expect(new Set(r.results!.map((x) => x.ruleId))).toEqual(new Set(openRules));
    // In the findings' order: the kept ones are a subsequence of the findings.
    const order = new Map(result.findings.map(({ finding }, i) => [finding.fingerprint, i]));
    const positions = r.results!.map((x) => order.get(fpOf(x))!);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The two extra slots are the first findings that are not their rule's first.
    const firsts = new Set(openRules.map((id) => first(id).finding.fingerprint));
    const extras = result.findings.filter(({ finding }) => finding.status === 'open' && !firsts.has(finding.fingerprint)).slice(0, 2);
    expect(r.results!.filter((x) => !firsts.has(fpOf(x))!).map(fpOf)).toEqual(extras.map(({ finding }) => finding.fingerprint));
    const validate = validator();
    expect(validate(JSON.parse(JSON.stringify(buildSarif(result, { maxResults: max })))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('keeps every open finding before a waived one', () => {
    const open = result.findings.filter(({ finding }) => finding.status === 'open').length;
    expect(open).toBe(result.findings.length - 1);
    const r = buildSarif(result, { maxResults: open }).runs[0]!;
    expect(r.results!.some((x) => x.suppressions?.length)).toBe(false);
    expect(r.properties).toMatchObject({ resultsCut: 1, cutByRule: { 'direct-user-assignment': 1 } });
  });

  it('with more failing rules than results, keeps the most severe rules and names the others in the run', () => {
    const r = buildSarif(result, { maxResults: 3 }).runs[0]!;
    expect(r.results!.map((x) => x.ruleId)).toEqual(openRules.slice(0, 3));
    expect(r.results!.map((x) => x.level)).toEqual(['error', 'error', 'error']);
    expect(r.properties).toMatchObject({ findings: result.findings.length, resultsIncluded: 3, resultsCut: result.findings.length - 3, failingRulesWithoutResult: openRules.slice(3) });
    const cutByRule = r.properties!.cutByRule as Record<string, number>;
    expect(Object.values(cutByRule).reduce((a, b) => a + b, 0)).toBe(result.findings.length - 3);
    expect(notice(r)).toContain(`3 of ${result.findings.length} findings are in this SARIF file`);
    expect(notice(r)).toContain(`${openRules.length - 3} rules have no result: ${openRules.slice(3).join(', ')}.`);
    const validate = validator();
    expect(validate(JSON.parse(JSON.stringify(buildSarif(result, { maxResults: 3 })))), JSON.stringify(validate.errors)).toBe(true);
    // Below the limit nothing is said.
    expect(run.invocations).toBeUndefined();
  });
});
