// report.ocsf.json: every finding an OCSF 1.8.0 Detection Finding, valid against our JSON Schema of the
// class as the OCSF documentation describes it (test/fixtures/ocsf), mapped as Security Hub and SIEMs read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseFormats, renderReports, runAudit } from '../src/audit.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { OCSF_VERSION, renderOcsf } from '../src/report/ocsf.js';
import { chunksOf } from '../src/util/json-chunks.js';
import { DEMO_SNAPSHOT_FILE, demoConfig, ROOT } from './helpers/demo.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/ocsf/detection-finding.schema.json'), 'utf8'));
// Ajv's default strictSchema: a misspelt keyword in the schema is an error, not silently ignored. The
// captions' oneOf branches name properties without repeating "type": "object" (strictTypes would log it).
const validate = new Ajv2020({ allErrors: true, strictTypes: false }).compile(schema);

const audit = (): AuditResult =>
  runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
const text = (r: AuditResult) => [...chunksOf(renderOcsf(r))].join('');
const result = audit();
const out = text(result);
type Ocsf = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const findings = JSON.parse(out) as Ocsf[];

describe('OCSF report of the demo', () => {
  it('is a format of --format, written as report.ocsf.json', () => {
    expect(parseFormats('json,ocsf')).toEqual(['json', 'ocsf']);
    expect([...renderReports(result, ['ocsf']).keys()]).toEqual(['report.ocsf.json']);
  });

  it('has one Detection Finding per finding, each valid against the OCSF 1.8.0 schema', () => {
    expect(findings.length).toBe(result.findings.length);
    for (const f of findings) {
      const ok = validate(f);
      expect(validate.errors ?? [], f.finding_info.uid).toEqual([]);
      expect(ok).toBe(true);
      expect(f.class_uid).toBe(2004);
      expect(f.category_uid).toBe(2);
      expect(f.metadata.version).toBe(OCSF_VERSION);
      expect(f.metadata.product).toEqual({ name: 'jitaudit', vendor_name: 'jitaudit', version: expect.any(String) });
    }
  });

  it('the schema check can fail: a missing finding_info.uid, an unknown severity_id, an attribute OCSF has not, the cloud profile without cloud', () => {
    const base = findings.find((f) => f.cloud)!;
    expect(validate(base)).toBe(true);
    // Each break, and the error it must give (where, and which rule), so it cannot pass by failing elsewhere.
    const broken: [(f: Ocsf) => unknown, string, string][] = [
      [(f) => delete f.finding_info.uid, '/finding_info', 'required'],
      [(f) => (f.severity_id = 7), '/severity_id', 'enum'],
      [(f) => (f.finding_info.fingerprint = 'x'), '/finding_info', 'additionalProperties'],
      [(f) => delete f.cloud, '', 'required'],
      [(f) => delete f.remediation.desc, '/remediation', 'required'],
    ];
    for (const [breakIt, instancePath, keyword] of broken) {
      const copy = structuredClone(base);
      breakIt(copy);
      expect(validate(copy), breakIt.toString()).toBe(false);
      expect(validate.errors, breakIt.toString()).toContainEqual(expect.objectContaining({ instancePath, keyword }));
    }
  });

  it('the schema check can fail: type_uid not class_uid * 100 + activity_id, a caption not its id, time not integer milliseconds, a misspelt cloud attribute', () => {
    const base = findings.find((f) => f.cloud)!;
    const broken: [(f: Ocsf) => unknown, string, string][] = [
      [(f) => (f.type_uid = 200402), '/type_uid', 'const'],
      [(f) => (f.severity = 'Severe'), '/severity', 'const'],
      [(f) => (f.status = 'Open'), '/status', 'const'],
      [(f) => (f.resources[0].role = 'Subject'), '/resources/0/role', 'const'],
      [(f) => (f.time = new Date(f.time).toISOString()), '/time', 'type'],
      [(f) => (f.time = f.time / 1000 + 0.5), '/time', 'type'],
      [(f) => (f.cloud.acount = f.cloud.account), '/cloud', 'additionalProperties'],
    ];
    for (const [breakIt, instancePath, keyword] of broken) {
      const copy = structuredClone(base);
      breakIt(copy);
      expect(validate(copy), breakIt.toString()).toBe(false);
      expect(validate.errors, breakIt.toString()).toContainEqual(expect.objectContaining({ instancePath, keyword }));
    }
  });

  it('maps severity, status, fingerprint, rule, object and remediation', () => {
    const ids = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };
    result.findings.forEach(({ finding, rule }, i) => {
      const f = findings[i]!;
      expect(f.severity_id).toBe(ids[finding.severity]);
      expect(f.finding_info).toMatchObject({ uid: finding.fingerprint, title: rule.def.title, desc: finding.message });
      expect(f.finding_info.types).toContain(rule.def.resource);
      expect(f.resources).toEqual([{ uid: finding.object.id, name: finding.object.name, type: finding.object.type, role_id: 1, role: 'Target' }]);
      expect(f.remediation.desc).toBe(rule.def.remediation);
      if (finding.status === 'waived') {
        expect(f).toMatchObject({ status_id: 3, status: 'Suppressed' });
        expect(f.comment).toContain(finding.waiver!.reason);
      } else expect(f).toMatchObject({ status_id: 1, status: 'New' });
      if (finding.account) {
        expect(f.cloud).toMatchObject({ provider: 'AWS', account: { uid: finding.account.id, type_id: 10 } });
        expect(f.metadata.profiles).toEqual(['cloud']);
      } else expect(f.cloud).toBeUndefined();
    });
    expect(findings.some((f) => f.status_id === 3)).toBe(true);
    expect(findings.some((f) => f.cloud?.account?.uid)).toBe(true);
  });

  it('is stamped with the snapshot collection time, never the clock: the same bytes again', () => {
    const when = Date.parse(result.analysis.now);
    expect(findings.every((f) => f.time === when)).toBe(true);
    expect(text(audit())).toBe(out);
    // One finding a line.
    expect(out.split('\n').length).toBe(findings.length + 3);
  });

  it('keeps hostile tenant text intact as JSON strings', () => {
    const hostile = 'a"b\\c\u0000\u2028\u202e</script>\ud800';
    const tampered: AuditResult = {
      ...result,
      findings: result.findings.map((x, i) => (i === 0 ? { ...x, finding: { ...x.finding, object: { ...x.finding.object, name: hostile } } } : x)),
    };
    const first = (JSON.parse(text(tampered)) as Ocsf[])[0]!;
    expect(first.resources[0].name).toBe(hostile);
    expect(validate(first)).toBe(true);
  });
});
