// report.junit.xml: valid against our description of the JUnit format CI reporters read
// (test/fixtures/junit), one testcase per rule, tenant strings escaped and characters XML 1.0 forbids replaced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { validateXML } from 'xmllint-wasm';
import { parseFormats, renderReports, runAudit } from '../src/audit.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { buildJunit, TOP_FINDINGS, xmlAttribute, xmlText } from '../src/report/junit.js';
import { DEMO_SNAPSHOT_FILE, demoConfig, ROOT } from './helpers/demo.js';

const XSD = readFileSync(join(ROOT, 'test/fixtures/junit/jitaudit-junit.xsd'), 'utf8');
const validate = (xml: string) => validateXML({ xml: [{ fileName: 'report.junit.xml', contents: xml }], schema: [{ fileName: 'jitaudit-junit.xsd', contents: XSD }] });

const audit = (): AuditResult =>
  runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, displayPath: 'reports/demo/snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
const result = audit();
const xml = buildJunit(result);

/** A DOM element, as @xmldom/xmldom's parser gives it (entities decoded). */
interface El {
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<El>;
  textContent: string | null;
}
/** The report read back with a DOM parser (an error throws): the root, the suite and its testcases by rule id. */
function parsed(text: string) {
  const fail = (message: string) => {
    throw new Error(message);
  };
  // A warning is only the U+FFFD the report puts for characters XML cannot hold.
  const doc = new DOMParser({ onError: (level, message) => level !== 'warning' && fail(message) }).parseFromString(text, 'text/xml');
  const root = doc.documentElement as unknown as El;
  const suite = root.getElementsByTagName('testsuite')[0]!;
  const cases = new Map(Array.from(suite.getElementsByTagName('testcase')).map((c) => [c.getAttribute('name')!, c]));
  return { root, suite, cases };
}
const child = (el: El, name: string): El | undefined => el.getElementsByTagName(name)[0];
const text = (el: El | undefined): string => el?.textContent ?? '';

