// SARIF 2.1.0: valid against the official schema, and what GitHub code scanning requires.
import { createRequire } from 'node:module';
import Ajv4Module from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { readFileSync } from 'node:fs';
import { runAudit } from '../src/audit.js';
import { buildSarif } from '../src/report/sarif.js';
import { DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE, demoConfig } from './helpers/demo.js';

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

  it('gives every result a physical location at the line of the offending object, and a logical one', () => {
    const lines = readFileSync(result.snapshot.file, 'utf8').split('\n');
    expect(run.results!.length).toBe(result.findings.length);
    for (const [i, r] of run.results!.entries()) {
      const loc = r.locations![0]!;
      const region = loc.physicalLocation!.region!;
      expect(region.startLine).toBeGreaterThan(1);
      expect(loc.logicalLocations![0]!.fullyQualifiedName).toBe(`${result.findings[i]!.finding.resource.type}/${result.findings[i]!.finding.resource.id}`);
      if (loc.physicalLocation!.artifactLocation!.uri === 'reports/demo/snapshot.json') {
        // The line holds the start of the object (or array) the JSON pointer names.
        const line = lines[region.startLine! - 1]!;
        expect(line.slice(region.startColumn! - 1)).toMatch(/^[{["0-9tfn-]/);
      }
    }
  });

  it('points a finding about an access path at the schedule or assignment that creates it', () => {
    const carol = run.results!.find((r) => r.ruleId === 'pim-active-assignment' && (r.properties?.resourceId as string).includes('carol'))!;
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

  it('fingerprints results by rule and resource, so alerts track across runs', () => {
    const fps = run.results!.map((r) => r.partialFingerprints!['jitauditFinding/v1']);
    expect(new Set(fps).size).toBe(fps.length);
    const again = buildSarif(runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'x.json', config: demoConfig(), ruleDirs: [], failOn: 'low', allowIncomplete: true }));
    expect(again.runs[0]!.results!.map((r) => r.partialFingerprints!['jitauditFinding/v1'])).toEqual(fps);
  });

  it('marks waived findings as suppressed, with the reason', () => {
    const waived = run.results!.filter((r) => r.suppressions?.length);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.suppressions![0]!.justification).toContain('SEC-88');
  });
});

describe('SARIF for a large organisation', () => {
  it('keeps at most the results GitHub accepts, the most severe first, and says so in the run', () => {
    const cut = buildSarif(result, { maxResults: 5 });
    const r = cut.runs[0]!;
    expect(r.results).toHaveLength(5);
    expect(r.results!.map((x) => x.ruleId)).toEqual(result.findings.slice(0, 5).map((f) => f.finding.ruleId));
    expect(r.invocations![0]!.toolExecutionNotifications![0]!.message.text).toContain(`5 of ${result.findings.length} findings`);
    expect(r.properties).toMatchObject({ findings: result.findings.length, resultsIncluded: 5 });
    const validate = validator();
    expect(validate(JSON.parse(JSON.stringify(cut))), JSON.stringify(validate.errors)).toBe(true);
    // Below the limit nothing is said.
    expect(run.invocations).toBeUndefined();
  });
});