describe('JUnit report of the demo', () => {
  it('is valid against the JUnit schema', async () => {
    const r = await validate(xml);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('the schema check can fail: a testsuite without its failures count is refused', async () => {
    const broken = xml.replace(/(<testsuite [^>]*?) failures="\d+"/, '$1');
    expect(broken).not.toBe(xml);
    expect((await validate(broken)).valid).toBe(false);
  });

  it('the schema check can fail: a negative time, a testcase without classname, a duplicate testcase, a failure after its output', async () => {
    const firstCase = xml.match(/ {4}<testcase [^>]*\/>/)![0];
    const withFailure = xml.match(/ {4}<testcase [^>]*>\n {6}<failure [\s\S]*?<\/testcase>/)![0];
    const broken = [
      xml.replace(/(<testsuite [^>]*?) time="0"/, '$1 time="-1"'),
      xml.replace(/(<testcase) classname="[^"]*"/, '$1'),
      xml.replace(firstCase, `${firstCase}\n${firstCase}`),
      xml.replace(withFailure, withFailure.replace(/( {6}<failure [\s\S]*?<\/failure>)/, '      <system-out>x</system-out>\n$1')),
    ];
    for (const [i, b] of broken.entries()) {
      expect(b, `break ${i}`).not.toBe(xml);
      expect((await validate(b)).valid, `break ${i}`).toBe(false);
    }
  });

  it('is a format of --format, written as report.junit.xml', () => {
    expect(parseFormats('junit')).toEqual(['junit']);
    expect([...renderReports(result, ['junit']).keys()]).toEqual(['report.junit.xml']);
  });

  it('has one testcase per rule; a rule with open findings fails with their count and severity, its top findings a line each', () => {
    const { root, suite, cases } = parsed(xml);
    expect(cases.size).toBe(result.rules.length);
    const open = new Map<string, number>();
    for (const { finding } of result.findings) if (finding.status === 'open') open.set(finding.ruleId, (open.get(finding.ruleId) ?? 0) + 1);
    for (const rule of result.rules) {
      const c = cases.get(rule.def.id)!;
      expect(c.getAttribute('classname')).toBe(`jitaudit.${rule.def.resource}`);
      const n = open.get(rule.def.id) ?? 0;
      if (!n) {
        expect(child(c, 'failure'), rule.def.id).toBeUndefined();
        continue;
      }
      const failure = child(c, 'failure')!;
      expect(failure.getAttribute('type')).toBe(rule.def.severity);
      expect(failure.getAttribute('message')).toMatch(new RegExp(`^${n} open ${rule.def.severity} findings?`));
      // The open findings' lines come first, up to the blank line.
      const lines = text(failure).split('\n\n')[0]!.split('\n');
      expect(lines.length).toBe(Math.min(n, TOP_FINDINGS) + (n > TOP_FINDINGS ? 1 : 0));
      const first = result.findings.find((f) => f.finding.ruleId === rule.def.id && f.finding.status === 'open')!.finding;
      expect(lines[0]).toContain(`(${first.object.type} ${first.object.id})`);
    }
    expect(suite.getAttribute('failures')).toBe(String(open.size));
    expect(root.getAttribute('failures')).toBe(String(open.size));
    expect(suite.getAttribute('tests')).toBe(String(result.rules.length));
  });

  it('names waived findings without failing for them', () => {
    const waived = result.findings.filter((f) => f.finding.status === 'waived');
    expect(waived.length).toBeGreaterThan(0);
    const ruleId = waived[0]!.finding.ruleId;
    // The rule's open findings waived too: it passes, and its output says what was waived.
    const allWaived: AuditResult = {
      ...result,
      findings: result.findings.map((f) =>
        f.finding.ruleId === ruleId ? { ...f, finding: { ...f.finding, status: 'waived', waiver: f.finding.waiver ?? { reason: 'accepted risk', owner: 'sec@x', expires: '2099-01-01' } } } : f,
      ),
    };
    const c = parsed(buildJunit(allWaived)).cases.get(ruleId)!;
    expect(child(c, 'failure')).toBeUndefined();
    expect(text(child(c, 'system-out'))).toContain('waived (not failing)');
    expect(text(child(c, 'system-out'))).toContain(waived[0]!.finding.waiver!.reason);
  });

  it('is the same bytes for the same input, stamped with the snapshot time', () => {
    expect(buildJunit(audit())).toBe(xml);
    expect(parsed(xml).suite.getAttribute('timestamp')).toBe(result.analysis.now);
  });
});

describe('JUnit: a rule whose data is missing', () => {
  const passing = result.rules.find((r) => r.type.needs.length && !result.findings.some((f) => f.finding.ruleId === r.def.id))!;
  const section = passing.type.needs[0]!;
  const withMissing = (allowIncomplete: boolean): AuditResult => ({
    ...result,
    analysis: { ...result.analysis, incomplete: [section] },
    gate: { ...result.gate, blockingIncomplete: [section], allowIncomplete, passed: false },
  });

  it('is an error when the gate fails for it', async () => {
    const out = buildJunit(withMissing(false));
    expect((await validate(out)).valid).toBe(true);
    const { suite, cases } = parsed(out);
    const error = child(cases.get(passing.def.id)!, 'error')!;
    expect(error.getAttribute('message')).toContain(section);
    expect(Number(suite.getAttribute('errors'))).toBeGreaterThanOrEqual(1);
  });

  it('is skipped, with the reason, when --allow-incomplete accepts it', async () => {
    const out = buildJunit(withMissing(true));
    expect((await validate(out)).valid).toBe(true);
    const c = parsed(out).cases.get(passing.def.id)!;
    expect(child(c, 'error')).toBeUndefined();
    expect(child(c, 'skipped')!.getAttribute('message')).toContain(`${section} (accepted by --allow-incomplete)`);
  });
});

describe('JUnit: hostile tenant strings', () => {
  // Markup, an end of CDATA, C0 controls, noncharacters, a lone surrogate and a bidi override.
  const hostile = 'Evil <b>&amp;</b> R&D &x; &#1; "q" \'a\' ]]> \u0000\u0001\u0008\u000b\u000c\u001f \ufffe\uffff \ud800 \u202e gnp.exe\nsecond line';
  const f = result.findings.find((x) => x.finding.status === 'open')!;
  const tampered: AuditResult = {
    ...result,
    snapshot: { ...result.snapshot, displayPath: `snap${hostile}.json` },
    findings: result.findings.map((x) => (x === f ? { ...x, finding: { ...x.finding, object: { ...x.finding.object, name: hostile, id: hostile } } } : x)),
  };
  const out = buildJunit(tampered);

  it('still gives valid XML with none of the characters XML 1.0 forbids', async () => {
    const r = await validate(out);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('reads back as the text, with controls and bidi shown escaped, on one line per finding', () => {
    const { cases, suite } = parsed(out);
    const body = text(child(cases.get(f.finding.ruleId)!, 'failure'));
    const line = body.split('\n').find((l) => l.includes('Evil'))!;
    expect(line).toContain('Evil <b>&amp;</b> R&D &x; &#1; "q" \'a\' ]]> \\u0000\\u0001\\u0008\\u000b\\u000c\\u001f');
    expect(line).toContain('\\u202e gnp.exe\\u000asecond line');
    expect(line).toContain('\ufffd\ufffd \ufffd');
    expect(suite.getAttribute('name')).toContain('Evil <b>');
  });
});

describe('XML escaping', () => {
  const roundTrip = (value: string) => {
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(`<a v="${xmlAttribute(value)}">${xmlText(value)}</a>`, 'text/xml');
    const a = doc.documentElement!;
    return { attribute: a.getAttribute('v'), text: a.textContent };
  };

  it('keeps markup, entity-like text, quotes, tabs and line breaks as they are', () => {
    const value = 'a<b>&amp;&x;&#65;"\'\t\n\r]]>z';
    expect(roundTrip(value)).toEqual({ attribute: value, text: value.replace('\r', '\n') });
  });

  it('replaces every character XML 1.0 forbids with U+FFFD, and keeps astral characters', () => {
    const forbidden = [...Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).filter((c) => !'\t\n\r'.includes(c)), '\ufffe', '\uffff', '\ud800', '\udfff'];
    for (const c of forbidden) {
      expect(xmlText(`x${c}y`), JSON.stringify(c)).toBe('x\ufffdy');
      expect(roundTrip(`x${c}y`).attribute).toBe('x\ufffdy');
    }
    expect(xmlText('\ud83d\ude00 \u2028 \u007f')).toBe('\ud83d\ude00 \u2028 \u007f');
  });
});
